// The public OpenAPI 3.1 document: the gateway's own operations plus every service's, with
// paths as a client sees them (/api/<prefix>/...). Operations only another service may call
// (service credentials) are left out: the gateway refuses those credentials anyway.
export interface OpenApiDoc {
  openapi: string;
  info: { title: string; version: string; description?: string };
  paths: Record<string, Record<string, unknown>>;
  components?: { schemas?: Record<string, unknown>; securitySchemes?: Record<string, unknown> };
  tags?: { name: string; description?: string }[];
  [extension: `x-${string}`]: unknown;
}

export interface UpstreamDocument {
  name: string;
  title: string;
  prefix: string;
  /** Null when the service's document could not be fetched. */
  document: OpenApiDoc | null;
}

const METHODS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);
const SCHEMA_REF = '#/components/schemas/';

type Operation = {
  security?: Record<string, unknown>[];
  tags?: string[];
  operationId?: string;
  parameters?: { name?: string; in?: string }[];
};

function isServiceOnly(operation: Operation): boolean {
  return (operation.security ?? []).some((requirement) => 'serviceCredential' in requirement);
}

/** Replaces every `$ref` to a renamed component schema. */
function renameRefs(value: unknown, renames: ReadonlyMap<string, string>): unknown {
  if (renames.size === 0) return value;
  if (Array.isArray(value)) return value.map((v) => renameRefs(v, renames));
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (key === '$ref' && typeof v === 'string' && v.startsWith(SCHEMA_REF)) {
      const name = v.slice(SCHEMA_REF.length);
      out[key] = `${SCHEMA_REF}${renames.get(name) ?? name}`;
    } else out[key] = renameRefs(v, renames);
  }
  return out;
}

/** A path parameter the template names but the service did not declare is added as a string. */
function withPathParameters(path: string, operation: Operation): Operation {
  const declared = new Set((operation.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name));
  const missing = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1] as string).filter((name) => !declared.has(name));
  if (missing.length === 0) return operation;
  const added = missing.map((name) => ({ name, in: 'path', required: true, schema: { type: 'string' } }));
  return { ...operation, parameters: [...(operation.parameters ?? []), ...added] };
}

function publicPath(prefix: string, path: string): string {
  return `/api/${prefix}${path === '/' ? '' : path}`;
}

export function mergeOpenApi({
  own,
  ownTag,
  upstreams,
  info,
}: {
  own: OpenApiDoc;
  ownTag: string;
  upstreams: readonly UpstreamDocument[];
  info: OpenApiDoc['info'];
}): OpenApiDoc {
  const paths: OpenApiDoc['paths'] = {};
  const schemas: Record<string, unknown> = {};
  const tagNames = new Set<string>();
  const sources: { tag: string; prefix: string | null; document: OpenApiDoc }[] = [
    { tag: ownTag, prefix: null, document: own },
    ...upstreams.flatMap((u) => (u.document ? [{ tag: u.title, prefix: u.prefix, document: u.document }] : [])),
  ];

  for (const { tag, prefix, document } of sources) {
    // A schema name already taken by a different schema gets the service's prefix.
    const renames = new Map<string, string>();
    for (const [name, schema] of Object.entries(document.components?.schemas ?? {})) {
      const taken = name in schemas && JSON.stringify(schemas[name]) !== JSON.stringify(schema);
      const finalName = taken ? `${prefix ?? 'gateway'}_${name}` : name;
      if (taken) renames.set(name, finalName);
    }
    for (const [name, schema] of Object.entries(document.components?.schemas ?? {})) {
      schemas[renames.get(name) ?? name] = renameRefs(schema, renames);
    }
    for (const [path, item] of Object.entries(document.paths ?? {})) {
      const target = prefix === null ? path : publicPath(prefix, path);
      for (const [method, value] of Object.entries(item)) {
        if (!METHODS.has(method)) continue;
        const operation = value as Operation;
        if (isServiceOnly(operation)) continue;
        // Services' operations are grouped by service; the gateway's keep their own tags.
        const tags = prefix === null ? (operation.tags ?? [tag]) : [tag];
        tags.forEach((t) => tagNames.add(t));
        const tagged = { ...withPathParameters(target, operation), tags };
        if (tagged.operationId && prefix) tagged.operationId = `${prefix}.${tagged.operationId}`;
        paths[target] = { ...(paths[target] ?? {}), [method]: renameRefs(tagged, renames) };
      }
    }
  }

  const unavailable = upstreams.filter((u) => !u.document).map((u) => u.name);
  return {
    openapi: '3.1.0',
    info:
      unavailable.length === 0
        ? info
        : {
            ...info,
            description:
              `${info.description ?? ''}\n\nNot listed, because their documents could not be fetched: ${unavailable.join(', ')}.`.trim(),
          },
    tags: [...tagNames].map((name) => ({ name })),
    paths,
    components: {
      schemas,
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description: 'A user access token from POST /api/auth/login, /register or /refresh',
        },
      },
    },
    ...(unavailable.length > 0 ? { 'x-unavailable-services': unavailable } : {}),
  };
}
