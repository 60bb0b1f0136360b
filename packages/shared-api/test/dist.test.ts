// The built package as a consumer gets it: tsup builds into a scratch copy of this package, and
// plain Node 20 processes load it with require and with import (through package.json "exports")
// and talk to a real server with it. Its JavaScript imports nothing but axios.
import { execFile } from 'node:child_process';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { startFakeGateway, type FakeGateway } from './support/fake-gateway';

const run = promisify(execFile);
const packageDir = join(__dirname, '..');
// Under node_modules: ignored by git, and dependencies resolve from here as from the package.
const scratch = join(packageDir, 'node_modules', '.cache', 'shared-api-dist-test');
const dist = join(scratch, 'dist');
let gateway: FakeGateway;

const USE_CLIENT = `
  const [baseUrl, email] = process.argv.slice(2);
  const client = api.createAzoraClient({ baseUrl });
  const registered = await client.auth.register({ email, password: 'correct horse 42', name: 'Dist', role: 'student' });
  const me = await client.auth.me();
  const tokens = [];
  for await (const token of client.ai.streamMessage('c1', 'hi')) tokens.push(token);
  const error = await client.auth.login({ email, password: 'wrong password 9' }).catch((e) => e);
  console.log(JSON.stringify({
    resolved,
    sameUser: me.id === registered.user.id,
    tokens,
    errorName: error.name,
    isApiError: error instanceof api.AzoraApiError && api.isAzoraApiError(error),
    code: error.code,
  }));
`;

beforeAll(async () => {
  await rm(scratch, { recursive: true, force: true });
  await mkdir(scratch, { recursive: true });
  const manifest = JSON.parse(await readFile(join(packageDir, 'package.json'), 'utf8'));
  await writeFile(join(scratch, 'package.json'), JSON.stringify(manifest, null, 2));
  const tsup = join(dirname(require.resolve('tsup/package.json')), 'dist', 'cli-default.js');
  await run(process.execPath, [tsup, '--out-dir', dist], { cwd: packageDir });
  // Self-reference: inside the copy, '@azora/shared-api' resolves through its own "exports".
  await writeFile(
    join(scratch, 'use.cjs'),
    `const api = require('@azora/shared-api');\nconst resolved = require.resolve('@azora/shared-api');\n(async () => {${USE_CLIENT}})();\n`,
  );
  await writeFile(
    join(scratch, 'use.mjs'),
    `const api = await import('@azora/shared-api');\nconst resolved = new URL(import.meta.resolve('@azora/shared-api')).pathname;\n${USE_CLIENT}\n`,
  );
  gateway = await startFakeGateway((app, gw) => {
    app.post('/api/ai/conversations/:id/messages', (req, res) => {
      if (!gw.requireUser(req, res)) return;
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('data: Hel');
      res.write('lo\n\nevent: token\ndata: {"token":"!"}\n\n');
      res.end('data: [DONE]\n\n');
    });
  });
}, 120_000);

afterAll(async () => {
  await gateway?.close();
  await rm(scratch, { recursive: true, force: true });
});

test.each([
  ['CommonJS (require)', 'use.cjs', 'index.js'],
  ['ES module (import)', 'use.mjs', 'index.mjs'],
])(
  'When the %s build is used from plain Node, then it registers, streams and throws AzoraApiError',
  async (_kind, script, entry) => {
    const email = `dist-${script.replace('.', '-')}-${Date.now()}@example.test`;

    const { stdout } = await run(process.execPath, [join(scratch, script), gateway.url, email], { cwd: scratch });

    expect(JSON.parse(stdout)).toEqual({
      resolved: join(dist, entry),
      sameUser: true,
      tokens: ['Hello', '!'],
      errorName: 'AzoraApiError',
      isApiError: true,
      code: 'auth.invalid_credentials',
    });
  },
  30_000,
);

test('When the built JavaScript is scanned, then it imports only axios and uses no Node globals', async () => {
  const files = (await readdir(dist)).filter((f) => /\.(c|m)?js$/.test(f));
  const specifiers = new Set<string>();

  for (const file of files) {
    const code = await readFile(join(dist, file), 'utf8');
    for (const match of code.matchAll(/(?:require\(|from\s+|import\()\s*['"]([^'"]+)['"]/g)) specifiers.add(match[1]!);
    expect(code).not.toMatch(/\bBuffer\b|\bprocess\.|__dirname|__filename/);
  }

  expect(files.sort()).toEqual(['index.js', 'index.mjs']);
  expect([...specifiers].sort()).toEqual(['axios']);
});

test('When the build is done, then both module formats come with self-contained type declarations', async () => {
  const files = await readdir(dist);

  expect(files).toEqual(expect.arrayContaining(['index.d.ts', 'index.d.mts']));
  const declarations = await readFile(join(dist, 'index.d.ts'), 'utf8');
  expect(declarations).toMatch(/declare function createAzoraClient/);
  // The contracts' declarations are inside; only the dependencies' own types are imported.
  const imported = [...declarations.matchAll(/^import .* from ['"]([^'"]+)['"]/gm)].map((m) => m[1]);
  expect(imported.sort()).toEqual(['axios', 'zod']);
  expect(declarations).not.toMatch(/@azora\/contracts/);
  expect(declarations).toMatch(/type ProblemCode = /);
});
