#!/usr/bin/env node
// `azora start`: the whole platform on this machine, as `npm start` runs it, kept running (what
// exits on its own is restarted) until Ctrl-C, and Ctrl-C twice forces.
import path from 'node:path';
import { REPO_ROOT } from '@azora/database';
import { launch, type Launched } from './launcher';
import { servicesTable, statusPageProblem, statusPageUrl, whereLines } from './start-summary';
import { adminNote, corsNote, isolationNote } from './start-notes';
import { describeSupervisionEvent, supervisionEventJson } from './supervision-report';

function intFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) {
    process.stderr.write(`${name} must be a non-negative integer, got ${JSON.stringify(raw)}\n`);
    process.exit(1);
  }
  return value;
}

function restartsLine(launched: Launched | undefined): string[] {
  const restarts = Object.entries(launched?.restarts() ?? {});
  if (restarts.length === 0) return [];
  return [`restarts during this run: ${restarts.map(([name, count]) => `${name} ${count}`).join(', ')}`];
}

async function start(json: boolean): Promise<void> {
  const print = (line: string) => process.stdout.write(`${line}\n`);
  let launching: Promise<Launched | undefined> = Promise.resolve(undefined);
  let signals = 0;
  const force = new AbortController();
  const shutdown = async (signal: string) => {
    signals += 1;
    if (signals === 1) {
      print(`\n${signal}: stopping the services, then the database (${signal} again to kill them at once)...`);
      // A signal during start-up waits for the start to finish, then stops all it started.
      const launched = await launching.catch(() => undefined);
      await launched?.stop();
      if (signals > 1) return; // forced meanwhile: that path exits
      for (const line of restartsLine(launched)) print(line);
      print('stopped.');
      process.exit(0);
    } else if (signals === 2) {
      print(`\n${signal} again: killing every process now (SIGKILL; PostgreSQL's immediate shutdown)...`);
      force.abort();
      const launched = await launching.catch(() => undefined);
      await launched?.kill();
      print('killed.');
      process.exit(1);
    }
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  const host = process.env['HOST'] ?? '127.0.0.1';
  let launched: Launched;
  try {
    launching = launch({
      databaseUrl: process.env['DATABASE_URL'] || undefined,
      dataDir: path.resolve(process.env['AZORA_DATA_DIR'] ?? path.join(REPO_ROOT, '.data')),
      pgPort: intFromEnv('AZORA_PG_PORT', 5439),
      host,
      portOffset: intFromEnv('AZORA_PORT_OFFSET', 0),
      logLevel: process.env['LOG_LEVEL'] ?? 'info',
      colour: process.stdout.isTTY === true,
      readyTimeoutMs: intFromEnv('AZORA_READY_TIMEOUT_MS', 60_000),
      environment: process.env,
      print,
      onSupervision: (event) => {
        print(`\n${describeSupervisionEvent(event)}\n`);
        if (json) print(supervisionEventJson(event));
      },
      forceStop: force.signal,
    });
    launched = (await launching) as Launched;
  } catch (error) {
    if (signals > 0) return;
    process.stderr.write(`\nAzora did not start: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
  if (signals > 0) return;
  const pageProblem = await statusPageProblem(statusPageUrl(launched.services) ?? '');
  print(`\nAzora is up: all ${launched.services.length} services ready in ${launched.totalMs} ms\n`);
  print(servicesTable(launched.services));
  const where = [
    ...whereLines(launched.services, pageProblem),
    ...adminNote(process.env),
    ...corsNote(process.env),
    ...isolationNote(launched.serviceUsers),
  ];
  print(`\n${where.map((line) => `  ${line}`).join('\n')}\n`);
  print('A service or the database that exits on its own is restarted. Ctrl-C stops everything.');
  if (json) {
    print(
      JSON.stringify({
        event: 'ready',
        totalMs: launched.totalMs,
        databasePid: launched.databasePid,
        postgresPid: launched.postgresPid,
        statusPage: statusPageUrl(launched.services),
        services: launched.services,
      }),
    );
  }
}

const [command = 'start', ...flags] = process.argv.slice(2);
if (command === 'start') {
  void start(flags.includes('--json'));
} else {
  process.stderr.write(`usage: azora start [--json]\n`);
  process.exit(2);
}
