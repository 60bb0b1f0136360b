// The client as a project outside this repository gets it, following its README: `npm pack` of
// @azora/shared-api, `npm install <tarball>` into a scratch project under the system temporary
// directory, then plain Node (ES module and CommonJS) signs up, lists courses and reads the
// wallet through a real gateway, and TypeScript compiles a page against the installed types.
//
// Offline: the scratch project starts with a lockfile that pins the tarball's dependencies
// (axios, zod and theirs) to this repository's own lockfile, so `npm install --offline` takes
// them from npm's cache, where installing this repository put them; the registry is not asked.
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { createAzoraClient } from '@azora/shared-api';
import { createTestDatabase, type TestDatabase } from '@azora/testing';
import { startPlatform, type Platform } from './support/platform';

const run = promisify(execFile);
const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
const CLIENT_DIR = path.join(REPO_ROOT, 'packages', 'shared-api');

interface LockEntry {
  dependencies?: Record<string, string>;
  [field: string]: unknown;
}

/** This repository's lockfile entries of `names` and everything they depend on, keyed as installed. */
async function lockedClosure(names: string[], from: string): Promise<Record<string, LockEntry>> {
  const lock = JSON.parse(await readFile(path.join(REPO_ROOT, 'package-lock.json'), 'utf8'));
  const entries = lock.packages as Record<string, LockEntry>;
  // Node's lookup: the dependent's own node_modules first, then each parent's up to the root.
  const locate = (name: string, dependent: string): string => {
    let base = dependent;
    for (;;) {
      const key = `${base ? `${base}/` : ''}node_modules/${name}`;
      if (entries[key]) return key;
      if (!base) throw new Error(`${name} (needed by ${dependent}) is not in package-lock.json`);
      const parent = base.lastIndexOf('/node_modules/');
      base = parent === -1 ? '' : base.slice(0, parent);
    }
  };
  const closure: Record<string, LockEntry> = {};
  const seen = new Set<string>();
  const queue = names.map((name) => [name, from] as const);
  for (let next = queue.shift(); next; next = queue.shift()) {
    const key = locate(...next);
    if (seen.has(key)) continue;
    seen.add(key);
    const { dev: _dev, optional: _optional, devOptional: _devOptional, peer: _peer, ...entry } = entries[key]!;
    // A dependency nested under the workspace is nested under the installed package instead.
    closure[key.replace(`${from}/`, 'node_modules/@azora/shared-api/')] = entry;
    for (const dependency of Object.keys(entry.dependencies ?? {})) queue.push([dependency, key]);
  }
  return closure;
}

/** npm as a shell would run it: without the npm_* settings of the `npm test` running this file. */
function npm(args: string[], cwd: string) {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(
      ([name]) => !name.startsWith('npm_') || ['npm_config_cache', 'npm_config_userconfig'].includes(name),
    ),
  );
  return run('npm', [...args, '--no-audit', '--no-fund', '--no-update-notifier'], { cwd, env });
}

const PAGE = `
  const [baseUrl, email, q] = process.argv.slice(2);
  const azora = api.createAzoraClient({ baseUrl });
  const { user } = await azora.auth.register({ email, password: 'packed-client-42', name: 'Pat', role: 'student' });
  const courses = await azora.education.listCourses({ q });
  const wallet = await azora.mint.wallet();
  const error = await azora.auth.login({ email, password: 'wrong-password-42' }).catch((e) => e);
  console.log(JSON.stringify({
    resolved,
    userId: user.id,
    titles: courses.items.map((course) => course.title),
    wallet,
    error: { apiError: error instanceof api.AzoraApiError && api.isAzoraApiError(error), status: error.status, code: error.code },
  }));
`;

const TYPED_PAGE = `
import { AzoraApiError, createAzoraClient, type AzoraErrorCode } from '@azora/shared-api';

const azora = createAzoraClient({ baseUrl: '' });

export async function dashboard(email: string, password: string): Promise<string> {
  try {
    await azora.auth.login({ email, password });
    const page = await azora.education.listCourses({ q: 'rust', limit: 10 });
    const wallet = await azora.mint.wallet();
    return page.items.map((course) => course.title).join(', ') + ': ' + (wallet.balance + 0) + ' ' + wallet.currency;
  } catch (error) {
    if (!(error instanceof AzoraApiError)) throw error;
    const code: AzoraErrorCode = error.code;
    switch (code) {
      case 'auth.invalid_credentials':
        return 'sign in again';
      case 'client.network_error':
        return 'offline';
      default:
        return error.title;
    }
  }
}

// @ts-expect-error the installed types are real, not any: a balance is no string
export const balanceText: Promise<string> = azora.mint.wallet().then((wallet) => wallet.balance);
`;

describe('the client packed and installed outside this repository', () => {
  let db: TestDatabase;
  let platform: Platform;
  let scratch: string;
  let app: string;
  let packedFiles: string[];

  beforeAll(async () => {
    db = await createTestDatabase();
    platform = await startPlatform(db, ['azora-education', 'azora-mint']);
    scratch = await mkdtemp(path.join(os.tmpdir(), 'azora-packed-client-'));
    app = path.join(scratch, 'app');
    await mkdir(app);

    const { stdout } = await npm(['pack', '--json', '--ignore-scripts', '--pack-destination', scratch], CLIENT_DIR);
    const [packed] = JSON.parse(stdout) as { filename: string; files: { path: string }[] }[];
    packedFiles = packed!.files.map((file) => file.path).sort();
    const manifest = JSON.parse(await readFile(path.join(CLIENT_DIR, 'package.json'), 'utf8'));
    const locked = await lockedClosure(Object.keys(manifest.dependencies), 'packages/shared-api');
    await writeFile(path.join(app, 'package.json'), JSON.stringify({ name: 'front-end', private: true }));
    await writeFile(
      path.join(app, 'package-lock.json'),
      JSON.stringify({ name: 'front-end', lockfileVersion: 3, requires: true, packages: { '': {}, ...locked } }),
    );
    await npm(['install', `../${packed!.filename}`, '--offline'], app);

    await writeFile(
      path.join(app, 'page.mjs'),
      `import * as api from '@azora/shared-api';\nconst resolved = new URL(import.meta.resolve('@azora/shared-api')).pathname;\n${PAGE}`,
    );
    await writeFile(
      path.join(app, 'page.cjs'),
      `const api = require('@azora/shared-api');\nconst resolved = require.resolve('@azora/shared-api');\n(async () => {${PAGE}})();\n`,
    );
  }, 180_000);

  afterAll(async () => {
    await platform?.stop();
    await db?.drop();
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  /** A published course with a title of its own, made through the gateway by an instructor. */
  async function aPublishedCourse(): Promise<string> {
    const instructor = createAzoraClient({ baseUrl: platform.gatewayUrl });
    await instructor.auth.register({
      email: `ines-${randomUUID().slice(0, 8)}@azora.test`,
      password: 'teaching-is-42',
      name: 'Ines',
      role: 'instructor',
    });
    const title = `Packed ${randomUUID().slice(0, 8)}`;
    const course = await instructor.education.createCourse({
      title,
      description: 'Installed from a tarball',
      priceCents: 0,
      currency: 'USD',
      skills: ['npm'],
    });
    await instructor.education.addLesson(course.id, { title: 'Pack', content: 'npm pack', position: 1 });
    await instructor.education.publishCourse(course.id);
    return title;
  }

  it('When the client is packed and installed, then the project holds its built files and no other @azora package', async () => {
    const installed = JSON.parse(await readFile(path.join(app, 'node_modules/@azora/shared-api/package.json'), 'utf8'));

    expect(packedFiles).toEqual(
      expect.arrayContaining(['README.md', 'dist/index.d.mts', 'dist/index.d.ts', 'dist/index.js', 'dist/index.mjs']),
    );
    expect(
      packedFiles.every((file) => file === 'README.md' || file === 'package.json' || file.startsWith('dist/')),
    ).toBe(true);
    expect(await readdir(path.join(app, 'node_modules/@azora'))).toEqual(['shared-api']);
    expect(Object.keys(installed.dependencies).sort()).toEqual(['axios', 'zod']);
  });

  it.each([
    ['an ES module (import)', 'page.mjs', 'index.mjs'],
    ['a CommonJS (require)', 'page.cjs', 'index.js'],
  ])(
    'When %s script uses the installed client, then it signs up, finds the course and reads an empty wallet',
    async (_kind, script, entry) => {
      const title = await aPublishedCourse();
      const email = `pat-${randomUUID().slice(0, 8)}@azora.test`;

      const { stdout } = await run(process.execPath, [script, platform.gatewayUrl, email, title], { cwd: app });

      const result = JSON.parse(stdout);
      expect(result).toEqual({
        resolved: path.join(app, 'node_modules/@azora/shared-api/dist', entry),
        userId: expect.any(String),
        titles: [title],
        wallet: { userId: result.userId, balance: 0, currency: 'AZR' },
        error: { apiError: true, status: 401, code: 'auth.invalid_credentials' },
      });
    },
  );

  it('When a TypeScript page is compiled against the installed client, then its types resolve without @azora/contracts', async () => {
    await writeFile(path.join(app, 'page.ts'), TYPED_PAGE);
    await writeFile(
      path.join(app, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'ESNext',
          moduleResolution: 'Bundler',
          lib: ['ES2022', 'DOM'],
          types: [],
          strict: true,
          noEmit: true,
          // Every declaration the client brings is checked, not only those the page touches.
          skipLibCheck: false,
        },
        files: ['page.ts'],
      }),
    );

    const compiled = await run(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', app]).then(
      () => ({ ok: true, output: '' }),
      (error: { stdout: string }) => ({ ok: false, output: error.stdout }),
    );

    expect(compiled).toEqual({ ok: true, output: '' });
  });
});
