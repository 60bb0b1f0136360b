// Analytics: events/s through POST /track (batches of 1,000 from several concurrent clients, as
// a real service process stores them with their roll-ups), against a plain multi-row insert of
// the same events into an unpartitioned table without the service; then the latency of the
// reports on 10 million events loaded with COPY: DAU over 30 days, a 3-step funnel over 30
// days and weekly retention, against DAU computed from the raw events. Everything lives in a
// temporary embedded PostgreSQL that is removed at the end.
const path = require('node:path');
const { randomUUID } = require('node:crypto');
const { pipeline } = require('node:stream/promises');
const { Readable } = require('node:stream');
const autocannon = require('autocannon');
const { from: copyFrom } = require('pg-copy-streams');
const { createPool, createUserTokenIssuer, generateUserSigningKey } = require('@azora/service-kit');
const {
  ROOT,
  formatTable,
  startJwksServer,
  startPlatformDatabase,
  startServiceProcess,
  summarize,
} = require('./support');

const dist = (file) => require(path.join(ROOT, 'services', 'analytics-service', 'dist', file));
const { createPartitions } = dist('db/partitions');
const { rebuildRollups } = dist('db/rebuild');
const { anonymousPersonId } = dist('domain/persons');

const env = (name, fallback) => Number(process.env[`BENCH_ANALYTICS_${name}`] ?? fallback);
const CLIENTS = env('CLIENTS', 4);
const BATCHES = env('BATCHES', 600);
/** The service and the baseline take turns, a third of the batches each time, so both see the same machine. */
const ROUNDS = env('ROUNDS', 3);
const WARMUP_BATCHES = env('WARMUP_BATCHES', 24);
const EVENTS = env('EVENTS', 10_000_000);
const QUERY_RUNS = env('QUERY_RUNS', 10);
const BATCH = 1000;
const DAY = 86_400_000;
const TARGETS = { eventsPerSec: 50_000, dauMs: 100, funnelMs: 1000, retentionMs: 1000 };

// Names with their share of events; the funnel's steps are among them.
const NAMES = Object.entries({
  'Page Viewed': 30,
  'Course Viewed': 15,
  'Lesson Opened': 12,
  'Lesson Completed': 8,
  'Search Performed': 6,
  'Enroll Clicked': 5,
  'Video Played': 5,
  'Quiz Started': 3,
  'Quiz Passed': 2,
  'Checkout Started': 2,
  'Checkout Completed': 1.5,
  'Profile Updated': 1.5,
  'Wallet Opened': 2,
  'Transfer Sent': 1,
  'Job Viewed': 2,
  'Job Applied': 0.8,
  'Tutor Asked': 1.5,
  'Notification Opened': 1,
  'Settings Changed': 0.4,
  'Signed In': 0.3,
});
const FUNNEL = ['Course Viewed', 'Enroll Clicked', 'Checkout Completed'];
const NAME_TABLE = NAMES.flatMap(([name, share]) => Array(Math.round(share * 10)).fill(name));
const pickName = () => NAME_TABLE[Math.floor(Math.random() * NAME_TABLE.length)];
/** Skewed like real audiences: a few people do much, most do little. */
const skewed = (n) => Math.floor(n * Math.random() ** 2.5);

/** A progress bar on a terminal; a line per tenth of the way otherwise. */
function progressBar(label, total) {
  const startedAt = Date.now();
  let shown = -1;
  return (done) => {
    const share = done / total;
    const rate = done / Math.max(0.001, (Date.now() - startedAt) / 1000);
    const bar = '#'.repeat(Math.round(share * 30)).padEnd(30, '.');
    const line = `  ${label} [${bar}] ${String(Math.floor(share * 100)).padStart(3)}% ${done.toLocaleString('en')}/${total.toLocaleString('en')}, ${Math.round(rate).toLocaleString('en')}/s, eta ${Math.round((total - done) / rate)} s`;
    if (process.stdout.isTTY) process.stdout.write(`\r${line}${done >= total ? '\n' : ''}`);
    else if (Math.floor(share * 10) > shown) {
      shown = Math.floor(share * 10);
      process.stdout.write(`${line}\n`);
    }
  };
}

/** Batches as clients send them: 3 of 4 from a collector of anonymous visitors (100 per batch,
 * drawn from 50,000), 1 of 4 from a signed-in user whose first event links their device.
 * Timestamps: the last hour. */
async function makeBatches(count, issuer) {
  const now = Date.now();
  const batches = [];
  for (let b = 0; b < count; b++) {
    const signedIn = b % 4 === 3;
    const user = randomUUID();
    const visitors = Array.from({ length: 100 }, () => `visitor-${skewed(50_000)}`);
    const events = Array.from({ length: BATCH }, (_, i) => ({
      id: randomUUID(),
      name: pickName(),
      timestamp: new Date(now - Math.floor(Math.random() * 3_600_000)).toISOString(),
      properties: { path: `/courses/${i % 37}`, plan: i % 3 ? 'free' : 'paid', step: i % 5 },
      ...(signedIn ? (i === 0 ? { anonymousId: `device-${user}` } : {}) : { anonymousId: visitors[i % 100] }),
    }));
    const headers = { 'content-type': 'application/json' };
    if (signedIn) headers.authorization = `Bearer ${(await issuer.issue({ id: user, role: 'student' }, 3600)).token}`;
    batches.push({ events, userId: signedIn ? user : null, headers, body: JSON.stringify({ events }) });
  }
  return batches;
}

/** Waits until the roller has taken every stored batch into the roll-ups. */
async function rolledUp(pool) {
  for (;;) {
    const { rows } = await pool.query('SELECT count(*)::int AS n FROM rollup_queue');
    if (rows[0].n === 0) return;
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function trackLoad(url, batches, title, pool) {
  const started = performance.now();
  let lastAnswer = started;
  let next = 0;
  // Autocannon ends a run of a fixed `amount` on its next one-second tick and reports that as the
  // duration; the run's real length is up to its last answer.
  const load = autocannon({
    url,
    title,
    connections: CLIENTS,
    amount: batches.length,
    timeout: 60,
    requests: [
      {
        method: 'POST',
        path: '/track',
        setupRequest(req) {
          const batch = batches[next++ % batches.length];
          req.headers = batch.headers;
          req.body = batch.body;
          return req;
        },
      },
    ],
  });
  let answers = 0;
  let allAnswered;
  const answered = new Promise((resolve) => (allAnswered = resolve));
  load.on('response', () => {
    lastAnswer = performance.now();
    if (++answers === batches.length) allAnswered();
  });
  const rolled = answered.then(() => rolledUp(pool)).then(() => performance.now());
  const result = await load;
  allAnswered();
  const duration = (lastAnswer - started) / 1000;
  const accepted = result['2xx'];
  const rolledUpSeconds = ((await rolled) - started) / 1000;
  return {
    title,
    clients: CLIENTS,
    batches: result.requests.total,
    accepted,
    non2xx: result.non2xx,
    errors: result.errors,
    seconds: Math.round(duration * 100) / 100,
    eventsPerSec: Math.round((accepted * BATCH) / duration),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    // The roller follows: when the last batch of the run was in the roll-ups, and at what rate.
    rolledUpAfterSeconds: Math.round(rolledUpSeconds * 100) / 100,
    rolledUpEventsPerSec: Math.round((accepted * BATCH) / rolledUpSeconds),
  };
}

/** Runs added up: events over seconds; latencies and roll-up times of the worst run. */
function combined(runs, title) {
  const seconds = runs.reduce((sum, r) => sum + r.seconds, 0);
  const events = runs.reduce((sum, r) => sum + (r.accepted ?? r.stored / BATCH) * BATCH, 0);
  const worst = (key) => Math.max(...runs.map((r) => r[key] ?? 0));
  return {
    title,
    clients: CLIENTS,
    batches: runs.reduce((sum, r) => sum + r.batches, 0),
    seconds: Math.round(seconds * 100) / 100,
    eventsPerSec: Math.round(events / seconds),
    ...(runs[0].p50Ms === undefined
      ? {}
      : {
          non2xx: runs.reduce((sum, r) => sum + r.non2xx, 0),
          errors: runs.reduce((sum, r) => sum + r.errors, 0),
          p50Ms: worst('p50Ms'),
          p99Ms: worst('p99Ms'),
          rolledUpAfterSeconds: worst('rolledUpAfterSeconds'),
          rolledUpEventsPerSec: Math.min(...runs.map((r) => r.rolledUpEventsPerSec)),
        }),
  };
}

/** The same events by plain multi-row inserts (unnest arrays) into an unpartitioned table with
 * a primary key and one index, from CLIENTS connections: what PostgreSQL does without the service. */
async function plainInsert(url, batches, title) {
  const pool = createPool({ connectionString: url, schema: 'analytics', max: CLIENTS });
  try {
    await pool.query(`CREATE TABLE bench_plain_events (LIKE events INCLUDING DEFAULTS, PRIMARY KEY (ts, id))`);
    await pool.query(`CREATE INDEX ON bench_plain_events (name, ts) INCLUDE (person_id)`);
    let next = 0;
    const started = process.hrtime.bigint();
    await Promise.all(
      Array.from({ length: CLIENTS }, async () => {
        for (let b = next++; b < batches.length; b = next++) {
          const { events, userId } = batches[b];
          await pool.query(
            `INSERT INTO bench_plain_events (ts, id, name, source, person_id, user_id, anonymous_id, properties, received_at)
             SELECT ts, id, name, 'client', person_id, $5, anonymous_id, properties, now()
             FROM unnest($1::timestamptz[], $2::uuid[], $3::text[], $4::text[], $6::uuid[], $7::jsonb[])
               AS e (ts, id, name, anonymous_id, person_id, properties)
             ON CONFLICT DO NOTHING`,
            [
              events.map((e) => e.timestamp),
              events.map((e) => e.id),
              events.map((e) => e.name),
              events.map((e) => e.anonymousId ?? null),
              userId,
              events.map((e) => userId ?? anonymousPersonId(e.anonymousId)),
              events.map((e) => JSON.stringify(e.properties)),
            ],
          );
        }
      }),
    );
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const { rows } = await pool.query(`SELECT count(*)::bigint AS n FROM bench_plain_events`);
    await pool.query(`DROP TABLE bench_plain_events`);
    return {
      title,
      clients: CLIENTS,
      batches: batches.length,
      stored: rows[0].n,
      seconds: Math.round(seconds * 100) / 100,
      eventsPerSec: Math.round(rows[0].n / seconds),
    };
  } finally {
    await pool.end();
  }
}

/** COPY text rows of `count` events over the last 30 days: 100,000 users and 150,000 visitors,
 * 40% of whom sign in once (a user event carrying their anonymous id). */
function* datasetRows(count, onProgress) {
  const users = Array.from({ length: 100_000 }, () => randomUUID());
  const visitors = Array.from({ length: 150_000 }, (_, i) => ({
    id: `visitor-${i}`,
    person: anonymousPersonId(`visitor-${i}`),
  }));
  const end = Date.now() - 60_000;
  const start = end - 30 * DAY;
  const at = () => new Date(start + Math.floor(Math.random() * (end - start))).toISOString();
  const row = (ts, name, person, user, anonymous) =>
    `${ts}\t${randomUUID()}\t${name}\tclient\t${person}\t${user ?? '\\N'}\t${anonymous ?? '\\N'}\t{"path":"/courses/${Math.floor(Math.random() * 500)}","plan":"free"}\t${ts}\n`;
  const CHUNK = 10_000;
  let made = 0;
  while (made < count) {
    let chunk = '';
    for (let i = 0; i < CHUNK && made < count; i++, made++) {
      if (made < visitors.length * 0.4) {
        const user = users[made % users.length];
        chunk += row(at(), 'Signed Up', user, user, visitors[made].id);
      } else if (Math.random() < 0.2) {
        const visitor = visitors[skewed(visitors.length)];
        chunk += row(at(), pickName(), visitor.person, null, visitor.id);
      } else {
        const user = users[skewed(users.length)];
        chunk += row(at(), pickName(), user, user, null);
      }
    }
    yield chunk;
    onProgress(made);
  }
}

async function loadDataset(url) {
  const pool = createPool({ connectionString: url, schema: 'analytics', max: 2, statementTimeoutMs: 3_600_000 });
  try {
    const now = Date.now();
    const weeks = [];
    for (let t = now - 32 * DAY; t <= now + 7 * DAY; t += DAY) {
      const day = new Date(Math.floor(t / DAY) * DAY);
      weeks.push(new Date(day.getTime() - ((day.getUTCDay() + 6) % 7) * DAY));
    }
    await createPartitions(pool).ensure(weeks);
    const client = await pool.connect();
    const started = Date.now();
    try {
      await pipeline(
        Readable.from(datasetRows(EVENTS, progressBar('COPY', EVENTS))),
        client.query(
          copyFrom(
            `COPY events (ts, id, name, source, person_id, user_id, anonymous_id, properties, received_at) FROM STDIN`,
          ),
        ),
      );
    } finally {
      client.release();
    }
    const copySeconds = (Date.now() - started) / 1000;
    process.stdout.write('  rebuilding the roll-ups from the raw events...\n');
    const rebuildStarted = Date.now();
    await rebuildRollups(pool);
    const rebuildSeconds = (Date.now() - rebuildStarted) / 1000;
    process.stdout.write('  VACUUM (ANALYZE) events...\n');
    await pool.query('VACUUM (ANALYZE) events');
    const { rows } = await pool.query(
      `SELECT (SELECT count(*) FROM events)::bigint AS events, (SELECT count(*) FROM persons WHERE merged_into IS NULL)::bigint AS people`,
    );
    return {
      events: rows[0].events,
      people: rows[0].people,
      copySeconds: Math.round(copySeconds),
      copyRowsPerSec: Math.round(EVENTS / copySeconds),
      rebuildSeconds: Math.round(rebuildSeconds),
    };
  } finally {
    await pool.end();
  }
}

async function timed(runs, call) {
  for (let i = 0; i < 2; i++) await call(); // plans and caches warm, not judged
  const latencies = [];
  for (let i = 0; i < runs; i++) {
    const started = process.hrtime.bigint();
    await call();
    latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  return summarize(latencies);
}

async function queries(serviceUrl, databaseUrl, adminToken) {
  const day = (offset) => new Date(Date.now() + offset * DAY).toISOString().slice(0, 10);
  const ask = async (method, route, body) => {
    const res = await fetch(`${serviceUrl}${route}`, {
      method,
      headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    const json = await res.json();
    if (!res.ok) throw new Error(`${method} ${route}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  };
  const funnelBody = { steps: FUNNEL, windowHours: 24, from: day(-29), to: day(0) };
  const dauRoute = `/active-users?interval=day&from=${day(-29)}&to=${day(0)}`;
  const retentionRoute = `/retention?cohort=week&from=${day(-35)}&to=${day(0)}`;
  const sample = { dau: await ask('GET', dauRoute), funnel: await ask('POST', '/funnels', funnelBody) };
  const results = {
    dau: await timed(QUERY_RUNS, () => ask('GET', dauRoute)),
    funnel: await timed(QUERY_RUNS, () => ask('POST', '/funnels', funnelBody)),
    retention: await timed(QUERY_RUNS, () => ask('GET', retentionRoute)),
  };
  const pool = createPool({ connectionString: databaseUrl, schema: 'analytics', max: 1, statementTimeoutMs: 600_000 });
  try {
    const raw = () =>
      pool.query(
        `SELECT (ts AT TIME ZONE 'UTC')::date AS day, count(DISTINCT person_id) FROM events
         WHERE ts >= $1 GROUP BY 1`,
        [`${day(-29)}T00:00:00Z`],
      );
    const rawDau = await timed(Math.min(3, QUERY_RUNS), raw);
    return {
      ...results,
      rawDauBaseline: rawDau,
      sample: {
        dauLastDays: sample.dau.series.slice(-3),
        funnel: sample.funnel.steps.map((s) => `${s.name}: ${s.count}`),
      },
    };
  } finally {
    await pool.end();
  }
}

exports.run = async function run() {
  const db = await startPlatformDatabase();
  const key = generateUserSigningKey();
  const jwks = await startJwksServer(key.publicJwk);
  const issuer = createUserTokenIssuer(key, 3600);
  // No service keys: the service runs without the bus (nothing here publishes to it).
  const noKeys = { keyFile: () => '', jwksFile: '' };
  const analytics = await startServiceProcess(
    'analytics-service',
    { ANALYTICS_DATABASE_URL: db.urls.analytics, AZORA_JWKS_URL: jwks.url, DB_POOL_MAX: '8' },
    noKeys,
  );
  try {
    process.stdout.write(`  preparing ${BATCHES + WARMUP_BATCHES} batches of ${BATCH} events...\n`);
    const batches = await makeBatches(BATCHES + WARMUP_BATCHES, issuer);
    const queue = createPool({ connectionString: db.urls.analytics, schema: 'analytics', max: 1 });
    const warmUp = await trackLoad(analytics.url, batches.slice(0, WARMUP_BATCHES), 'warm-up (not judged)', queue);
    const rounds = [];
    const size = Math.ceil(BATCHES / ROUNDS);
    for (let r = 0; r < ROUNDS; r++) {
      const slice = batches.slice(WARMUP_BATCHES + r * size, WARMUP_BATCHES + (r + 1) * size);
      rounds.push({
        service: await trackLoad(analytics.url, slice, `POST /track, round ${r + 1}`, queue),
        baseline: await plainInsert(db.urls.analytics, slice, `plain insert (baseline), round ${r + 1}`),
      });
    }
    await queue.end();
    const service = combined(
      rounds.map((r) => r.service),
      'POST /track, service (all rounds)',
    );
    const baseline = combined(
      rounds.map((r) => r.baseline),
      'plain insert, no service (baseline, all rounds)',
    );
    process.stdout.write(`  loading ${EVENTS.toLocaleString('en')} events with COPY...\n`);
    const dataset = await loadDataset(db.urls.analytics);
    const { token } = await issuer.issue({ id: randomUUID(), role: 'admin' }, 3600);
    const latency = await queries(analytics.url, db.urls.analytics, token);
    return {
      target: TARGETS,
      ingest: {
        warmUp,
        rounds,
        service,
        baseline,
        ratioToBaseline: Math.round((service.eventsPerSec / baseline.eventsPerSec) * 100) / 100,
      },
      dataset,
      queries: latency,
      meetsTarget:
        service.eventsPerSec >= TARGETS.eventsPerSec &&
        service.non2xx === 0 &&
        latency.dau.p99Ms <= TARGETS.dauMs &&
        latency.funnel.p99Ms <= TARGETS.funnelMs &&
        latency.retention.p99Ms <= TARGETS.retentionMs,
    };
  } finally {
    await analytics.stop();
    jwks.close();
    await db.stop();
  }
};

exports.table = function table(r) {
  const ingest = [
    ['ingest', 'clients', 'batches', 'events/s', 'p50', 'p99', 'non-2xx', 'roll-ups done after'],
    ...[r.ingest.warmUp, ...r.ingest.rounds.map((round) => round.service), r.ingest.service].map((x) => [
      x.title,
      x.clients,
      x.batches,
      x.eventsPerSec,
      `${x.p50Ms} ms`,
      `${x.p99Ms} ms`,
      x.non2xx + x.errors,
      `${x.rolledUpAfterSeconds} s (${x.rolledUpEventsPerSec}/s)`,
    ]),
    ...r.ingest.rounds.map((round) => [
      round.baseline.title,
      round.baseline.clients,
      round.baseline.batches,
      round.baseline.eventsPerSec,
      '',
      '',
      '',
      '',
    ]),
    [
      r.ingest.baseline.title,
      r.ingest.baseline.clients,
      r.ingest.baseline.batches,
      r.ingest.baseline.eventsPerSec,
      '',
      '',
      '',
      '',
    ],
  ];
  const q = r.queries;
  const reports = [
    ['report on the dataset', 'p50', 'p99', 'max', 'target'],
    [
      'DAU, 30 days (roll-up)',
      `${q.dau.p50Ms} ms`,
      `${q.dau.p99Ms} ms`,
      `${q.dau.maxMs} ms`,
      `<= ${r.target.dauMs} ms`,
    ],
    [
      '3-step funnel, 30 days (timelines + raw)',
      `${q.funnel.p50Ms} ms`,
      `${q.funnel.p99Ms} ms`,
      `${q.funnel.maxMs} ms`,
      `<= ${r.target.funnelMs} ms`,
    ],
    [
      'weekly retention (roll-up)',
      `${q.retention.p50Ms} ms`,
      `${q.retention.p99Ms} ms`,
      `${q.retention.maxMs} ms`,
      `<= ${r.target.retentionMs} ms`,
    ],
    [
      'DAU from raw events (baseline)',
      `${q.rawDauBaseline.p50Ms} ms`,
      `${q.rawDauBaseline.p99Ms} ms`,
      `${q.rawDauBaseline.maxMs} ms`,
      '',
    ],
  ];
  const d = r.dataset;
  return [
    formatTable(ingest),
    `service / baseline: ${r.ingest.ratioToBaseline}`,
    '',
    `dataset: ${d.events.toLocaleString('en')} events of ${d.people.toLocaleString('en')} people; COPY ${d.copyRowsPerSec.toLocaleString('en')} rows/s (${d.copySeconds} s), roll-ups rebuilt in ${d.rebuildSeconds} s`,
    formatTable(reports),
    `funnel: ${q.sample.funnel.join(' -> ')}`,
    `targets: >= ${r.target.eventsPerSec} events/s ingested, DAU <= ${r.target.dauMs} ms, funnel and retention <= ${r.target.funnelMs} ms; meets target: ${r.meetsTarget}`,
  ].join('\n');
};
