// @ts-check
// `azora-ops provision-keys`: the production secrets, generated once and kept. Files for what
// compose mounts (signing keys, the public key set, the gateway's key-encryption key); env-file
// lines for what sits in variables (database and Grafana passwords, the sandbox webhook secret, a
// VAPID pair); or all of it as Kubernetes Secrets.
'use strict';

const { createECDH, randomBytes } = require('node:crypto');
const { chmodSync, mkdirSync, readdirSync } = require('node:fs');
const path = require('node:path');
const { SERVICES } = require('@azora/contracts');
const { provisionServiceKeys } = require('@azora/service-kit');
const { provisionKeyEncryptionKey } = require('@azora/platform');
const { passwordVariable } = require('./bootstrap-command');
const { fillEnvFile, readEnvFile } = require('./env-file');
const { kubernetesSecrets } = require('./k8s-secrets');

const secret = () => randomBytes(24).toString('base64url');

/** Web Push's VAPID pair, as web-push makes it: the uncompressed P-256 public point and the
 * private scalar, both base64url. */
function vapidPair() {
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  const scalar = ecdh.getPrivateKey();
  // Node drops leading zero bytes of the scalar; web-push wants all 32.
  const privateKey = Buffer.concat([Buffer.alloc(32 - scalar.length), scalar]);
  return { publicKey: ecdh.getPublicKey().toString('base64url'), privateKey: privateKey.toString('base64url') };
}

/** @param {string} envFile */
function generatedVariables(envFile) {
  const current = readEnvFile(envFile);
  /** @type {Record<string, () => string>} */
  const generated = {
    POSTGRES_PASSWORD: secret,
    ...Object.fromEntries(SERVICES.map((s) => [passwordVariable(s.schema), secret])),
    GRAFANA_ADMIN_PASSWORD: secret,
    PAY_SANDBOX_WEBHOOK_SECRET: () => `whsec_${secret()}`,
  };
  // A pair or nothing: one half alone is the operator's to fix (the service names it).
  if (!current['VAPID_PUBLIC_KEY'] && !current['VAPID_PRIVATE_KEY']) {
    const pair = vapidPair();
    generated['VAPID_PUBLIC_KEY'] = () => pair.publicKey;
    generated['VAPID_PRIVATE_KEY'] = () => pair.privateKey;
  }
  return generated;
}

/**
 * Writes the key files under `<dir>/keys/` unless present. `fileMode` 0444 lets the containers'
 * own user read a file compose bind-mounts (compose without swarm cannot chown a secret); the
 * directory stays 0700, so no other user of the host reaches them.
 * @param {string} dir
 * @param {number} fileMode
 */
async function provisionKeyFiles(dir, fileMode) {
  const keysDir = path.join(dir, 'keys');
  mkdirSync(keysDir, { recursive: true, mode: 0o700 });
  const keys = await provisionServiceKeys(
    keysDir,
    SERVICES.map((s) => s.name),
  );
  const keyEncryptionKeyFile = await provisionKeyEncryptionKey(dir);
  chmodSync(dir, 0o700);
  chmodSync(keysDir, 0o700);
  for (const file of readdirSync(keysDir)) {
    chmodSync(path.join(keysDir, file), file === 'service-jwks.json' ? 0o444 : fileMode);
  }
  return { keysDir, jwksFile: keys.jwksFile, keyFile: keys.keyFile, keyEncryptionKeyFile };
}

/** @param {string | undefined} text */
function parseMode(text) {
  if (text === undefined) return 0o444;
  if (!/^0?[0-7]{3}$/.test(text)) throw new Error(`--file-mode expects an octal mode such as 0444, got ${text}`);
  return parseInt(text, 8);
}

/** @param {import('./command').CommandInput} input */
async function provisionKeysCommand({ flags }) {
  const format = flags['format'] ?? 'files';
  if (format !== 'files' && format !== 'k8s') throw new Error(`--format is files or k8s, got ${format}`);
  const dir = path.resolve(flags['dir'] ?? 'secrets');
  const envFile = path.resolve(flags['env'] ?? '.env.production');
  const files = await provisionKeyFiles(dir, parseMode(flags['file-mode']));
  const filled = fillEnvFile(envFile, generatedVariables(envFile));
  const say = (/** @type {string} */ line) => (format === 'k8s' ? process.stderr : process.stdout).write(`${line}\n`);
  say(`keys: ${files.keysDir} (one private key per service, service-jwks.json, gateway-key-encryption.key)`);
  say(filled.length > 0 ? `${envFile}: generated ${filled.join(', ')}` : `${envFile}: nothing missing`);
  if (format === 'k8s') {
    const list = kubernetesSecrets({ env: readEnvFile(envFile), files, namespace: flags['namespace'] ?? 'azora' });
    process.stdout.write(`${JSON.stringify(list, null, 2)}\n`);
  }
  return 0;
}

module.exports = { provisionKeysCommand, provisionKeyFiles, vapidPair };
