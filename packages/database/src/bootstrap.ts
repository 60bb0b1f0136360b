// Bootstrap: one schema and one login role per service, each role with rights on its own
// schema only, then each service's migrations run as that role. Safe to run again and again.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { SERVICES } from '@azora/contracts';
import { assertIdentifier } from './identifiers';
import { runMigrations, type MigrationLogger } from './migrations';

export interface ServiceDatabase {
  readonly schema: string;
  readonly migrationsDir: string;
}

/** Role name of the service owning `schema`. */
export function roleFor(schema: string): string {
  return `azora_${assertIdentifier(schema)}`;
}

/** The repository root, seen from packages/database/{src,dist}. */
export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');

/** Every service of the catalog with its migrations directory. */
export function platformDatabases(repoRoot = REPO_ROOT): ServiceDatabase[] {
  return SERVICES.map((s) => ({
    schema: s.schema,
    migrationsDir: path.join(repoRoot, 'services', s.name, 'migrations'),
  }));
}

export type RolePasswords = Record<string, string>;

/** Loads role passwords from `file`, creating any that are missing (file mode 0600). */
export async function loadRolePasswords(file: string, schemas: readonly string[]): Promise<RolePasswords> {
  const passwords: RolePasswords = existsSync(file) ? (JSON.parse(await readFile(file, 'utf8')) as RolePasswords) : {};
  let changed = false;
  for (const schema of schemas) {
    if (!passwords[schema]) {
      passwords[schema] = randomBytes(24).toString('base64url');
      changed = true;
    }
  }
  if (changed) {
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, `${JSON.stringify(passwords, null, 2)}\n`, { mode: 0o600 });
    await chmod(file, 0o600);
  }
  return passwords;
}

/** The URL of `database` on the server of `superuserUrl`, logged in as `role`. */
export function urlAs(superuserUrl: string, role: string, password: string, database?: string): string {
  const url = new URL(superuserUrl);
  url.username = encodeURIComponent(role);
  url.password = encodeURIComponent(password);
  if (database !== undefined) url.pathname = `/${database}`;
  return url.toString();
}

export interface BootstrapOptions {
  /** A superuser (or CREATEROLE owner) connection string to the target database. */
  superuserUrl: string;
  databases: readonly ServiceDatabase[];
  passwords: RolePasswords;
  logger?: MigrationLogger;
}

/** Creates roles and schemas and migrates every service; returns each schema's own URL. */
export async function bootstrap({
  superuserUrl,
  databases,
  passwords,
  logger,
}: BootstrapOptions): Promise<Record<string, string>> {
  const admin = new pg.Client({ connectionString: superuserUrl });
  await admin.connect();
  try {
    // Two starts at once (two terminals, a test and a launcher) must not race on CREATE ROLE.
    await admin.query(`SELECT pg_advisory_lock(hashtext('azora.bootstrap'))`);
    const { rows } = await admin.query<{ db: string }>('SELECT current_database() AS db');
    const database = rows[0]?.db ?? 'postgres';
    await admin.query('REVOKE CREATE ON SCHEMA public FROM PUBLIC');
    for (const { schema } of databases) {
      const role = roleFor(schema);
      const password = passwords[schema];
      if (!password) throw new Error(`no password for the role of schema ${schema}`);
      const exists = await admin.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role]);
      if (exists.rowCount === 0) await admin.query(`CREATE ROLE ${role} LOGIN`);
      await admin.query(
        `ALTER ROLE ${role} WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS PASSWORD ${admin.escapeLiteral(password)}`,
      );
      await admin.query(`GRANT ${role} TO CURRENT_USER`).catch(() => undefined); // lets a non-superuser admin own the schema for it
      await admin.query(`CREATE SCHEMA IF NOT EXISTS ${schema} AUTHORIZATION ${role}`);
      await admin.query(`ALTER SCHEMA ${schema} OWNER TO ${role}`);
      await admin.query(`REVOKE ALL ON SCHEMA ${schema} FROM PUBLIC`);
      await admin.query(
        `ALTER ROLE ${role} IN DATABASE ${admin.escapeIdentifier(database)} SET search_path = ${schema}`,
      );
    }
    const urls: Record<string, string> = {};
    for (const { schema, migrationsDir } of databases) {
      const url = urlAs(superuserUrl, roleFor(schema), passwords[schema] as string);
      const pool = new pg.Pool({ connectionString: url, max: 1 });
      try {
        await runMigrations({ pool, schema, dir: migrationsDir, ...(logger ? { logger } : {}) });
      } finally {
        await pool.end();
      }
      urls[schema] = url;
    }
    return urls;
  } finally {
    await admin.query(`SELECT pg_advisory_unlock(hashtext('azora.bootstrap'))`).catch(() => undefined);
    await admin.end();
  }
}
