// What the benchmarks share: an embedded PostgreSQL bootstrapped like the platform's, service
// keys, real service processes, and percentiles.
const { spawn } = require('node:child_process');
const http = require('node:http');
const { mkdtempSync, chmodSync, rmSync } = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { bootstrap, freePort, platformDatabases, startEmbeddedPostgres, loadRolePasswords } = require('@azora/database');
const { provisionServiceKeys } = require('@azora/service-kit');

const ROOT = path.resolve(__dirname, '..');

function percentile(sorted, p) {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

function summarize(latenciesMs) {
  const sorted = [...latenciesMs].sort((a, b) => a - b);
  const round = (v) => (v === null ? null : Math.round(v * 10) / 10);
  return {
    count: sorted.length,
    p50Ms: round(percentile(sorted, 50)),
    p99Ms: round(percentile(sorted, 99)),
    maxMs: round(sorted[sorted.length - 1] ?? null),
  };
}

const SERVICES_WITH_KEYS = ['azora-nexus', 'azora-education', 'azora-mint', 'api-gateway'];

/** A platform database on a fresh embedded server: roles, schemas, migrations, service keys
 * (for Nexus, Education, Mint and the gateway, and for `moreServices`). */
async function startPlatformDatabase({ moreServices = [] } = {}) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'azora-bench-'));
  chmodSync(dir, 0o755);
  const pg = await startEmbeddedPostgres({ dataDir: path.join(dir, 'pg'), port: await freePort(), password: 'bench' });
  const databases = platformDatabases();
  const passwords = await loadRolePasswords(
    path.join(dir, 'role-passwords.json'),
    databases.map((d) => d.schema),
  );
  const urls = await bootstrap({ superuserUrl: pg.superuserUrl, databases, passwords });
  const keys = await provisionServiceKeys(path.join(dir, 'keys'), [...SERVICES_WITH_KEYS, ...moreServices]);
  return {
    superuserUrl: pg.superuserUrl,
    urls,
    keys,
    async stop() {
      await pg.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Spawns node with `args` and waits until `healthUrl` answers 2xx; `stop` sends SIGTERM. */
async function startNodeProcess(what, args, { env, cwd, stdout = 'inherit' }, healthUrl) {
  const child = spawn(process.execPath, args, { cwd, env, stdio: ['ignore', stdout, 'inherit'] });
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${what} exited with ${child.exitCode}`);
    try {
      if ((await fetch(healthUrl)).ok) break;
    } catch {
      // not yet
    }
    if (Date.now() > deadline) throw new Error(`${what} did not start`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    pid: child.pid,
    stop: () =>
      new Promise((resolve) =>
        child.exitCode !== null ? resolve() : (child.once('exit', resolve), child.kill('SIGTERM')),
      ),
  };
}

/**
 * Starts services/<name>/dist/server.js (on `port`, or a free one) and waits until it serves.
 * It logs at warn to this process's output unless `logLevel` (null: the service's default) or
 * `stdout` (a file descriptor) say otherwise.
 */
async function startServiceProcess(name, env, keys, port, { logLevel = 'warn', stdout } = {}) {
  port ??= await freePort();
  const url = `http://127.0.0.1:${port}`;
  // e.g. BENCH_SERVICE_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" profiles the services under load.
  const nodeArgs = (process.env.BENCH_SERVICE_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = await startNodeProcess(
    name,
    [...nodeArgs, path.join(ROOT, 'services', name, 'dist', 'server.js')],
    {
      env: {
        PATH: process.env.PATH,
        PORT: String(port),
        HOST: '127.0.0.1',
        ...(logLevel === null ? {} : { LOG_LEVEL: logLevel }),
        SERVICE_KEY_FILE: keys.keyFile(name),
        SERVICE_JWKS_FILE: keys.jwksFile,
        ...env,
      },
      stdout,
    },
    `${url}/health`,
  );
  return { url, ...child };
}

/** Serves the user-token key set, as the gateway's /.well-known/jwks.json would. */
async function startJwksServer(publicJwk) {
  const body = JSON.stringify({ keys: [publicJwk] });
  const server = http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(body));
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}/.well-known/jwks.json`,
    close: () => new Promise((r) => server.close(r)),
  };
}

function formatTable(rows) {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => String(row[i]).length)));
  return rows.map((row) => row.map((c, i) => String(c).padEnd(widths[i])).join('  ')).join('\n');
}

module.exports = {
  ROOT,
  freePort,
  summarize,
  startPlatformDatabase,
  startNodeProcess,
  startServiceProcess,
  startJwksServer,
  formatTable,
};
