// @ts-check
// The production secrets as Kubernetes objects: one Secret per service holding only its own
// database URL, signing key and provider credentials; the bootstrap Job's Secret (the superuser
// URL and every role's password); the public service key set as a ConfigMap.
'use strict';

const { readFileSync } = require('node:fs');
const { SERVICES, databaseUrlVariable } = require('@azora/contracts');
const { roleFor, urlAs } = require('@azora/database');
const { passwordVariable } = require('./bootstrap-command');
const { SHARED_SECRETS, providerSecrets } = require('./service-secrets');

/**
 * @typedef {{ keyFile(service: string): string, jwksFile: string, keyEncryptionKeyFile: string }} KeyFiles
 * @typedef {{ env: Record<string, string>, files: KeyFiles, namespace: string }} SecretsInput
 */

/** @param {Record<string, string>} env @param {string} name */
function required(env, name, why = '') {
  const value = env[name];
  if (!value) throw new Error(`${name} is not set in the env file${why}`);
  return value;
}

/** @param {string} name @param {string} namespace @param {Record<string, string>} stringData */
function secretObject(name, namespace, stringData) {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    type: 'Opaque',
    metadata: { name, namespace, labels: { 'app.kubernetes.io/part-of': 'azora' } },
    stringData,
  };
}

/**
 * The Secret of one service: what it alone may read.
 * @param {SecretsInput} input
 * @param {typeof SERVICES[number]} info
 * @param {string} superuserUrl
 */
function serviceSecret({ env, files, namespace }, info, superuserUrl) {
  /** @type {Record<string, string>} */
  const data = {
    [databaseUrlVariable(info.schema)]: urlAs(
      superuserUrl,
      roleFor(info.schema),
      required(env, passwordVariable(info.schema)),
    ),
    SERVICE_PRIVATE_KEY: readFileSync(files.keyFile(info.name), 'utf8'),
  };
  if (info.name === 'api-gateway') {
    data['GATEWAY_KEY_ENCRYPTION_KEY'] = readFileSync(files.keyEncryptionKeyFile, 'utf8').trim();
  }
  for (const name of [...providerSecrets(info.name), ...SHARED_SECRETS]) {
    if (env[name] && !(name in data)) data[name] = env[name];
  }
  return secretObject(`${info.name}-secrets`, namespace, data);
}

/** @param {SecretsInput} input */
function kubernetesSecrets(input) {
  const { env, files, namespace } = input;
  const superuserUrl = required(
    env,
    'DATABASE_URL',
    ' (the superuser URL of the PostgreSQL the cluster uses; the services get URLs of their own roles on it)',
  );
  const bootstrap = secretObject('azora-bootstrap', namespace, {
    DATABASE_URL: superuserUrl,
    ...Object.fromEntries(SERVICES.map((s) => [passwordVariable(s.schema), required(env, passwordVariable(s.schema))])),
  });
  const jwks = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'azora-service-jwks', namespace, labels: { 'app.kubernetes.io/part-of': 'azora' } },
    data: { 'service-jwks.json': readFileSync(files.jwksFile, 'utf8') },
  };
  return {
    apiVersion: 'v1',
    kind: 'List',
    items: [bootstrap, jwks, ...SERVICES.map((info) => serviceSecret(input, info, superuserUrl))],
  };
}

module.exports = { kubernetesSecrets };
