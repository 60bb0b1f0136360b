// GET /openapi.json (the merged public document) and GET /docs (its reference page, with the
// renderer's files under /docs/assets/). Mounted before service-kit's own /openapi.json, which
// would describe the gateway's routes only.
import type { Express, Response } from 'express';
import type { Api } from '@azora/service-kit';
import { mergeOpenApi, type OpenApiDoc } from '../domain/openapi-merge';
import type { UpstreamDocuments } from '../proxy/upstream-documents';
import { DOCS_CSP, DOCS_PAGE, DOCS_SCRIPT, DOCS_SCRIPT_NAME, VENDOR_ASSETS } from './docs-page';

export interface DocsDeps {
  version: string;
  /** The gateway's own declared endpoints; known once the routes are declared. */
  ownApi: () => Api | undefined;
  documents: UpstreamDocuments;
}

const ASSET_CACHE = 'public, max-age=3600';

function page(res: Response): void {
  res.setHeader('content-security-policy', DOCS_CSP);
  res.setHeader('cache-control', 'no-cache');
  res.type('html').send(DOCS_PAGE);
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

  app.get('/docs', (_req, res) => page(res));
  app.get('/docs/', (_req, res) => page(res));

  app.get(`/docs/assets/${DOCS_SCRIPT_NAME}`, (_req, res) => {
    res.setHeader('cache-control', ASSET_CACHE);
    res.type('text/javascript').send(DOCS_SCRIPT);
  });

  for (const [name, file] of Object.entries(VENDOR_ASSETS)) {
    app.get(`/docs/assets/${name}`, (_req, res, next) => {
      res.sendFile(file, { maxAge: 3_600_000, lastModified: false }, (error) => {
        if (error) next(error);
      });
    });
  }
}
