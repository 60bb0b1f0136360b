// @ts-check
// `azora-ops service-env`: the environment of each service under start-production.sh, built the
// way npm start builds it (the launcher's provisioning and allow-list), so that the production
// script is never looser: each service gets its own role's URL, its own key and the public key
// set, the gateway its key-encryption key, and nothing of the superuser's.
'use strict';

const { chmodSync, mkdirSync, writeFileSync } = require('node:fs');
const path = require('node:path');
const { SERVICES, serviceUrlVariable } = require('@azora/contracts');
const { serviceEnv } = require('@azora/platform');
// The launcher's own provisioning (role passwords, keys, the gateway's key-encryption key, a
// directory per service that keeps files), not exported from the package's index.
const { provision } = require('@azora/platform/dist/provisioning');

/** @param {string | undefined} raw @param {string} name */
function nonNegativeInteger(raw, name) {
  if (raw === undefined || raw === '') return 0;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a non-negative integer`);
  return value;
}

/** @param {import('./command').CommandInput} input */
async function serviceEnvCommand({ flags, env }) {
  const superuserUrl = env['DATABASE_URL'];
  if (!superuserUrl) throw new Error('DATABASE_URL is not set');
  const dataDir = flags['data-dir'];
  const outDir = flags['out'];
  if (!dataDir || !outDir) throw new Error('service-env needs --data-dir <dir> and --out <dir>');
  const offset = nonNegativeInteger(env['AZORA_PORT_OFFSET'], 'AZORA_PORT_OFFSET');
  const host = env['HOST'] || '127.0.0.1';
  // Behind a reverse proxy on the same host the gateway stays on HOST; AZORA_GATEWAY_HOST opens it.
  const gatewayHost = env['AZORA_GATEWAY_HOST'] || host;
  const listenHost = (/** @type {string} */ name) => (name === 'api-gateway' ? gatewayHost : host);
  // A service listening on every interface is reached by its peers over loopback.
  const reachAt = (/** @type {string} */ name) => {
    const listening = listenHost(name);
    return listening === '0.0.0.0' || listening === '::' ? '127.0.0.1' : listening;
  };
  const provisioning = await provision(superuserUrl, path.resolve(dataDir));
  const peers = Object.fromEntries(
    SERVICES.map((s) => [serviceUrlVariable(s.name), `http://${reachAt(s.name)}:${s.port + offset}`]),
  );
  mkdirSync(outDir, { recursive: true, mode: 0o700 });
  chmodSync(outDir, 0o700);
  for (const info of SERVICES) {
    const gateway = info.name === 'api-gateway';
    const variables = serviceEnv({
      info,
      inherited: env,
      secrets: provisioning.secretsOf(info),
      port: info.port + offset,
      host: listenHost(info.name),
      logLevel: env['LOG_LEVEL'] || 'info',
      peers,
    });
    // npm start opens the gateway to local dev servers by default; production allows no browser
    // origin until CORS_ORIGINS names one.
    if (gateway && !env['CORS_ORIGINS']) variables['CORS_ORIGINS'] = '';
    variables['NODE_ENV'] = env['NODE_ENV'] || 'production';
    const file = path.join(outDir, `${info.name}.env`);
    const text = Object.entries(variables)
      .map(([name, value]) => `${name}=${value}\0`)
      .join('');
    writeFileSync(file, text, { mode: 0o600 });
    chmodSync(file, 0o600);
  }
  return 0;
}

module.exports = { serviceEnvCommand };
