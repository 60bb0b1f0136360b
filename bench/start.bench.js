// How long the launcher takes from start to all ten services ready, and how much memory each
// idle service holds; the baseline is ten bare Node HTTP servers started the same way.
const { spawn, execFileSync } = require('node:child_process');
const { mkdtempSync, chmodSync, readFileSync, rmSync } = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const readline = require('node:readline');

const { ROOT, freePort } = require('./support');

const CLI = path.join(ROOT, 'packages', 'platform', 'dist', 'cli.js');

function rssMb(pid) {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Math.round(Number(match[1]) / 1024) : null;
  } catch {
    return null;
  }
}

async function launchOnce(dataDir, pgPort, portOffset) {
  const started = performance.now();
  const child = spawn(process.execPath, [CLI, 'start', '--json'], {
    env: {
      ...process.env,
      DATABASE_URL: '',
      AZORA_DATA_DIR: dataDir,
      AZORA_PG_PORT: String(pgPort),
      AZORA_PORT_OFFSET: String(portOffset),
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const summary = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('launcher not ready within 120 s')), 120_000);
    readline.createInterface({ input: child.stdout }).on('line', (line) => {
      if (line.startsWith('{"event":"ready"')) {
        clearTimeout(timer);
        resolve(JSON.parse(line));
      }
    });
    child.once('exit', (code) => reject(new Error(`launcher exited with ${code}`)));
  });
  const readyMs = performance.now() - started;
  await new Promise((r) => setTimeout(r, 3_000)); // idle a moment, then read memory
  const rss = summary.services.map((s) => ({ name: s.name, rssMb: rssMb(s.pid) }));
  const stopping = performance.now();
  child.kill('SIGTERM');
  await new Promise((resolve) => child.once('exit', resolve));
  return { readyMs: Math.round(readyMs), stopMs: Math.round(performance.now() - stopping), rss };
}

async function bareServers(count) {
  const started = performance.now();
  const ports = await Promise.all(Array.from({ length: count }, freePort));
  const children = ports.map((port) =>
    spawn(
      process.execPath,
      ['-e', `require('node:http').createServer((q, s) => s.end('ok')).listen(${port}, '127.0.0.1')`],
      { stdio: 'ignore' },
    ),
  );
  await Promise.all(
    ports.map(async (port) => {
      for (;;) {
        try {
          if ((await fetch(`http://127.0.0.1:${port}/`)).ok) return;
        } catch {
          await new Promise((r) => setTimeout(r, 20));
        }
      }
    }),
  );
  const readyMs = performance.now() - started;
  const rss = children.map((c) => rssMb(c.pid));
  for (const c of children) c.kill('SIGTERM');
  return { readyMs: Math.round(readyMs), rssMb: Math.max(...rss) };
}

function cachedBuildMs() {
  const started = performance.now();
  execFileSync('npx', ['turbo', 'run', 'build', '--output-logs=none'], {
    cwd: ROOT,
    stdio: 'ignore',
    env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1' },
  });
  return Math.round(performance.now() - started);
}

exports.run = async function run() {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'azora-bench-start-'));
  chmodSync(dataDir, 0o755);
  try {
    const pgPort = await freePort();
    const portOffset = 30000 + Math.floor(Math.random() * 100) * 10;
    const cold = await launchOnce(dataDir, pgPort, portOffset); // initialises the cluster
    const warm = await launchOnce(dataDir, pgPort, portOffset);
    const baseline = await bareServers(10);
    const build = cachedBuildMs();
    const maxRss = Math.max(...warm.rss.map((r) => r.rssMb ?? 0));
    return {
      target: { readyMs: 10_000, rssMb: 100 },
      coldReadyMs: cold.readyMs,
      warmReadyMs: warm.readyMs,
      cachedBuildMs: build,
      npmStartWarmMs: warm.readyMs + build,
      stopMs: warm.stopMs,
      maxServiceRssMb: maxRss,
      services: warm.rss,
      baseline: { name: '10 bare node:http servers', readyMs: baseline.readyMs, rssMb: baseline.rssMb },
      ratio: {
        readyVsBaseline: +(warm.readyMs / baseline.readyMs).toFixed(2),
        rssVsBaseline: +(maxRss / baseline.rssMb).toFixed(2),
      },
      meetsTarget: warm.readyMs + build < 10_000 && maxRss < 100,
    };
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
};

exports.table = function table(r) {
  const rows = [
    ['measure', 'azora', 'baseline (10 bare node servers)', 'target'],
    ['launch -> all ready (warm)', `${r.warmReadyMs} ms`, `${r.baseline.readyMs} ms`, '< 10000 ms incl. build'],
    ['launch -> all ready (first run, initdb)', `${r.coldReadyMs} ms`, '', ''],
    ['cached build (turbo)', `${r.cachedBuildMs} ms`, '', ''],
    ['npm start, warm (build + launch)', `${r.npmStartWarmMs} ms`, '', '< 10000 ms'],
    ['stop (Ctrl-C to exit)', `${r.stopMs} ms`, '', ''],
    ['largest idle service RSS', `${r.maxServiceRssMb} MB`, `${r.baseline.rssMb} MB`, '< 100 MB'],
  ];
  const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)));
  return (
    rows.map((row) => row.map((c, i) => c.padEnd(widths[i])).join('  ')).join('\n') + `\nmeets target: ${r.meetsTarget}`
  );
};
