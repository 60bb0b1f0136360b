// The outside tools these tests drive, and a clear failure, naming the package to install, when
// one is missing: a missing tool must never pass for a skipped test.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..', '..');

/** Where each tool comes from on Debian (what .ci/run installs with apt-get). */
const PACKAGES: Record<string, string> = {
  'docker-compose': "Debian's docker-compose package (apt-get install -y docker-compose)",
  shellcheck: "Debian's shellcheck package (apt-get install -y shellcheck)",
  kubectl:
    'the kubectl package (part of the machine image; otherwise apt-get install -y kubectl from a Kubernetes apt source)',
};

/** Throws, naming the package, unless `tool` runs. */
export function requireTool(tool: string, versionArgs: string[] = ['--version']): void {
  const result = spawnSync(tool, versionArgs, { encoding: 'utf8' });
  if (result.error || result.status !== 0) {
    throw new Error(`${tool} is not installed or does not run: these tests need ${PACKAGES[tool] ?? tool}`);
  }
}

export interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command to completion in the repository (or `cwd`). */
export function run(
  command: string,
  args: readonly string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string } = {},
): Run {
  const result: SpawnSyncReturns<string> = spawnSync(command, args, {
    cwd: options.cwd ?? REPO_ROOT,
    env: options.env ?? process.env,
    encoding: 'utf8',
    input: options.input,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The azora-ops CLI, as operators run it. */
export function azoraOps(args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Run {
  return run(process.execPath, [path.join(REPO_ROOT, 'infrastructure', 'ops', 'azora-ops.js'), ...args], options);
}
