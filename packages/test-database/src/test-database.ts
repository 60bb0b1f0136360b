// A database of its own for each test file, copied from the run's migrated template, so files
// running in parallel never see each other's rows.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { roleFor, urlAs } from '@azora/database';
import { testServerInfo } from './pg-server';

export { freePort, testServerInfo, type TestServerInfo } from './pg-server';

export interface TestDatabase {
  readonly name: string;
  /** Superuser URL of this database: for assertions that look across schemas. */
  readonly superuserUrl: string;
  /** The URL a service uses: its own role, this database. */
  urlFor(schema: string): string;
  drop(): Promise<void>;
}

async function createFromTemplate(admin: pg.Client, name: string, template: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
      return;
    } catch (error) {
      // Another file copying the template at the same instant: wait briefly and copy again.
      const busy = (error as { code?: string }).code === '55006';
      if (!busy || attempt >= 20) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50 + Math.random() * 100));
    }
  }
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const info = testServerInfo();
  const name = `${info.template}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: info.superuserUrl });
  await admin.connect();
  try {
    await createFromTemplate(admin, name, info.template);
  } finally {
    await admin.end();
  }
  const superuserUrl = new URL(info.superuserUrl);
  superuserUrl.pathname = `/${name}`;
  return {
    name,
    superuserUrl: superuserUrl.toString(),
    urlFor(schema) {
      const password = info.passwords[schema];
      if (!password) throw new Error(`no service owns the schema "${schema}"`);
      return urlAs(info.superuserUrl, roleFor(schema), password, name);
    },
    async drop() {
      const client = new pg.Client({ connectionString: info.superuserUrl });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}
