// The gateway's cost: autocannon against one authenticated GET (Mint's GET /wallet, a real
// service verifying the JWT itself and reading its database) called five ways, in rounds that
// alternate them, so that every way sees the same machine: directly on the service; through a
// bare node:http proxy (keep-alive agent, nothing else: the limit for a Node hop); through a
// plain Express + http-proxy-middleware proxy (no auth, ids, metrics or logs: the baseline the
// gateway is judged against); through the API gateway with its default logging (info, one JSON
// line per request, here to a file); and through nginx (Debian's nginx-light, installed with
// apt-get when missing). Prints requests/s, p50/p99 latency and the ratios.
const { spawn, spawnSync } = require('node:child_process');
const { randomBytes } = require('node:crypto');
const { mkdtempSync, openSync, closeSync, readFileSync, rmSync, writeFileSync } = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const autocannon = require('autocannon');
const {
  ROOT,
  formatTable,
  freePort,
  startNodeProcess,
  startPlatformDatabase,
  startServiceProcess,
} = require('./support');

const CONNECTIONS = Number(process.env.BENCH_GATEWAY_CONNECTIONS ?? 32);
const SECONDS = Number(process.env.BENCH_GATEWAY_SECONDS ?? 10);
const ROUNDS = Number(process.env.BENCH_GATEWAY_ROUNDS ?? 3);
const WARMUP_SECONDS = 2;
const ROUTE = '/wallet';
// What the gateway adds to a plain http-proxy-middleware hop costs at most a tenth.
const TARGETS = { gatewayVsHpm: 0.9 };
const WAYS = ['direct', 'bare', 'hpm', 'gateway', 'nginx'];
// Linux reports process CPU time in clock ticks of 1/100 s (getconf CLK_TCK).
const CLOCK_TICKS = 100;

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

/** The bare Node hop: node:http in and out over a keep-alive agent, headers passed as they are. */
const BARE_PROXY = `
const http = require('node:http');
const target = new URL(process.env.TARGET);
const agent = new http.Agent({ keepAlive: true, maxSockets: 512, maxFreeSockets: 128, scheduling: 'lifo' });
http.createServer((req, res) => {
  const upstream = http.request(
    { host: target.hostname, port: target.port, method: req.method, path: req.url.slice('/api/mint'.length) || '/',
      headers: { ...req.headers, host: target.host }, agent },
    (answer) => { res.writeHead(answer.statusCode, answer.headers); answer.pipe(res); },
  );
  upstream.on('error', () => { res.statusCode = 502; res.end(); });
  req.pipe(upstream);
}).listen(Number(process.env.PORT), '127.0.0.1');
`;

/** A plain Express 5 + http-proxy-middleware 3 proxy, as its README shows one, with a keep-alive agent. */
const HPM_PROXY = `
const http = require('node:http');
const express = require('express');
const { createProxyMiddleware } = require('http-proxy-middleware');
const app = express();
const agent = new http.Agent({ keepAlive: true, maxSockets: 512, maxFreeSockets: 128, scheduling: 'lifo' });
app.use('/api/mint', createProxyMiddleware({ target: process.env.TARGET, changeOrigin: true, agent }));
app.listen(Number(process.env.PORT), '127.0.0.1');
`;

async function startNodeProxy(source, serviceUrl) {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const proxy = await startNodeProcess(
    'a baseline proxy',
    ['-e', source],
    { cwd: ROOT, env: { PATH: process.env.PATH, PORT: String(port), TARGET: serviceUrl } },
    `${url}/api/mint/health`,
  );
  return { url, ...proxy };
}

/** The gateway as deployed: LOG_LEVEL unset (info), its JSON log lines going to `logFile`. */
async function startGateway(env, keys, port, logFile) {
  const out = openSync(logFile, 'a');
  try {
    return await startServiceProcess('api-gateway', env, keys, port, { logLevel: null, stdout: out });
  } finally {
    closeSync(out);
  }
}

function load(url, token, seconds) {
  return autocannon({
    url,
    connections: CONNECTIONS,
    duration: seconds,
    headers: { authorization: `Bearer ${token}` },
  });
}

/** CPU seconds (user + system) a process has used so far, from /proc; null where there is none. */
function cpuSeconds(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return null;
  }
}

/**
 * req/s depends on everything else the machine runs at the time; the CPU the proxy process
 * spent per request hardly does, so it is recorded too (`pid`: the proxy's process, if any).
 */
async function measure(name, url, token, pid) {
  await load(url, token, WARMUP_SECONDS);
  const cpuBefore = pid === undefined ? null : cpuSeconds(pid);
  const result = await load(url, token, SECONDS);
  const cpuAfter = pid === undefined ? null : cpuSeconds(pid);
  const statuses = { '2xx': result['2xx'], non2xx: result.non2xx, errors: result.errors, timeouts: result.timeouts };
  const cpuMicrosPerRequest =
    cpuBefore === null || cpuAfter === null ? null : Math.round(((cpuAfter - cpuBefore) * 1e6) / result.requests.total);
  note(
    `${name}: ${Math.round(result.requests.average)} req/s${cpuMicrosPerRequest === null ? '' : `, ${cpuMicrosPerRequest} µs CPU/request`} (${JSON.stringify(statuses)})`,
  );
  return {
    requestsPerSecond: Math.round(result.requests.average),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    cpuMicrosPerRequest,
    ...statuses,
  };
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
const ratio = (a, b) => Math.round((a / b) * 100) / 100;

/** Each way over the rounds: the median round's figures, the range, and every failed request. */
function summarise(runs) {
  const rates = runs.map((r) => r.requestsPerSecond);
  return {
    requestsPerSecond: median(rates),
    range: [Math.min(...rates), Math.max(...rates)],
    p50Ms: median(runs.map((r) => r.p50Ms)),
    p99Ms: median(runs.map((r) => r.p99Ms)),
    cpuMicrosPerRequest: runs[0].cpuMicrosPerRequest === null ? null : median(runs.map((r) => r.cpuMicrosPerRequest)),
    non2xx: runs.reduce((sum, r) => sum + r.non2xx, 0),
    errors: runs.reduce((sum, r) => sum + r.errors + r.timeouts, 0),
    rounds: runs,
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
  const logDir = mkdtempSync(path.join(os.tmpdir(), 'azora-bench-gateway-'));
  const logFile = path.join(logDir, 'gateway.log');
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
    const gateway = await startGateway(
      // The stored signing keys are sealed under a key-encryption key: one made for this run.
      {
        ...peers,
        GATEWAY_DATABASE_URL: db.urls.gateway,
        GATEWAY_KEY_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      },
      db.keys,
      gatewayPort,
      logFile,
    );
    started.push(gateway);
    const bare = await startNodeProxy(BARE_PROXY, mint.url);
    started.push(bare);
    const hpm = await startNodeProxy(HPM_PROXY, mint.url);
    started.push(hpm);
    const nginx = await startNginx(mint.url);
    started.push(nginx);
    const { accessToken, walletStatus } = await signedInUser(gateway.url, mint.url);

    const urls = {
      direct: `${mint.url}${ROUTE}`,
      bare: `${bare.url}/api/mint${ROUTE}`,
      hpm: `${hpm.url}/api/mint${ROUTE}`,
      gateway: `${gateway.url}/api/mint${ROUTE}`,
      nginx: `${nginx.url}/api/mint${ROUTE}`,
    };
    const pids = { direct: mint.pid, bare: bare.pid, hpm: hpm.pid, gateway: gateway.pid };
    const runs = Object.fromEntries(WAYS.map((way) => [way, []]));
    for (let round = 1; round <= ROUNDS; round++) {
      note(`round ${round} of ${ROUNDS}`);
      for (const way of WAYS) runs[way].push(await measure(way, urls[way], accessToken, pids[way]));
    }
    const ways = Object.fromEntries(WAYS.map((way) => [way, summarise(runs[way])]));
    const perRound = (a, b) => runs[a].map((r, i) => ratio(r.requestsPerSecond, runs[b][i].requestsPerSecond));
    const gatewayVsHpmRounds = perRound('gateway', 'hpm');
    return {
      route: `GET ${ROUTE} on azora-mint (JWT verified by Mint; also by the gateway on the gateway path)`,
      routeStatus: walletStatus,
      connections: CONNECTIONS,
      durationSeconds: SECONDS,
      rounds: ROUNDS,
      cpus: os.cpus().length,
      nginx: nginx.version,
      gatewayLogLines: readFileSync(logFile, 'utf8')
        .split('\n')
        .filter((l) => l.includes('request completed')).length,
      ways,
      // The proxy processes' own CPU per request: what each hop costs, whatever else ran meanwhile.
      cpuMicrosPerRequest: {
        mintDirect: ways.direct.cpuMicrosPerRequest,
        bare: ways.bare.cpuMicrosPerRequest,
        hpm: ways.hpm.cpuMicrosPerRequest,
        gateway: ways.gateway.cpuMicrosPerRequest,
        gatewayAddsToHpm: ways.gateway.cpuMicrosPerRequest - ways.hpm.cpuMicrosPerRequest,
      },
      ratios: {
        gatewayVsHpm: median(gatewayVsHpmRounds),
        gatewayVsHpmRounds,
        gatewayVsBare: ratio(ways.gateway.requestsPerSecond, ways.bare.requestsPerSecond),
        gatewayVsDirect: ratio(ways.gateway.requestsPerSecond, ways.direct.requestsPerSecond),
        hpmVsBare: ratio(ways.hpm.requestsPerSecond, ways.bare.requestsPerSecond),
        bareVsDirect: ratio(ways.bare.requestsPerSecond, ways.direct.requestsPerSecond),
        nginxVsDirect: ratio(ways.nginx.requestsPerSecond, ways.direct.requestsPerSecond),
      },
      targets: TARGETS,
      targetsMet: median(gatewayVsHpmRounds) >= TARGETS.gatewayVsHpm && ways.gateway.non2xx + ways.gateway.errors === 0,
    };
  } finally {
    for (const s of started.reverse()) await s.stop();
    await db.stop();
    rmSync(logDir, { recursive: true, force: true });
  }
}

function table(r) {
  const names = {
    direct: 'direct',
    bare: 'bare node:http proxy',
    hpm: 'plain hpm proxy',
    gateway: 'gateway',
    nginx: 'nginx',
  };
  const row = (way) => {
    const m = r.ways[way];
    return [
      names[way],
      m.requestsPerSecond,
      `${m.range[0]}-${m.range[1]}`,
      m.p50Ms,
      m.p99Ms,
      m.non2xx + m.errors,
      m.cpuMicrosPerRequest ?? '',
    ];
  };
  const met = r.targetsMet ? 'met' : 'NOT met';
  return [
    `${r.route}; -c ${r.connections}, ${r.durationSeconds} s each, ${r.rounds} alternated rounds (median); ${r.cpus} CPUs; ${r.nginx}`,
    formatTable([['way', 'req/s', 'range', 'p50 ms', 'p99 ms', 'non-2xx+errors', 'µs CPU/req'], ...WAYS.map(row)]),
    `gateway / plain hpm: ${r.ratios.gatewayVsHpm} (rounds ${r.ratios.gatewayVsHpmRounds.join(', ')}; target >= ${r.targets.gatewayVsHpm} with no failed request: ${met})`,
    `gateway / bare: ${r.ratios.gatewayVsBare}, gateway / direct: ${r.ratios.gatewayVsDirect}, hpm / bare: ${r.ratios.hpmVsBare}, bare / direct: ${r.ratios.bareVsDirect}, nginx / direct: ${r.ratios.nginxVsDirect}`,
    `CPU per request in the proxy process: gateway ${r.cpuMicrosPerRequest.gateway} µs, plain hpm ${r.cpuMicrosPerRequest.hpm} µs (the gateway adds ${r.cpuMicrosPerRequest.gatewayAddsToHpm} µs), bare ${r.cpuMicrosPerRequest.bare} µs`,
    `gateway log lines written: ${r.gatewayLogLines}`,
  ].join('\n');
}

module.exports = { run, table };
