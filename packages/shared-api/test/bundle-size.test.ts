// The browser budget: a page that signs in, lists courses and reads the wallet, bundled from the
// built ES module the way a front end's bundler does (esbuild through tsup: minified, for the
// browser, every dependency included), must stay at or under 40 KB gzipped.
import { execFile } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';

const run = promisify(execFile);
const BUDGET_BYTES = 40 * 1024;
const packageDir = join(__dirname, '..');
// Under node_modules: ignored by git, and axios resolves from here as from the package.
const scratch = join(packageDir, 'node_modules', '.cache', 'shared-api-bundle-size-test');

const PAGE = `
import { AzoraApiError, createAzoraClient } from '../dist/index.mjs';

const azora = createAzoraClient({ baseUrl: '' });

export async function showDashboard(email, password) {
  try {
    await azora.auth.login({ email, password });
    const courses = await azora.education.listCourses({ limit: 10 });
    const wallet = await azora.mint.wallet();
    return { titles: courses.items.map((course) => course.title), balance: wallet.balance };
  } catch (error) {
    if (error instanceof AzoraApiError && error.code === 'auth.invalid_credentials') return { signIn: true };
    throw error;
  }
}
`;

// Run by a child Node process with the scratch folder as its working directory: tsup takes the
// working directory's package.json to decide what stays external, and the scratch has none.
const BUILD = `
  const { build } = require(process.argv[1]);
  const [packageDir, scratch] = process.argv.slice(2);
  const manifest = require(packageDir + '/package.json');
  const quiet = { silent: true, dts: false, sourcemap: false };
  (async () => {
    // The package's own ES module build, as \`npm run build\` makes it.
    await build({
      config: packageDir + '/tsup.config.ts',
      ...quiet,
      entry: [packageDir + '/src/index.ts'],
      tsconfig: packageDir + '/tsconfig.build.json',
      format: ['esm'],
      external: Object.keys(manifest.dependencies),
      outDir: scratch + '/dist',
    });
    await build({
      config: false,
      ...quiet,
      entry: [scratch + '/page/page.mjs'],
      outDir: scratch + '/out',
      format: ['esm'],
      platform: 'browser',
      target: 'es2020',
      minify: true,
      metafile: true,
    });
  })().catch((error) => {
    console.error(error);
    process.exit(1);
  });
`;

interface Metafile {
  inputs: Record<string, { bytes: number }>;
}

let page: { gzipped: number; inputs: string[] };

beforeAll(async () => {
  await rm(scratch, { recursive: true, force: true });
  await mkdir(join(scratch, 'page'), { recursive: true });
  await writeFile(join(scratch, 'page', 'page.mjs'), PAGE);

  await run(process.execPath, ['-e', BUILD, require.resolve('tsup'), packageDir, scratch], { cwd: scratch });

  const code = await readFile(join(scratch, 'out', 'page.mjs'));
  const meta = JSON.parse(await readFile(join(scratch, 'out', 'metafile-esm.json'), 'utf8')) as Metafile;
  page = { gzipped: gzipSync(code, { level: 9 }).length, inputs: Object.keys(meta.inputs) };
}, 60_000);

afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

test('When a sign-in, courses and wallet page is bundled for the browser, then it is at most 40 KB gzipped', () => {
  expect(page.gzipped).toBeGreaterThan(0);
  expect(page.gzipped).toBeLessThanOrEqual(BUDGET_BYTES);
});

test('When that page is bundled, then neither zod nor @azora/contracts is in it, and axios is', () => {
  expect(page.inputs.filter((input) => /node_modules\/zod\/|contracts\//.test(input))).toEqual([]);
  expect(page.inputs.some((input) => input.includes('node_modules/axios/'))).toBe(true);
});
