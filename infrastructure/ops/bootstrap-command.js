// @ts-check
// `azora-ops bootstrap`: the roles, schemas and migrations of every service, as a one-shot (the
// compose service and the Kubernetes Job run it before the services; start-production.sh too).
'use strict';

const { SERVICES } = require('@azora/contracts');
const { bootstrap, loadRolePasswords, platformDatabases } = require('@azora/database');

/** Passwords sit unescaped in connection strings (postgres://role:password@host), so they are
 * limited to characters a URL never needs to escape. */
const PASSWORD = /^[A-Za-z0-9_-]{16,}$/;

/** `ai_family` -> `AI_FAMILY_DB_PASSWORD`. @param {string} schema */
function passwordVariable(schema) {
  return `${schema.toUpperCase()}_DB_PASSWORD`;
}

/** Every role's password from the environment, or an error naming each variable that is wrong.
 * @param {NodeJS.ProcessEnv} env */
function passwordsFromEnv(env) {
  /** @type {Record<string, string>} */
  const passwords = {};
  const problems = [];
  for (const { schema } of SERVICES) {
    const name = passwordVariable(schema);
    const value = env[name];
    if (!value) problems.push(`${name} is not set`);
    else if (!PASSWORD.test(value)) problems.push(`${name} must be 16 or more of A-Z a-z 0-9 _ -`);
    else passwords[schema] = value;
  }
  if (problems.length > 0) {
    throw new Error(`the role passwords are incomplete (provision-keys generates them):\n  ${problems.join('\n  ')}`);
  }
  return passwords;
}

/** @param {import('./command').CommandInput} input */
async function bootstrapCommand({ flags, env }) {
  const superuserUrl = env['DATABASE_URL'];
  if (!superuserUrl) throw new Error('DATABASE_URL is not set: give the URL of a superuser (or a CREATEROLE owner)');
  const databases = platformDatabases();
  const passwordsFile = flags['passwords-file'] ?? env['AZORA_ROLE_PASSWORDS_FILE'];
  const passwords = passwordsFile
    ? await loadRolePasswords(
        passwordsFile,
        databases.map((d) => d.schema),
      )
    : passwordsFromEnv(env);
  const started = Date.now();
  await bootstrap({
    superuserUrl,
    databases,
    passwords,
    logger: {
      info: (details, message) => {
        const { migration, schema } = /** @type {{ migration?: string, schema?: string }} */ (details);
        process.stdout.write(`${message}${migration ? `: ${schema}, ${migration}` : ''}\n`);
      },
    },
  });
  const schemas = databases.map((d) => d.schema).join(', ');
  process.stdout.write(`bootstrap done in ${Date.now() - started} ms: roles and schemas ${schemas}\n`);
  return 0;
}

module.exports = { bootstrapCommand, passwordVariable, PASSWORD };
