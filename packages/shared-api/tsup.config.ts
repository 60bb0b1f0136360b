// The build of @azora/shared-api: ESM and CJS for browsers and Node 20, each with one
// self-contained declaration file.
import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  // The contracts' declarations are copied into the client's (their relative imports included),
  // so that a project outside this repository needs no @azora/contracts: only zod's types remain
  // an import, and zod is a dependency.
  dts: { resolve: ['@azora/contracts', /^\.{1,2}\//] },
  tsconfig: 'tsconfig.build.json',
  platform: 'neutral',
  target: 'es2022',
  sourcemap: true,
  clean: true,
  treeshake: true,
  splitting: false,
});
