// The /docs reference page: Swagger UI (swagger-ui-dist, installed with the gateway) rendering
// the merged /openapi.json, with "Try it out" sending requests to this gateway. Every script and
// style comes from the gateway's own /docs/assets/ routes, none from a CDN and none inline, so the
// page's CSP can allow 'self' and nothing else.
import path from 'node:path';

/** Where swagger-ui-dist keeps its files (resolved without loading its 1.7 MB bundle into Node). */
const SWAGGER_UI_DIR = path.dirname(require.resolve('swagger-ui-dist/swagger-ui-bundle.js'));

/** The files of swagger-ui-dist the page uses: nothing else of the package is served. */
export const VENDOR_ASSETS: Readonly<Record<string, string>> = {
  'swagger-ui.css': path.join(SWAGGER_UI_DIR, 'swagger-ui.css'),
  'swagger-ui-bundle.js': path.join(SWAGGER_UI_DIR, 'swagger-ui-bundle.js'),
  'favicon-32x32.png': path.join(SWAGGER_UI_DIR, 'favicon-32x32.png'),
};

export const DOCS_SCRIPT_NAME = 'docs.js';

// The validator badge would send the document to an outside service: off. Deep links let a
// reader share the address of one operation.
export const DOCS_SCRIPT = `'use strict';
window.addEventListener('load', function () {
  window.ui = SwaggerUIBundle({
    url: '/openapi.json',
    dom_id: '#docs',
    deepLinking: true,
    validatorUrl: null,
    displayRequestDuration: true,
    persistAuthorization: false,
    presets: [SwaggerUIBundle.presets.apis],
    layout: 'BaseLayout',
  });
});
`;

export const DOCS_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  // swagger-ui.css draws its icons as data: SVGs.
  "img-src 'self' data:",
  // Loading /openapi.json and "Try it out" both call this gateway.
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export const DOCS_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Azora API</title>
<link rel="icon" type="image/png" href="/docs/assets/favicon-32x32.png">
<link rel="stylesheet" href="/docs/assets/swagger-ui.css">
</head>
<body>
<div id="docs"></div>
<noscript>This reference needs JavaScript. The machine-readable document is at <a href="/openapi.json">/openapi.json</a>.</noscript>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script src="/docs/assets/${DOCS_SCRIPT_NAME}"></script>
</body>
</html>
`;
