#!/usr/bin/env node
// @ts-check
// azora-ops: the one-shot steps operators run around the services, from the built monorepo:
// the database bootstrap, the production secrets (compose files, env lines or Kubernetes
// Secrets), and, for start-production.sh, each service's environment and readiness.
'use strict';

const USAGE = `usage: node infrastructure/ops/azora-ops.js <command>

  bootstrap [--passwords-file <file>]
      Creates one login role and one schema per service on DATABASE_URL (a superuser URL) and runs
      every service's migrations. Role passwords come from <SCHEMA>_DB_PASSWORD variables, or from
      a JSON file (missing ones are generated into it). Safe to run again and again.

  provision-keys [--dir secrets] [--env .env.production] [--file-mode 0444]
      Generates what is missing, never replacing what exists: each service's signing key and the
      public key set (<dir>/keys/), the gateway's key-encryption key, and, in the env file, the
      database passwords, Grafana's admin password, the sandbox webhook secret and a VAPID pair.

  provision-keys --format k8s [--dir secrets] [--env .env.production] [--namespace azora]
      The same, then prints one Secret per service (its own database URL, its own key, its own
      provider credentials), the bootstrap Job's Secret, and the public key set as a ConfigMap.

  service-env --data-dir <dir> --out <dir>
      Writes <out>/<service>.env for every service, NUL-separated NAME=value pairs: its environment
      under start-production.sh, built as npm start builds it (the same allow-list, its own role's
      URL, its own key). Reads DATABASE_URL, HOST, AZORA_GATEWAY_HOST and AZORA_PORT_OFFSET.

  check-database
      Logs in to DATABASE_URL (exit 1 with the reason otherwise).

  probe <url> [<url>...]
      Prints the HTTP status of each URL (or "down"), one a line.
`;

/** @typedef {import('./command').CommandInput} CommandInput */
// (No flag is called --env-file: Node 20 reads that one from anywhere on its command line.)

/** `--name value` pairs and bare words of argv.
 * @param {string[]} argv */
function parseArgs(argv) {
  /** @type {Record<string, string>} */
  const flags = {};
  /** @type {string[]} */
  const words = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = /** @type {string} */ (argv[i]);
    if (arg.startsWith('--')) {
      const value = argv[i + 1];
      if (value === undefined || value.startsWith('--')) throw new Error(`${arg} needs a value`);
      flags[arg.slice(2)] = value;
      i++;
    } else words.push(arg);
  }
  return { flags, words };
}

/** @type {Record<string, () => (input: CommandInput) => Promise<number>>} */
const COMMANDS = {
  bootstrap: () => require('./bootstrap-command').bootstrapCommand,
  'provision-keys': () => require('./provision-keys').provisionKeysCommand,
  'service-env': () => require('./service-env').serviceEnvCommand,
  'check-database': () => require('./database-check').checkDatabaseCommand,
  probe: () => require('./probe').probeCommand,
};

async function main() {
  const [command, ...rest] = process.argv.slice(2);
  if (!command || !(command in COMMANDS)) {
    const known = command === undefined || command === 'help';
    (known ? process.stdout : process.stderr).write(USAGE);
    process.exit(known ? 0 : 2);
  }
  const run = /** @type {() => (input: CommandInput) => Promise<number>} */ (COMMANDS[command])();
  const { flags, words } = parseArgs(rest);
  const code = await run({ flags, words, env: process.env });
  process.exitCode = code;
}

main().catch((error) => {
  process.stderr.write(`azora-ops: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
