// Declared endpoints: one declaration gives the route its validation (body, query and params
// parsed with the contracts' zod schemas; bad input is a 400 naming the field), its access rule,
// and its entry in the service's OpenAPI 3.1 document. Handlers receive parsed input only.
import type { NextFunction, Request, RequestHandler, Response, Router } from 'express';
import { match } from 'path-to-regexp';
import { z } from 'zod';
import { Problem, type ProblemIssue, type ServiceName } from '@azora/contracts';
import { requireServiceCredential, type ServiceTokenVerifier } from './auth/service-credentials';
import { requirePermission, requireUser, splitPermissions, type Permission } from './auth/user-tokens';
import { DomainError, invalidRequest, zodIssues } from './errors';
import { hostileInputIssues } from './input-guards';

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
/** Who may call: anyone, any signed-in user, users with one of the roles or grants listed (admins
 * always), or the named services: a service-to-service route always names the callers it accepts. */
export type Access = 'public' | 'user' | readonly Permission[] | { readonly services: readonly ServiceName[] };

export interface EndpointSpec<
  B extends z.ZodType | undefined,
  Q extends z.ZodType | undefined,
  P extends z.ZodType | undefined,
> {
  method: Method;
  /** Express-style path, e.g. `/courses/:id`. */
  path: string;
  summary: string;
  description?: string;
  tags?: string[];
  access: Access;
  body?: B;
  query?: Q;
  params?: P;
  /** Status -> response body schema (null for an empty body). Problems are documented for you. */
  responses: Record<number, z.ZodType | null | ResponseBody>;
  /** Extra request headers this endpoint reads, e.g. Idempotency-Key. */
  headers?: Record<string, { required: boolean; description: string }>;
}

/** A response that is not JSON (an SSE stream, NDJSON, HTML): its media type, and a schema of
 * each item where there is one. */
export interface ResponseBody {
  readonly contentType: string;
  readonly description?: string;
  readonly schema?: z.ZodType;
}

function isResponseBody(value: unknown): value is ResponseBody {
  return typeof value === 'object' && value !== null && 'contentType' in value;
}

type Out<S> = S extends z.ZodType ? z.output<S> : undefined;

export interface EndpointInput<B, Q, P> {
  body: Out<B>;
  query: Out<Q>;
  params: Out<P>;
}

export type EndpointHandler<B, Q, P> = (
  input: EndpointInput<B, Q, P>,
  req: Request,
  res: Response,
) => Promise<void> | void;

export interface Api {
  endpoint<
    B extends z.ZodType | undefined = undefined,
    Q extends z.ZodType | undefined = undefined,
    P extends z.ZodType | undefined = undefined,
  >(
    spec: EndpointSpec<B, Q, P>,
    handler: EndpointHandler<B, Q, P>,
  ): void;
  /** For a request the router could not decode (a malformed percent-encoding), an issue per
   * path parameter of the declared endpoint it was meant for that does not decode. */
  undecodableParams(method: string, path: string): ProblemIssue[];
  /** The OpenAPI 3.1 document of every endpoint declared so far. */
  document(info: { title: string; version: string }): OpenApiDocument;
}

export type OpenApiDocument = {
  openapi: '3.1.0';
  info: { title: string; version: string };
  paths: Record<string, Record<string, unknown>>;
  components: Record<string, unknown>;
};

function isServiceAccess(access: Access): access is { readonly services: readonly ServiceName[] } {
  return typeof access === 'object' && 'services' in access;
}

function accessGuard(access: Access, serviceTokens: ServiceTokenVerifier | undefined): RequestHandler | undefined {
  if (access === 'public') return undefined;
  if (access === 'user') return requireUser;
  if (isServiceAccess(access)) {
    if (!serviceTokens) {
      return (_req, _res, next) =>
        next(new DomainError('auth.service_credential_required', 'No service keys are configured'));
    }
    return requireServiceCredential(serviceTokens, access.services);
  }
  return requirePermission(...access);
}

/** OpenAPI extensions naming who may call a list-access endpoint: `x-roles`, and `x-grants` when any. */
function permissionExtensions(access: readonly Permission[]): Record<string, readonly Permission[]> {
  const { roles, grants } = splitPermissions(access);
  return { 'x-roles': roles, ...(grants.length > 0 ? { 'x-grants': grants } : {}) };
}

const jsonSchema = (schema: z.ZodType, io: 'input' | 'output') => {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Record<
    string,
    unknown
  >;
  return rest;
};

function parameters(schema: z.ZodType | undefined, where: 'query' | 'path'): unknown[] {
  if (!schema) return [];
  const shape = jsonSchema(schema, 'input') as { properties?: Record<string, unknown>; required?: string[] };
  return Object.entries(shape.properties ?? {}).map(([name, property]) => ({
    name,
    in: where,
    required: where === 'path' || (shape.required ?? []).includes(name),
    schema: property,
  }));
}

/** Path parameters named in the path but given no schema: documented as strings. */
function pathParameters(path: string): unknown[] {
  return [...path.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => ({
    name: m[1],
    in: 'path',
    required: true,
    schema: { type: 'string' },
  }));
}

function operation(
  spec: EndpointSpec<z.ZodType | undefined, z.ZodType | undefined, z.ZodType | undefined>,
): Record<string, unknown> {
  const responses: Record<string, unknown> = {};
  for (const [status, body] of Object.entries(spec.responses)) {
    if (isResponseBody(body)) {
      responses[status] = {
        description: body.description ?? `${status}`,
        content: { [body.contentType]: body.schema ? { schema: jsonSchema(body.schema, 'output') } : {} },
      };
    } else {
      responses[status] = body
        ? { description: `${status}`, content: { 'application/json': { schema: jsonSchema(body, 'output') } } }
        : { description: `${status}` };
    }
  }
  responses['default'] = {
    description: 'A problem (RFC 9457)',
    content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
  };
  const headers = Object.entries(spec.headers ?? {}).map(([name, h]) => ({
    name,
    in: 'header',
    required: h.required,
    description: h.description,
    schema: { type: 'string' },
  }));
  return {
    summary: spec.summary,
    ...(spec.description ? { description: spec.description } : {}),
    ...(spec.tags ? { tags: spec.tags } : {}),
    ...(spec.access === 'public'
      ? { security: [] }
      : isServiceAccess(spec.access)
        ? { security: [{ serviceCredential: [] }] }
        : { security: [{ bearer: [] }] }),
    ...(Array.isArray(spec.access) ? permissionExtensions(spec.access as readonly Permission[]) : {}),
    parameters: [
      ...(spec.params ? parameters(spec.params, 'path') : pathParameters(spec.path)),
      ...parameters(spec.query, 'query'),
      ...headers,
    ],
    ...(spec.body
      ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(spec.body, 'input') } } } }
      : {}),
    responses,
  };
}

/** Parses params, query and body together, so one 400 names every bad field at once. */
function parseAll(
  spec: EndpointSpec<z.ZodType | undefined, z.ZodType | undefined, z.ZodType | undefined>,
  req: Request,
): EndpointInput<unknown, unknown, unknown> {
  const parts = {
    params: [spec.params, req.params],
    query: [spec.query, req.query],
    body: [spec.body, req.body ?? {}],
  } as const;
  const input: Record<string, unknown> = {};
  const issues: ProblemIssue[] = hostileInputIssues({ params: req.params, query: req.query, body: req.body });
  if (issues.length > 0) throw invalidRequest(issues);
  for (const [where, [schema, value]] of Object.entries(parts)) {
    if (!schema) continue;
    const result = schema.safeParse(value);
    if (result.success) input[where] = result.data;
    else issues.push(...zodIssues(result.error, where));
  }
  if (issues.length > 0) {
    throw invalidRequest(issues);
  }
  return input as unknown as EndpointInput<unknown, unknown, unknown>;
}

export function createApi(
  router: Router,
  { serviceTokens }: { serviceTokens?: ServiceTokenVerifier | undefined } = {},
): Api {
  const declared: EndpointSpec<z.ZodType | undefined, z.ZodType | undefined, z.ZodType | undefined>[] = [];
  return {
    endpoint(spec, handler) {
      declared.push(spec as EndpointSpec<z.ZodType | undefined, z.ZodType | undefined, z.ZodType | undefined>);
      const guard = accessGuard(spec.access, serviceTokens);
      const run = async (req: Request, res: Response, next: NextFunction) => {
        try {
          await handler(parseAll(spec, req) as never, req, res);
        } catch (error) {
          next(error);
        }
      };
      router[spec.method](spec.path, ...(guard ? [guard] : []), run);
    },
    undecodableParams(method, path) {
      for (const spec of declared) {
        if (spec.method !== method.toLowerCase()) continue;
        const matched = match(spec.path, { decode: false })(path);
        if (!matched) continue;
        return Object.entries(matched.params).flatMap(([name, value]) => {
          try {
            decodeURIComponent(String(value));
            return [];
          } catch {
            return [{ path: `params.${name}`, message: 'is not valid percent-encoding', code: 'malformed_encoding' }];
          }
        });
      }
      return [];
    },
    document(info) {
      const paths: OpenApiDocument['paths'] = {};
      for (const spec of declared) {
        const path = spec.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
        paths[path] = { ...(paths[path] ?? {}), [spec.method]: operation(spec) };
      }
      return {
        openapi: '3.1.0',
        info,
        paths,
        components: {
          schemas: { Problem: jsonSchema(Problem, 'output') },
          securitySchemes: {
            bearer: {
              type: 'http',
              scheme: 'bearer',
              bearerFormat: 'JWT',
              description: 'A user access token from /api/auth/login',
            },
            serviceCredential: {
              type: 'http',
              scheme: 'bearer',
              bearerFormat: 'JWT',
              description: 'A service credential (service to service only)',
            },
          },
        },
      };
    },
  };
}
