#!/usr/bin/env node
// `azora start`: the whole platform on this machine, as `npm start` runs it.
import path from 'node:path';
import { REPO_ROOT } from '@azora/database';
import { launch, type Launched, type ServiceStatus } from './launcher';
import { adminNote, corsNote, isolationNote } from './start-notes';

function table(services: ServiceStatus[]): string {
  const rows = [
    ['service', 'url', 'status', 'ready after', 'RSS'],
    ...services.map((s) => [s.name, s.url, s.status, `${s.bootMs} ms`, s.rssMb === null ? '?' : `${s.rssMb} MB`]),
  ];
  const widths = rows[0]!.map((_, col) => Math.max(...rows.map((r) => r[col]!.length)));
  const line = (r: string[]) => r.map((cell, col) => cell.padEnd(widths[col]!)).join('  ');
  return [line(rows[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n');
}

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

async function start(json: boolean): Promise<void> {
  const print = (line: string) => process.stdout.write(`${line}\n`);
  let launching: Promise<Launched | undefined> = Promise.resolve(undefined);
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    print(`\n${signal}: stopping the services, then the database...`);
    // A signal during start-up waits for the start to finish, then stops all it started.
    const launched = await launching.catch(() => undefined);
    await launched?.stop();
    print('stopped.');
    process.exit(0);
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
      onServiceExit: (report) => print(`\n${report}\n`),
    });
    launched = (await launching) as Launched;
  } catch (error) {
    if (stopping) return;
    process.stderr.write(`\nAzora did not start: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
  if (stopping) return;
  const gateway = launched.services.find((s) => s.name === 'api-gateway');
  const monitoring = launched.services.find((s) => s.name === 'monitoring-service');
  print(`\nAzora is up: all ${launched.services.length} services ready in ${launched.totalMs} ms\n`);
  print(table(launched.services));
  const where = [
    `gateway         ${gateway?.url ?? '?'}`,
    `API docs        ${gateway?.url ?? '?'}/docs`,
    `upstream health ${gateway?.url ?? '?'}/api/health`,
    `monitoring      ${monitoring?.url ?? '?'}/metrics`,
    ...adminNote(process.env),
    ...corsNote(process.env),
    ...isolationNote(launched.serviceUsers),
  ];
  print(`\n${where.map((line) => `  ${line}`).join('\n')}\n\nCtrl-C stops everything.`);
  if (json) {
    print(
      JSON.stringify({
        event: 'ready',
        totalMs: launched.totalMs,
        databasePid: launched.databasePid,
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
