// GET /openapi.json (the merged public document) and GET /docs (its reference page). Mounted
// before service-kit's own /openapi.json, which would describe the gateway's routes only.
import { randomBytes } from 'node:crypto';
import type { Express } from 'express';
import type { Api } from '@azora/service-kit';
import { mergeOpenApi, type OpenApiDoc } from '../domain/openapi-merge';
import type { UpstreamDocuments } from '../proxy/upstream-documents';
import { renderDocsPage } from './docs-page';

export interface DocsDeps {
  version: string;
  /** The gateway's own declared endpoints; known once the routes are declared. */
  ownApi: () => Api | undefined;
  documents: UpstreamDocuments;
}

export function docsRoutes(app: Express, { version, ownApi, documents }: DocsDeps): void {
  async function merged(): Promise<OpenApiDoc> {
    const own = ownApi()?.document({ title: 'api-gateway', version }) ?? {
      openapi: '3.1.0',
      info: { title: 'api-gateway', version },
      paths: {},
    };
    return mergeOpenApi({
      own: own as OpenApiDoc,
      ownTag: 'Gateway',
      upstreams: await documents.all(),
      info: { title: 'Azora API', version, description: 'The public API of Azora, as served by the API gateway.' },
    });
  }

  app.get('/openapi.json', async (_req, res) => {
    res.setHeader('cache-control', 'no-cache');
    res.json(await merged());
  });

  app.get('/docs', async (_req, res) => {
    const nonce = randomBytes(16).toString('base64');
    res.setHeader(
      'content-security-policy',
      `default-src 'none'; style-src 'nonce-${nonce}'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
    );
    res.type('html').send(renderDocsPage(await merged(), nonce));
  });
}
