// The gateway's cost: autocannon against one authenticated GET (Mint's GET /wallet, a real
// service verifying the JWT itself and reading its database) called three ways in one run:
// directly on the service, through the API gateway (which verifies the JWT too) and through
// nginx (Debian's nginx-light, installed with apt-get when missing and started here on
// 127.0.0.1). Prints requests/s, p50/p99 latency and the ratios.
const { spawn, spawnSync } = require('node:child_process');
const { mkdtempSync, rmSync, writeFileSync } = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const autocannon = require('autocannon');
const { formatTable, freePort, startPlatformDatabase, startServiceProcess } = require('./support');

const CONNECTIONS = Number(process.env.BENCH_GATEWAY_CONNECTIONS ?? 32);
const SECONDS = Number(process.env.BENCH_GATEWAY_SECONDS ?? 10);
const WARMUP_SECONDS = 2;
const ROUTE = '/wallet';
const TARGETS = { gatewayVsDirect: 0.65, gatewayVsNginx: 0.6 };

const note = (line) => process.stdout.write(`  ${line}\n`);

async function waitFor(check, what, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
    } catch {
      // not yet
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function ensureNginx() {
  if (spawnSync('sh', ['-c', 'command -v nginx']).status === 0) return;
  note('nginx is not installed: apt-get install -y nginx-light');
  const install = spawnSync(
    'sh',
    [
      '-c',
      'apt-get install -y nginx-light >/dev/null 2>&1 || (apt-get update >/dev/null 2>&1 && apt-get install -y nginx-light >/dev/null 2>&1)',
    ],
    { stdio: 'inherit' },
  );
  if (install.status !== 0) throw new Error('could not install nginx-light with apt-get');
}

/** nginx proxying /api/mint/ to the service over pooled keep-alive connections, as the gateway does. */
async function startNginx(serviceUrl) {
  ensureNginx();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'azora-bench-nginx-'));
  const port = await freePort();
  const upstream = new URL(serviceUrl).host;
  writeFileSync(
    path.join(dir, 'nginx.conf'),
    `worker_processes auto;
daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  upstream mint { server ${upstream}; keepalive 64; }
  server {
    listen 127.0.0.1:${port};
    location /api/mint/ {
      proxy_pass http://mint/;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header X-Request-Id $request_id;
    }
  }
}
`,
  );
  const child = spawn('nginx', ['-p', dir, '-c', path.join(dir, 'nginx.conf')], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  await waitFor(async () => {
    if (child.exitCode !== null) throw new Error(`nginx exited with ${child.exitCode}`);
    return (await fetch(`${url}/api/mint/health`)).ok;
  }, 'nginx to start');
  const version = spawnSync('nginx', ['-v'], { encoding: 'utf8' }).stderr.trim();
  return {
    url,
    version,
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => {
          rmSync(dir, { recursive: true, force: true });
          resolve();
        });
        child.kill('SIGQUIT');
      }),
  };
}

function load(url, token, seconds) {
  return autocannon({
    url,
    connections: CONNECTIONS,
    duration: seconds,
    headers: { authorization: `Bearer ${token}` },
  });
}

async function measure(name, url, token) {
  await load(url, token, WARMUP_SECONDS);
  const result = await load(url, token, SECONDS);
  const statuses = { '2xx': result['2xx'], non2xx: result.non2xx, errors: result.errors, timeouts: result.timeouts };
  note(`${name}: ${Math.round(result.requests.average)} req/s (${JSON.stringify(statuses)})`);
  return {
    url,
    requestsPerSecond: Math.round(result.requests.average),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    ...statuses,
  };
}

/** Registers a user through the gateway, then waits until Mint has opened their wallet (event via Nexus). */
async function signedInUser(gatewayUrl, mintUrl) {
  const response = await fetch(`${gatewayUrl}/api/auth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      email: `bench-${Date.now()}@example.com`,
      password: 'bench-password-1',
      name: 'Bench',
      role: 'student',
    }),
  });
  if (response.status !== 201) throw new Error(`registration failed: ${response.status} ${await response.text()}`);
  const { accessToken } = await response.json();
  const walletStatus = await waitFor(
    async () => {
      const res = await fetch(`${mintUrl}${ROUTE}`, { headers: { authorization: `Bearer ${accessToken}` } });
      return res.status === 200 ? 200 : null;
    },
    'the wallet to open',
    20_000,
  ).catch(() => 404);
  if (walletStatus !== 200)
    note(`Mint did not open the wallet in time: every way below measures the same 404 problem from ${ROUTE}`);
  return { accessToken, walletStatus };
}

async function run() {
  const db = await startPlatformDatabase();
  const [nexusPort, mintPort, gatewayPort] = await Promise.all([freePort(), freePort(), freePort()]);
  const peers = {
    AZORA_NEXUS_URL: `http://127.0.0.1:${nexusPort}`,
    AZORA_MINT_URL: `http://127.0.0.1:${mintPort}`,
    API_GATEWAY_URL: `http://127.0.0.1:${gatewayPort}`,
  };
  const started = [];
  try {
    started.push(
      await startServiceProcess('azora-nexus', { ...peers, NEXUS_DATABASE_URL: db.urls.nexus }, db.keys, nexusPort),
    );
    const mint = await startServiceProcess(
      'azora-mint',
      { ...peers, MINT_DATABASE_URL: db.urls.mint, DB_POOL_MAX: '20' },
      db.keys,
      mintPort,
    );
    started.push(mint);
    const gateway = await startServiceProcess(
      'api-gateway',
      { ...peers, GATEWAY_DATABASE_URL: db.urls.gateway },
      db.keys,
      gatewayPort,
    );
    started.push(gateway);
    const nginx = await startNginx(mint.url);
    started.push(nginx);
    const { accessToken, walletStatus } = await signedInUser(gateway.url, mint.url);

    const direct = await measure('direct', `${mint.url}${ROUTE}`, accessToken);
    const viaGateway = await measure('gateway', `${gateway.url}/api/mint${ROUTE}`, accessToken);
    const viaNginx = await measure('nginx', `${nginx.url}/api/mint${ROUTE}`, accessToken);
    const ratio = (a, b) => Math.round((a / b) * 100) / 100;
    return {
      route: `GET ${ROUTE} on azora-mint (JWT verified by Mint; also by the gateway on the gateway path)`,
      routeStatus: walletStatus,
      connections: CONNECTIONS,
      durationSeconds: SECONDS,
      cpus: os.cpus().length,
      nginx: nginx.version,
      direct,
      gateway: viaGateway,
      nginxProxy: viaNginx,
      ratios: {
        gatewayVsDirect: ratio(viaGateway.requestsPerSecond, direct.requestsPerSecond),
        gatewayVsNginx: ratio(viaGateway.requestsPerSecond, viaNginx.requestsPerSecond),
        nginxVsDirect: ratio(viaNginx.requestsPerSecond, direct.requestsPerSecond),
      },
      targets: TARGETS,
    };
  } finally {
    for (const s of started.reverse()) await s.stop();
    await db.stop();
  }
}

function table(r) {
  const row = (name, m) => [name, m.requestsPerSecond, m.p50Ms, m.p99Ms, m.non2xx + m.errors];
  const met = (value, target) => `${value} (target >= ${target}: ${value >= target ? 'met' : 'NOT met'})`;
  return [
    `${r.route}; -c ${r.connections}, ${r.durationSeconds} s each; ${r.cpus} CPUs; ${r.nginx}`,
    formatTable([
      ['way', 'req/s', 'p50 ms', 'p99 ms', 'non-2xx+errors'],
      row('direct', r.direct),
      row('gateway', r.gateway),
      row('nginx', r.nginxProxy),
    ]),
    `gateway / direct: ${met(r.ratios.gatewayVsDirect, r.targets.gatewayVsDirect)}`,
    `gateway / nginx:  ${met(r.ratios.gatewayVsNginx, r.targets.gatewayVsNginx)}`,
    `nginx / direct:   ${r.ratios.nginxVsDirect}`,
  ].join('\n');
}

module.exports = { run, table };
