// @ts-check
// The container's health check: GET the service's own /health (or the URL given) and exit 0 on
// a 200, 1 otherwise. Node is in every image, curl is not.
'use strict';

/** The service's port: PORT when set, else its catalog port (the image knows its service). */
function port() {
  if (process.env['PORT']) return process.env['PORT'];
  const { serviceByName } = require('@azora/contracts');
  const info = serviceByName(process.env['AZORA_SERVICE'] ?? '');
  if (!info) throw new Error('set PORT or AZORA_SERVICE');
  return String(info.port);
}

const url = process.argv[2] ?? `http://127.0.0.1:${port()}/health`;

fetch(url, { signal: AbortSignal.timeout(3_000) }).then(
  (response) => process.exit(response.status === 200 ? 0 : 1),
  () => process.exit(1),
);
