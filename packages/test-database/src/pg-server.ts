// One PostgreSQL server per test run: the embedded default on a free port in a fresh temporary
// directory, or the server of AZORA_TEST_DATABASE_URL (a superuser URL) when it is set.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, chmod } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { bootstrap, freePort, platformDatabases, startEmbeddedPostgres, type RolePasswords } from '@azora/database';

export { freePort };

export interface TestServerInfo {
  /** Superuser URL of the server's maintenance database. */
  superuserUrl: string;
  /** A database holding every schema, role grant and migration: the template of each test file's database. */
  template: string;
  passwords: RolePasswords;
}

export const TEST_SERVER_ENV = 'AZORA_TEST_SERVER';

export interface StartedTestServer {
  info: TestServerInfo;
  stop(): Promise<void>;
}

/** Starts (or connects to) the run's server and builds the migrated template database. */
export async function startTestServer(): Promise<StartedTestServer> {
  let superuserUrl = process.env['AZORA_TEST_DATABASE_URL'];
  let stopServer: () => Promise<void> = async () => undefined;
  if (!superuserUrl) {
    const root = await mkdtemp(path.join(os.tmpdir(), 'azora-test-'));
    await chmod(root, 0o755);
    const server = await startEmbeddedPostgres({
      dataDir: path.join(root, 'pg'),
      port: await freePort(),
      password: randomBytes(12).toString('hex'),
      fast: true,
    });
    superuserUrl = server.superuserUrl;
    stopServer = async () => {
      await server.stop();
      await rm(root, { recursive: true, force: true });
    };
  }
  const databases = platformDatabases();
  const passwords = Object.fromEntries(databases.map((d) => [d.schema, randomBytes(12).toString('hex')]));
  const template = `azora_template_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: superuserUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${template}`);
  } finally {
    await admin.end();
  }
  const templateUrl = new URL(superuserUrl);
  templateUrl.pathname = `/${template}`;
  await bootstrap({ superuserUrl: templateUrl.toString(), databases, passwords });
  return {
    info: { superuserUrl, template, passwords },
    async stop() {
      const cleanup = new pg.Client({ connectionString: superuserUrl });
      await cleanup.connect();
      try {
        const { rows } = await cleanup.query<{ datname: string }>(
          `SELECT datname FROM pg_database WHERE datname = $1 OR datname LIKE $2`,
          [template, `${template}_%`],
        );
        for (const { datname } of rows) await cleanup.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
      } finally {
        await cleanup.end();
      }
      await stopServer();
    },
  };
}

export function testServerInfo(): TestServerInfo {
  const raw = process.env[TEST_SERVER_ENV];
  if (!raw) throw new Error(`${TEST_SERVER_ENV} is not set: run tests with the @azora/testing Jest preset`);
  return JSON.parse(raw) as TestServerInfo;
}
