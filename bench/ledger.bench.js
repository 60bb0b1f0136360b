// Mint's ledger through its HTTP API: POST /transfers with an Idempotency-Key per request, 64
// concurrent clients, over 1,000 wallets and, separately, over 10 hot wallets; transfers/s and
// p50/p99 latency after an unjudged warm-up of transfers, then GET /admin/ledger/check on what
// the runs left behind. A stand-in Nexus acknowledges what Mint's outbox relay publishes, so the
// relay does its real work (read the outbox, publish, mark sent) during the runs, and the count
// of events relayed is checked too. Last, poison: the same clients on 1,000 wallets alone, then
// alongside requests that must fail (10% of all requests), to show one bad request does not cost
// the others their throughput.
const http = require('node:http');
const { randomUUID } = require('node:crypto');
const autocannon = require('autocannon');
const { createPool, createUserTokenIssuer, generateUserSigningKey } = require('@azora/service-kit');
const { formatTable, startJwksServer, startPlatformDatabase, startServiceProcess } = require('./support');

const CONNECTIONS = 64;
const SECONDS = Number(process.env.BENCH_LEDGER_SECONDS ?? 15);
/** Unjudged transfers before anything is measured: the transfer path's JIT, the pool's
 * connections and the posting function's plans on them are warm when the clock starts. */
const WARMUP_SECONDS = Number(process.env.BENCH_LEDGER_WARMUP_SECONDS ?? 3);
const FUNDS = 1_000_000_000;
const TARGET_PER_SEC = 3_000;
/** Clients of the poison runs: the good ones, and those sending the poison at a fixed rate. */
const GOOD_CONNECTIONS = 58;
const POISON_CONNECTIONS = 6;
const POISON_SHARE = 0.1;
const POISON_ROUNDS = Number(process.env.BENCH_LEDGER_POISON_ROUNDS ?? 4);
const POISON_SECONDS = Number(process.env.BENCH_LEDGER_POISON_SECONDS ?? 5);
/** The good clients' transfers/s next to poison, against the same clients alone: at least this. */
const POISON_TARGET_RATIO = 0.9;

/** Acknowledges publishes and subscriptions the way Nexus answers them; counts the events. */
async function startStandInNexus() {
  const received = new Set();
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : {};
      const json = (status, value) =>
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));
      if (req.method === 'POST' && req.url === '/events') {
        for (const e of body.events) received.add(e.id);
        return json(200, {
          accepted: body.events.length,
          duplicates: 0,
          events: body.events.map((e, i) => ({ id: e.id, seq: received.size + i + 1 })),
        });
      }
      if (req.method === 'POST' && req.url === '/subscriptions') {
        const now = new Date().toISOString();
        return json(201, {
          id: randomUUID(),
          subscriber: body.subscriber,
          topics: body.topics,
          endpoint: body.endpoint,
          secret: 'bench',
          position: 0,
          pendingAttempts: 0,
          nextAttemptAt: null,
          lastError: null,
          createdAt: now,
        });
      }
      return json(200, { status: 'ok' });
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    received,
    close: () => new Promise((r) => server.close(r)),
  };
}

async function api(base, method, path, token, body) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': randomUUID() },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const json = await res.json();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

/** Opens the wallets as identity.user.registered would, then funds each through POST /admin/mint. */
async function makeWallets(pool, base, adminToken, issuer, count) {
  const ids = Array.from({ length: count }, () => randomUUID());
  await pool.query(
    `INSERT INTO accounts (id, kind, owner_id) SELECT 'user:' || u, 'user', u FROM unnest($1::uuid[]) AS u`,
    [ids],
  );
  for (let i = 0; i < ids.length; i += 50) {
    await Promise.all(
      ids
        .slice(i, i + 50)
        .map((userId) => api(base, 'POST', '/admin/mint', adminToken, { userId, amount: FUNDS, memo: 'bench funds' })),
    );
  }
  const tokens = await Promise.all(ids.map(async (id) => (await issuer.issue({ id, role: 'student' }, 3600)).token));
  return ids.map((id, i) => ({ id, auth: `Bearer ${tokens[i]}` }));
}

/** Every posting wrote one mint.transfer.completed to the outbox; waits until the relay sent them all. */
async function eventsRelayed(pool, nexus) {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const { rows } = await pool.query(
      `SELECT (SELECT count(*) FROM transfers)::bigint AS postings, (SELECT count(*) FROM outbox)::bigint AS written, (SELECT count(*) FROM outbox WHERE sent_at IS NULL)::bigint AS pending`,
    );
    const { postings, written, pending } = rows[0];
    if (pending === 0 || Date.now() > deadline)
      return { postings, written, relayed: nexus.received.size, pending, missing: postings - nexus.received.size };
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function transfersCount(pool) {
  const { rows } = await pool.query(`SELECT count(*)::bigint AS n FROM transfers WHERE kind = 'transfer'`);
  return rows[0].n;
}

/** Requests made up front, so the load generator spends its CPU sending, not building: each a
 * transfer of 1 AZR between two different random wallets, with its own Idempotency-Key. */
function prepareRequests(wallets, count) {
  return Array.from({ length: count }, () => {
    const from = Math.floor(Math.random() * wallets.length);
    const to = (from + 1 + Math.floor(Math.random() * (wallets.length - 1))) % wallets.length;
    return {
      headers: {
        authorization: wallets[from].auth,
        'content-type': 'application/json',
        'idempotency-key': randomUUID(),
      },
      body: JSON.stringify({ toUserId: wallets[to].id, amount: 1, memo: 'bench' }),
    };
  });
}

/** Waits until no transfer is being written any more (requests still in flight when the load stopped). */
async function settledCount(pool) {
  let last = -1;
  for (;;) {
    const now = await transfersCount(pool);
    if (now === last) return now;
    last = now;
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Autocannon sending `prepared` POST /transfers requests in turn. */
function transferLoad(base, prepared, options) {
  let next = 0;
  return autocannon({
    url: base,
    ...options,
    requests: [
      {
        method: 'POST',
        path: '/transfers',
        setupRequest(req) {
          const r = prepared[next++ % prepared.length];
          req.headers = r.headers;
          req.body = r.body;
          return req;
        },
      },
    ],
  });
}

const statusCounts = (result) =>
  Object.fromEntries(Object.entries(result.statusCodeStats ?? {}).map(([code, s]) => [code, s.count]));

/** `connections` clients sending prepared transfers for `seconds` seconds; `alongside` runs at
 * the same time (other clients' load) and its result is returned with this one's. */
async function load(base, pool, wallets, title, seconds = SECONDS, { connections = CONNECTIONS, alongside } = {}) {
  const prepared = prepareRequests(wallets, seconds * 6_000);
  const before = await transfersCount(pool);
  const [result, other] = await Promise.all([
    transferLoad(base, prepared, { title, connections, duration: seconds }),
    alongside?.(seconds),
  ]);
  const posted = (await settledCount(pool)) - before;
  const statuses = statusCounts(result);
  return {
    title,
    wallets: wallets.length,
    connections,
    seconds,
    requests: result.requests.total,
    created: statuses['201'] ?? 0,
    postedInLedger: posted,
    transfersPerSec: Math.round(posted / result.duration),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    maxMs: result.latency.max,
    statusCodes: statuses,
    errors: result.errors,
    timeouts: result.timeouts,
    ...(other ? { alongside: other } : {}),
  };
}

/** Requests that must fail without costing anyone else: a memo with a NUL character (refused at
 * the route, before any grouping) and a transfer that passes validation but fails inside its
 * group. After the kit's checks no request a client can make does the latter; a token whose
 * subject is not a UUID (which only the token issuer can make) stands in for it: its posting
 * cannot be bound, so the group carrying it fails as a whole. */
async function preparePoison(wallets, issuer, count) {
  const { token } = await issuer.issue({ id: 'bench-not-a-uuid', role: 'student' }, 3600);
  return Array.from({ length: count }, (_, i) => {
    const to = wallets[i % wallets.length].id;
    const nul = i % 2 === 0;
    return {
      headers: {
        authorization: nul ? wallets[(i + 1) % wallets.length].auth : `Bearer ${token}`,
        'content-type': 'application/json',
        'idempotency-key': randomUUID(),
      },
      body: JSON.stringify({ toUserId: to, amount: 1, memo: nul ? 'bench\u0000poison' : 'bench' }),
    };
  });
}

/** Sums runs of equal length into one: transfers/s over all of them, the median p50, the worst p99. */
function combine(runs, title) {
  const sum = (pick) => runs.reduce((total, r) => total + pick(r), 0);
  const p50s = runs.map((r) => r.p50Ms).sort((x, y) => x - y);
  const seconds = sum((r) => r.seconds);
  const posted = sum((r) => r.postedInLedger);
  return {
    title,
    connections: runs[0].connections,
    seconds,
    requests: sum((r) => r.requests),
    created: sum((r) => r.created),
    postedInLedger: posted,
    transfersPerSec: Math.round(posted / seconds),
    p50Ms: p50s[Math.floor(p50s.length / 2)],
    p99Ms: Math.max(...runs.map((r) => r.p99Ms)),
    maxMs: Math.max(...runs.map((r) => r.maxMs)),
    errors: sum((r) => r.errors),
  };
}

/** The good clients alone, then beside poison clients sending POISON_SHARE of all requests,
 * alternated POISON_ROUNDS times: on a shared machine, drift then falls on both alike. */
async function poisonRuns(base, pool, wallets, issuer) {
  const rounds = [];
  let poison;
  for (let round = 1; round <= POISON_ROUNDS; round += 1) {
    const clean = await load(base, pool, wallets, `clean ${round}`, POISON_SECONDS, { connections: GOOD_CONNECTIONS });
    if (!poison) {
      // Poison at POISON_SHARE of all requests, from the good clients' own rate.
      const rate = Math.max(1, Math.round((clean.requests / clean.seconds) * (POISON_SHARE / (1 - POISON_SHARE))));
      poison = { rate, requests: await preparePoison(wallets, issuer, rate * POISON_SECONDS * POISON_ROUNDS * 2) };
    }
    const poisoned = await load(base, pool, wallets, `poisoned ${round}`, POISON_SECONDS, {
      connections: GOOD_CONNECTIONS,
      alongside: async (seconds) => {
        const r = await transferLoad(base, poison.requests, {
          connections: POISON_CONNECTIONS,
          duration: seconds,
          overallRate: poison.rate,
        });
        return { requests: r.requests.total, statusCodes: statusCounts(r) };
      },
    });
    rounds.push({ clean, poisoned });
  }
  const clean = combine(
    rounds.map((r) => r.clean),
    `${GOOD_CONNECTIONS} clients, no poison (${POISON_ROUNDS} × ${POISON_SECONDS} s)`,
  );
  const poisoned = combine(
    rounds.map((r) => r.poisoned),
    `${GOOD_CONNECTIONS} clients + 10% poison (${POISON_ROUNDS} × ${POISON_SECONDS} s)`,
  );
  const poisonRequests = rounds.reduce((n, r) => n + r.poisoned.alongside.requests, 0);
  const poisonStatuses = {};
  for (const r of rounds)
    for (const [code, count] of Object.entries(r.poisoned.alongside.statusCodes))
      poisonStatuses[code] = (poisonStatuses[code] ?? 0) + count;
  const ratio = Math.round((poisoned.transfersPerSec / clean.transfersPerSec) * 1000) / 1000;
  return {
    rounds: rounds.map(({ clean: c, poisoned: p }) => ({
      clean: c.transfersPerSec,
      poisoned: p.transfersPerSec,
      poisonRequests: p.alongside.requests,
    })),
    clean,
    poisoned,
    poison: {
      connections: POISON_CONNECTIONS,
      rate: poison.rate,
      requests: poisonRequests,
      share: Math.round((poisonRequests / (poisonRequests + poisoned.requests)) * 1000) / 1000,
      statusCodes: poisonStatuses,
    },
    ratio,
    meetsTarget: ratio >= POISON_TARGET_RATIO,
  };
}

exports.run = async function run() {
  const db = await startPlatformDatabase();
  const key = generateUserSigningKey();
  const jwks = await startJwksServer(key.publicJwk);
  const issuer = createUserTokenIssuer(key, 3600);
  const nexus = await startStandInNexus();
  const mint = await startServiceProcess(
    'azora-mint',
    {
      MINT_DATABASE_URL: db.urls.mint,
      AZORA_JWKS_URL: jwks.url,
      AZORA_NEXUS_URL: nexus.url,
      DB_POOL_MAX: process.env.BENCH_LEDGER_POOL ?? '16',
    },
    db.keys,
  );
  const pool = createPool({ connectionString: db.urls.mint, schema: 'mint', max: 4 });
  try {
    const { token: adminToken } = await issuer.issue({ id: randomUUID(), role: 'admin' }, 3600);
    const spread = await makeWallets(pool, mint.url, adminToken, issuer, 1_000);
    const hot = await makeWallets(pool, mint.url, adminToken, issuer, 10);
    // The warm-up, then the baseline: the same process answering GET /health (no body, no token,
    // no database) to the same clients, then the judged runs.
    const warmUp = await load(mint.url, pool, spread, `warm-up (${WARMUP_SECONDS} s, not judged)`, WARMUP_SECONDS);
    const floor = await autocannon({
      url: `${mint.url}/health`,
      connections: CONNECTIONS,
      duration: Math.min(SECONDS, 5),
    });
    if (floor.non2xx > 0 || floor.errors > 0)
      throw new Error(`the GET /health baseline answered ${floor.non2xx} non-2xx responses and ${floor.errors} errors`);
    const baseline = {
      title: 'GET /health (baseline)',
      requestsPerSec: Math.round(floor.requests.total / floor.duration),
      p50Ms: floor.latency.p50,
      p99Ms: floor.latency.p99,
    };
    const runs = [
      await load(mint.url, pool, spread, '1,000 wallets'),
      await load(mint.url, pool, hot, '10 hot wallets'),
    ];
    const poison = await poisonRuns(mint.url, pool, spread, issuer);
    const check = await api(mint.url, 'GET', '/admin/ledger/check', adminToken);
    const events = await eventsRelayed(pool, nexus);
    const spreadRun = runs[0];
    return {
      target: {
        transfersPerSec: TARGET_PER_SEC,
        on: '1,000 wallets',
        invariantViolations: 0,
        poisonedOverClean: POISON_TARGET_RATIO,
      },
      warmUp,
      runs,
      poison,
      baseline,
      ledgerCheck: check,
      events,
      meetsTarget:
        spreadRun.transfersPerSec >= TARGET_PER_SEC && poison.meetsTarget && check.ok === true && events.missing === 0,
    };
  } finally {
    await pool.end();
    await mint.stop();
    await nexus.close();
    await jwks.close();
    await db.stop();
  }
};

exports.table = function table(r) {
  const rows = [
    ['run', 'clients', 'transfers/s', 'p50', 'p99', 'max', 'transfers', 'non-201'],
    [
      r.baseline.title,
      CONNECTIONS,
      `(${r.baseline.requestsPerSec} req/s)`,
      `${r.baseline.p50Ms} ms`,
      `${r.baseline.p99Ms} ms`,
      '',
      '',
      '',
    ],
    ...[r.warmUp, ...r.runs, r.poison.clean, r.poison.poisoned].map((x) => [
      x.title,
      x.connections,
      x.transfersPerSec,
      `${x.p50Ms} ms`,
      `${x.p99Ms} ms`,
      `${x.maxMs} ms`,
      x.postedInLedger,
      x.requests - x.created + x.errors,
    ]),
  ];
  const c = r.ledgerCheck;
  const violations =
    c.negativeBalances.length +
    c.mismatchedBalances.length +
    c.runningBalanceMismatches.length +
    c.orphanedPostings +
    (c.sumOfBalances === 0 ? 0 : 1);
  return [
    formatTable(rows),
    '',
    `ledger/check: ok=${c.ok}, accounts=${c.accounts}, transfers=${c.transfers}, sum of balances=${c.sumOfBalances}, treasury=${c.treasuryBalance}, ` +
      `negative=${c.negativeBalances.length}, mismatched=${c.mismatchedBalances.length}, running-balance breaks=${c.runningBalanceMismatches.length}, ` +
      `orphaned postings=${c.orphanedPostings}, violations=${violations}`,
    `events: ${r.events.postings} postings, ${r.events.written} written to the outbox, ${r.events.relayed} relayed to Nexus, ${r.events.pending} pending`,
    `poison: ${r.poison.poison.requests} poison requests (${Math.round(r.poison.poison.share * 100)}% of all, answered ${JSON.stringify(r.poison.poison.statusCodes)}); ` +
      `the good clients kept ${Math.round(r.poison.ratio * 100)}% of their clean transfers/s (target >= ${Math.round(r.target.poisonedOverClean * 100)}%); ` +
      `rounds (clean/poisoned transfers/s): ${r.poison.rounds.map((x) => `${x.clean}/${x.poisoned}`).join(', ')}`,
    `target: >= ${r.target.transfersPerSec} transfers/s on 1,000 wallets with 0 violations, poison kept >= ${Math.round(r.target.poisonedOverClean * 100)}%; meets target: ${r.meetsTarget}`,
  ].join('\n');
};
