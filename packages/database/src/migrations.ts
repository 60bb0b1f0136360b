// Migrations: numbered SQL files applied in order, each in its own transaction, recorded per
// schema, under an advisory lock so that concurrent starts of one service apply each once.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type pg from 'pg';
import { assertIdentifier } from './identifiers';

/** The little of a logger this module needs; pino's Logger fits. */
export interface MigrationLogger {
  info(details: object, message: string): void;
}

export interface Migration {
  /** Recorded name: `<source>/<file>`, e.g. `shared/001_outbox_inbox.sql`. */
  readonly name: string;
  readonly sql: string;
  readonly checksum: string;
}

const MIGRATION_FILE = /^(\d{3,})_[a-z0-9_-]+\.sql$/;

/** Where migrations come from: the shared tables every service has, then the service's own. */
export interface MigrationSource {
  readonly label: string;
  readonly dir: string;
}

/** Tables every service has (outbox, inbox), applied before the service's own migrations. */
export const SHARED_MIGRATIONS: MigrationSource = { label: 'shared', dir: path.resolve(__dirname, '..', 'migrations') };

export async function readMigrations({ label, dir }: MigrationSource): Promise<Migration[]> {
  if (!existsSync(dir)) return []; // a service with no tables of its own yet
  // Ordered by number, not text: 1000_x.sql comes after 999_x.sql.
  const numberOf = (file: string) => Number(/^(\d+)_/.exec(file)?.[1] ?? Number.NaN);
  const files = (await readdir(dir))
    .filter((f) => f.endsWith('.sql'))
    .sort((a, b) => numberOf(a) - numberOf(b) || a.localeCompare(b));
  const migrations: Migration[] = [];
  const seen = new Set<number>();
  for (const file of files) {
    const match = MIGRATION_FILE.exec(file);
    if (!match) throw new Error(`migration file "${file}" in ${dir} must be named like 001_create_things.sql`);
    const number = Number(match[1]);
    if (seen.has(number)) throw new Error(`two migrations in ${dir} share the number ${number}`);
    seen.add(number);
    const sql = await readFile(path.join(dir, file), 'utf8');
    migrations.push({ name: `${label}/${file}`, sql, checksum: createHash('sha256').update(sql).digest('hex') });
  }
  return migrations;
}

export interface MigrateOptions {
  pool: pg.Pool;
  schema: string;
  /** The service's own migrations directory; the shared migrations always come first. */
  dir: string;
  logger?: MigrationLogger;
}

/** Applies pending migrations; returns the names applied now. */
export async function runMigrations({ pool, schema, dir, logger }: MigrateOptions): Promise<string[]> {
  assertIdentifier(schema);
  const migrations = [
    ...(await readMigrations(SHARED_MIGRATIONS)),
    ...(await readMigrations({ label: 'service', dir })),
  ];
  const client = await pool.connect();
  const applied: string[] = [];
  try {
    // Session-level lock keyed by schema: a second instance waits here, then finds nothing to do.
    await client.query('SELECT pg_advisory_lock(hashtext($1))', [`azora.migrations.${schema}`]);
    try {
      await client.query(
        `CREATE TABLE IF NOT EXISTS ${schema}.schema_migrations (
           name text PRIMARY KEY,
           checksum text NOT NULL,
           applied_at timestamptz NOT NULL DEFAULT now()
         )`,
      );
      const { rows } = await client.query<{ name: string; checksum: string }>(
        `SELECT name, checksum FROM ${schema}.schema_migrations`,
      );
      const done = new Map(rows.map((r) => [r.name, r.checksum]));
      for (const migration of migrations) {
        const checksum = done.get(migration.name);
        if (checksum !== undefined) {
          if (checksum !== migration.checksum) {
            throw new Error(
              `migration ${schema}/${migration.name} was changed after it was applied; add a new migration instead`,
            );
          }
          continue;
        }
        await client.query('BEGIN');
        try {
          await client.query(`SET LOCAL search_path TO ${schema}`);
          await client.query(migration.sql);
          await client.query(`INSERT INTO ${schema}.schema_migrations (name, checksum) VALUES ($1, $2)`, [
            migration.name,
            migration.checksum,
          ]);
          await client.query('COMMIT');
        } catch (error) {
          await client.query('ROLLBACK');
          throw new Error(`migration ${schema}/${migration.name} failed: ${(error as Error).message}`, {
            cause: error,
          });
        }
        applied.push(migration.name);
        logger?.info({ migration: migration.name, schema }, 'migration applied');
      }
    } finally {
      await client.query('SELECT pg_advisory_unlock(hashtext($1))', [`azora.migrations.${schema}`]);
    }
  } finally {
    client.release();
  }
  return applied;
}
