// The bus end to end: events published through a service's outbox, relayed to a real Nexus
// process and delivered, signed, to a subscribing service's endpoint, once with each backend
// (PostgreSQL alone, and a NATS JetStream stream on a real nats-server); against pg-boss (send ->
// work) on the same kind of PostgreSQL server as the baseline. Each system gets a fresh database.
// Events/s at full speed, and p50/p99 publish -> handled latency at a fixed 1,000 events/s and at
// full speed.
const { spawn } = require('node:child_process');
const { accessSync, constants, mkdtempSync, readFileSync, rmSync } = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { randomUUID } = require('node:crypto');
const express = require('express');
const {
  createConsumer,
  createHttpServer,
  createLogger,
  createNexusClient,
  createOutboxRelay,
  createOutboxSignal,
  createPool,
  createPublisher,
  createServiceTokenIssuer,
  errorHandler,
  systemClock,
  withTransaction,
} = require('@azora/service-kit');
const { formatTable, startPlatformDatabase, startServiceProcess, summarize } = require('./support');

const FULL_SPEED_EVENTS = Number(process.env.BENCH_BUS_EVENTS ?? 30_000);
const RATE_PER_SEC = 1_000;
const RATE_SECONDS = 5;
/** Both systems first run this long at the fixed rate, unjudged: the first events after a start
 * pay for JIT compilation, new connections and first-time statement preparation. */
const WARMUP_SECONDS = Number(process.env.BENCH_BUS_WARMUP_SECONDS ?? 2);
const PUBLISHERS = 4;
const TX_SIZE = 250;
/** Relay and delivery batch size; pg-boss gets the same batch size (1,000). */
const BATCH = Number(process.env.BENCH_BUS_BATCH ?? 1_000);

function credentials(keys, service) {
  return createServiceTokenIssuer({ service, privateKeyPem: readFileSync(keys.keyFile(service), 'utf8') });
}

/** Runs `tick` every `intervalMs` for `seconds`, waiting for each tick before the next. */
async function atFixedRate(seconds, intervalMs, tick) {
  const started = performance.now();
  for (let i = 0; performance.now() - started < seconds * 1000; i++) {
    await tick();
    const next = started + (i + 1) * intervalMs;
    const wait = next - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  }
}

async function waitUntil(check, timeoutMs, what) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** What a subscriber saw: publish -> handled latencies and a count. */
function createProbe() {
  return {
    latencies: [],
    handled: 0,
    record(latencyMs) {
      this.latencies.push(latencyMs);
      this.handled += 1;
    },
    reset() {
      this.latencies = [];
      this.handled = 0;
    },
  };
}

/** Events at a fixed RATE_PER_SEC for `seconds`; resolves once all of them were handled. */
async function atFixedEventRate({ what, send, probe }, seconds) {
  let sent = 0;
  await atFixedRate(seconds, 10, async () => {
    await send(RATE_PER_SEC / 100);
    sent += RATE_PER_SEC / 100;
  });
  await waitUntil(() => probe.handled >= sent, 60_000, `${what} fixed-rate events`);
  return { ratePerSec: RATE_PER_SEC, seconds, ...summarize(probe.latencies) };
}

/** The phases, the same for both systems: a warm-up, a fixed 1,000/s, then full speed from
 * PUBLISHERS at once. */
async function runPhases({ what, send, chunk, probe }) {
  const warmUp = await atFixedEventRate({ what, send, probe }, WARMUP_SECONDS);
  probe.reset();
  const fixedRate = await atFixedEventRate({ what, send, probe }, RATE_SECONDS);

  probe.reset();
  const started = performance.now();
  let remaining = FULL_SPEED_EVENTS;
  await Promise.all(
    Array.from({ length: PUBLISHERS }, async () => {
      while (remaining > 0) {
        const count = Math.min(chunk, remaining);
        remaining -= count;
        await send(count);
      }
    }),
  );
  const published = performance.now();
  await waitUntil(() => probe.handled >= FULL_SPEED_EVENTS, 300_000, `${what} full-speed events`);
  const seconds = (performance.now() - started) / 1000;
  return {
    warmUp,
    fixedRate,
    fullSpeed: {
      events: FULL_SPEED_EVENTS,
      seconds: Math.round(seconds * 100) / 100,
      eventsPerSec: Math.round(FULL_SPEED_EVENTS / seconds),
      publishPerSec: Math.round(FULL_SPEED_EVENTS / ((published - started) / 1000)),
      ...summarize(probe.latencies),
    },
  };
}

/** A nats-server with JetStream on 127.0.0.1, on a port it picks, with a fresh store; stopped by pid. */
async function startNatsServer() {
  const binary = [...(process.env.PATH ?? '').split(path.delimiter), '/usr/sbin', '/usr/local/sbin']
    .map((dir) => path.join(dir, 'nats-server'))
    .find((candidate) => {
      try {
        accessSync(candidate, constants.X_OK);
        return true;
      } catch {
        return false;
      }
    });
  if (!binary)
    throw new Error(
      'the bus benchmark needs nats-server: install the Debian package `nats-server` (apt-get install -y nats-server)',
    );
  const storeDir = mkdtempSync(path.join(os.tmpdir(), 'azora-bench-nats-'));
  const child = spawn(binary, ['-js', '-a', '127.0.0.1', '-p', '-1', '-sd', storeDir], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const address = await new Promise((resolve, reject) => {
    let log = '';
    child.stderr.on('data', (chunk) => {
      log += chunk;
      const match = /Listening for client connections on ([\d.]+:\d+)/.exec(log);
      if (match) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`nats-server exited with ${code}:\n${log}`)));
  });
  return {
    url: `nats://${address}`,
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', resolve);
        process.kill(child.pid, 'SIGTERM');
      }).then(() => rmSync(storeDir, { recursive: true, force: true })),
  };
}

/** Runs `bench` on a fresh platform database, stopped afterwards. */
async function onFreshDatabase(bench) {
  const db = await startPlatformDatabase();
  try {
    return await bench(db);
  } finally {
    await db.stop();
  }
}

async function benchNexus(db, { natsUrl } = {}) {
  const backend = natsUrl ? { NEXUS_BACKEND: 'nats', NATS_URL: natsUrl, NATS_STREAM: 'BENCH_EVENTS' } : {};
  const nexus = await startServiceProcess(
    'azora-nexus',
    { NEXUS_DATABASE_URL: db.urls.nexus, NEXUS_DELIVERY_BATCH: String(BATCH), DB_POOL_MAX: '20', ...backend },
    db.keys,
  );
  const logger = createLogger({ service: 'bench', level: process.env.BENCH_LOG_LEVEL ?? 'warn' });
  const publisherPool = createPool({ connectionString: db.urls.education, schema: 'education', max: PUBLISHERS + 4 });
  const consumerPool = createPool({ connectionString: db.urls.mint, schema: 'mint', max: 4 });
  const signal = createOutboxSignal();
  const publish = createPublisher({ clock: systemClock, signal });
  const relay = createOutboxRelay({
    signal,
    pool: publisherPool,
    schema: 'education',
    source: 'azora-education',
    logger,
    batchSize: BATCH,
    nexus: createNexusClient({ baseUrl: nexus.url, credentials: credentials(db.keys, 'azora-education') }),
  });
  const probe = createProbe();
  const consumer = createConsumer({ service: 'azora-mint', pool: consumerPool, logger, clock: systemClock });
  consumer.on('education.lesson.completed', async (event) => {
    probe.record(Date.now() - Date.parse(event.occurredAt));
  });
  const app = express();
  app.use(consumer.router);
  app.use(errorHandler);
  // Served as a service serves its routes (startServer), so the subscriber costs what it would.
  const server = createHttpServer(app);
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const endpoint = `http://127.0.0.1:${server.address().port}`;
  await consumer.register(
    createNexusClient({ baseUrl: nexus.url, credentials: credentials(db.keys, 'azora-mint') }),
    endpoint,
  );
  relay.start();

  // One multi-row insert per transaction, as a service publishing a batch of events would.
  const publishTx = (count) =>
    withTransaction(publisherPool, (tx) =>
      publish.many(
        tx,
        Array.from({ length: count }, () => ({
          type: 'education.lesson.completed',
          data: {
            courseId: randomUUID(),
            lessonId: randomUUID(),
            userId: randomUUID(),
            authorIds: [randomUUID()],
            rewardEligible: true,
          },
        })),
      ),
    );

  try {
    return await runPhases({ what: 'nexus', send: publishTx, chunk: TX_SIZE, probe });
  } finally {
    await relay.stop();
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
    await nexus.stop();
    await publisherPool.end();
    await consumerPool.end();
  }
}

async function benchPgBoss(db) {
  const PgBoss = require('pg-boss');
  const boss = new PgBoss({ connectionString: db.superuserUrl, schema: 'pgboss_bench', max: 12 });
  boss.on('error', () => undefined);
  await boss.start();
  await boss.createQueue('bench');
  const probe = createProbe();
  // Tuned fairly: four workers, large batches, the shortest polling interval pg-boss allows.
  for (let i = 0; i < 4; i++) {
    await boss.work('bench', { batchSize: 1000, pollingIntervalSeconds: 0.5 }, async (jobs) => {
      const now = Date.now();
      for (const job of jobs) probe.record(now - job.data.sentAt);
    });
  }
  const send = (count) =>
    boss.insert(Array.from({ length: count }, () => ({ name: 'bench', data: { sentAt: Date.now() } })));
  try {
    return await runPhases({ what: 'pg-boss', send, chunk: 1000, probe });
  } finally {
    await boss.stop({ graceful: false, wait: true, timeout: 5000 });
  }
}

const ratio = (a, b) => Math.round((a.fullSpeed.eventsPerSec / b.fullSpeed.eventsPerSec) * 100) / 100;
const meets = (nexus, pgBoss) =>
  nexus.fullSpeed.eventsPerSec >= 10_000 && ratio(nexus, pgBoss) >= 1.5 && (nexus.fixedRate.p99Ms ?? Infinity) <= 50;

exports.run = async function run() {
  const nats = await startNatsServer();
  try {
    const postgres = await onFreshDatabase((db) => benchNexus(db));
    const jetstream = await onFreshDatabase((db) => benchNexus(db, { natsUrl: nats.url }));
    const pgBoss = await onFreshDatabase((db) => benchPgBoss(db));
    return {
      setup: {
        warmUpSeconds: WARMUP_SECONDS,
        fixedRateSeconds: RATE_SECONDS,
        publishers: PUBLISHERS,
        eventsPerTransaction: TX_SIZE,
        relayBatch: BATCH,
        deliveryBatch: BATCH,
        nats: 'nats-server 2.9 (Debian), JetStream file storage, one server on 127.0.0.1',
        pgBoss: '10.x, 4 workers x batch 1000, polling 0.5 s',
      },
      target: { eventsPerSec: 10_000, ratioVsPgBoss: 1.5, p99AtFixedRateMs: 50 },
      nexus: { postgres, nats: jetstream },
      pgBoss,
      ratio: { postgres: ratio(postgres, pgBoss), nats: ratio(jetstream, pgBoss) },
      meetsTarget: { postgres: meets(postgres, pgBoss), nats: meets(jetstream, pgBoss) },
    };
  } finally {
    await nats.stop();
  }
};

exports.table = function table(r) {
  const { postgres, nats } = r.nexus;
  const pair = (phase) => [postgres, nats, r.pgBoss].map((x) => `${x[phase].p50Ms} / ${x[phase].p99Ms}`);
  return (
    formatTable([
      ['measure', 'nexus on postgres', 'nexus on nats jetstream', 'pg-boss (send -> work)', 'target'],
      [
        'events/s, full speed',
        postgres.fullSpeed.eventsPerSec,
        nats.fullSpeed.eventsPerSec,
        r.pgBoss.fullSpeed.eventsPerSec,
        '>= 10000, >= 1.5x pg-boss',
      ],
      ['p50 / p99 ms, full speed', ...pair('fullSpeed'), ''],
      ['p50 / p99 ms, 1000 events/s', ...pair('fixedRate'), 'p99 <= 50 ms'],
      [`  warm-up, first ${r.setup.warmUpSeconds} s`, ...pair('warmUp'), 'not judged'],
    ]) +
    `\nratio to pg-boss: postgres ${r.ratio.postgres}x, nats ${r.ratio.nats}x` +
    `   meets target: postgres ${r.meetsTarget.postgres}, nats ${r.meetsTarget.nats}`
  );
};
