// Database: the pool is bound to the service's schema, transactions commit or roll back, and
// migrations apply in order, once, even when two instances start together.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '@azora/test-database';
import { SHARED_MIGRATIONS, createPool, readMigrations, runMigrations, withTransaction, type Pool } from '../src';

let db: TestDatabase;
let mint: Pool;
let admin: pg.Client;
const pools: Pool[] = [];
const dirs: string[] = [];

/** The shared migrations (outbox, inbox, ...) that come before every service's own. */
let SHARED: string[] = [];

beforeAll(async () => {
  SHARED = (await readMigrations(SHARED_MIGRATIONS)).map((m) => m.name);
  db = await createTestDatabase();
  mint = createPool({ connectionString: db.urlFor('mint'), schema: 'mint', max: 4 });
  admin = new pg.Client({ connectionString: db.superuserUrl });
  await admin.connect();
});

afterAll(async () => {
  await Promise.all([mint.end(), admin.end(), ...pools.map((p) => p.end())]);
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
  await db.drop();
});

const unique = (prefix: string) => `${prefix}_${randomBytes(4).toString('hex')}`;
const COURSES = 'CREATE TABLE courses (id int PRIMARY KEY);';

/** A table of this test's own in the mint schema, created by the mint role. */
async function newTable(): Promise<string> {
  const table = unique('kit_tx');
  await mint.query(`CREATE TABLE ${table} (id text PRIMARY KEY)`);
  return table;
}

/** A fresh schema owned by the mint role, and a pool of the mint role bound to it. */
async function newSchema(): Promise<{ schema: string; pool: Pool }> {
  const schema = unique('kit_migrate');
  await admin.query(`CREATE SCHEMA ${schema} AUTHORIZATION azora_mint`);
  const pool = createPool({ connectionString: db.urlFor('mint'), schema, max: 2 });
  pools.push(pool);
  return { schema, pool };
}

/** A migrations directory holding `files`. */
async function migrationsDir(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'kit-migrations-'));
  dirs.push(dir);
  for (const [name, sql] of Object.entries(files)) await writeFile(path.join(dir, name), sql);
  return dir;
}

async function recorded(pool: Pool, schema: string): Promise<string[]> {
  const { rows } = await pool.query<{ name: string }>(
    `SELECT name FROM ${schema}.schema_migrations ORDER BY applied_at, name`,
  );
  return rows.map((r) => r.name);
}

describe('createPool', () => {
  it('When a client of the pool connects, then the schema is the only one on its search_path', async () => {
    // Arrange: the superuser has no search_path of its own for mint, so only createPool can set it.
    const pool = createPool({ connectionString: db.superuserUrl, schema: 'mint', max: 1 });
    pools.push(pool);

    // Act
    const { rows } = await pool.query(`SELECT current_schema() AS schema, current_setting('search_path') AS path`);

    // Assert
    expect(rows).toEqual([{ schema: 'mint', path: 'mint' }]);
  });

  it('When the schema is not a plain identifier, then createPool refuses it', () => {
    // Arrange
    const schema = 'mint -c role=postgres';

    // Act
    const create = () => createPool({ connectionString: db.urlFor('mint'), schema });

    // Assert
    expect(create).toThrow(`"${schema}" is not a safe SQL identifier`);
  });
});

describe('withTransaction', () => {
  it('When the function resolves, then its writes are committed and its result returned', async () => {
    // Arrange
    const table = await newTable();

    // Act
    const result = await withTransaction(mint, async (tx) => {
      await tx.query(`INSERT INTO ${table} (id) VALUES ('a'), ('b')`);
      return 'done';
    });

    // Assert
    expect(result).toBe('done');
    const { rows } = await mint.query<{ id: string }>(`SELECT id FROM ${table} ORDER BY id`);
    expect(rows.map((r) => r.id)).toEqual(['a', 'b']);
  });

  it('When the function throws, then its writes are rolled back and the error rethrown', async () => {
    // Arrange
    const table = await newTable();

    // Act
    const run = withTransaction(mint, async (tx) => {
      await tx.query(`INSERT INTO ${table} (id) VALUES ('a')`);
      throw new Error('insufficient funds');
    });

    // Assert
    await expect(run).rejects.toThrow('insufficient funds');
    const { rows } = await mint.query(`SELECT id FROM ${table}`);
    expect(rows).toEqual([]);
  });

  it('When a query on the pool fails with an SQL error, then its connection is kept, not reopened', async () => {
    // Arrange
    const table = await newTable();
    const before = await mint.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');

    // Act
    await expect(mint.query(`INSERT INTO ${table} (id) VALUES (NULL)`)).rejects.toThrow(/null value/);

    // Assert: the same backend answers; a destroyed client would have meant a new one.
    const pids = new Set<number>();
    for (let i = 0; i < 5; i++)
      pids.add((await mint.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid);
    expect(pids).toContain(before.rows[0]!.pid);
  });

  it('When a statement fails inside, then the connection goes back to the pool usable', async () => {
    // Arrange
    const table = await newTable();
    const failing = withTransaction(mint, (tx) => tx.query(`INSERT INTO ${table} (id) VALUES (NULL)`));
    await expect(failing).rejects.toThrow(/null value/);

    // Act
    await withTransaction(mint, (tx) => tx.query(`INSERT INTO ${table} (id) VALUES ('after')`));

    // Assert
    const { rows } = await mint.query<{ id: string }>(`SELECT id FROM ${table}`);
    expect(rows).toEqual([{ id: 'after' }]);
  });
});

describe('runMigrations', () => {
  it('When a service directory is given, then the shared and then its migrations apply in number order', async () => {
    // Arrange: 002 only works after 001, and the files are written out of order.
    const { schema, pool } = await newSchema();
    const dir = await migrationsDir({
      '002_add_title.sql': 'ALTER TABLE courses ADD COLUMN title text;',
      '001_create_courses.sql': COURSES,
    });

    // Act
    const applied = await runMigrations({ pool, schema, dir });

    // Assert
    const expected = [...SHARED, 'service/001_create_courses.sql', 'service/002_add_title.sql'];
    expect(applied).toEqual(expected);
    expect(await recorded(pool, schema)).toEqual(expected);
    await pool.query(`INSERT INTO ${schema}.courses (id, title) VALUES (1, 'Algebra')`);
  });

  it('When run a second time, then it applies nothing', async () => {
    // Arrange
    const { schema, pool } = await newSchema();
    const dir = await migrationsDir({ '001_create_courses.sql': COURSES });
    await runMigrations({ pool, schema, dir });

    // Act
    const again = await runMigrations({ pool, schema, dir });

    // Assert
    expect(again).toEqual([]);
    expect(await recorded(pool, schema)).toEqual([...SHARED, 'service/001_create_courses.sql']);
  });

  it('When an applied migration has been changed, then it refuses to run', async () => {
    // Arrange
    const { schema, pool } = await newSchema();
    const dir = await migrationsDir({ '001_create_courses.sql': COURSES });
    await runMigrations({ pool, schema, dir });
    await writeFile(path.join(dir, '001_create_courses.sql'), 'CREATE TABLE courses (id bigint PRIMARY KEY);');

    // Act
    const run = runMigrations({ pool, schema, dir });

    // Assert
    await expect(run).rejects.toThrow(
      `migration ${schema}/service/001_create_courses.sql was changed after it was applied`,
    );
  });

  it('When a migration fails, then nothing of it remains and the earlier ones stay applied', async () => {
    // Arrange
    const { schema, pool } = await newSchema();
    const dir = await migrationsDir({
      '001_create_courses.sql': COURSES,
      '002_broken.sql': 'CREATE TABLE lessons (id int); SELECT * FROM no_such_table;',
    });

    // Act
    const run = runMigrations({ pool, schema, dir });

    // Assert
    await expect(run).rejects.toThrow(`migration ${schema}/service/002_broken.sql failed`);
    expect(await recorded(pool, schema)).toEqual([...SHARED, 'service/001_create_courses.sql']);
    await expect(pool.query(`SELECT 1 FROM ${schema}.lessons`)).rejects.toThrow(/does not exist/);
  });

  it('When two instances migrate the same schema at once, then each migration is applied exactly once', async () => {
    // Arrange: two pools, as two processes of one service would have.
    const { schema, pool } = await newSchema();
    const other = createPool({ connectionString: db.urlFor('mint'), schema, max: 1 });
    pools.push(other);
    const dir = await migrationsDir({
      '001_create_courses.sql': COURSES,
      '002_seed_courses.sql': 'INSERT INTO courses (id) VALUES (1);',
    });

    // Act
    const [first, second] = await Promise.all([
      runMigrations({ pool, schema, dir }),
      runMigrations({ pool: other, schema, dir }),
    ]);

    // Assert
    const every = [...SHARED, 'service/001_create_courses.sql', 'service/002_seed_courses.sql'];
    expect([first, second]).toEqual(expect.arrayContaining([every, []]));
    expect(await recorded(pool, schema)).toEqual(every);
    const { rows } = await pool.query<{ count: number }>(`SELECT count(*)::int AS count FROM ${schema}.courses`);
    expect(rows).toEqual([{ count: 1 }]);
  });
});
