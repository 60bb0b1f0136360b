// The outside programs the observability tests drive, found on PATH or failing loudly with the
// Debian package that provides them: a missing tool is a failed test, never a skipped one.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const PACKAGES: Record<string, string> = { promtool: 'prometheus', prometheus: 'prometheus', chromium: 'chromium' };

/** The absolute path of `tool`; throws naming the package to install when it is missing. */
export function requireTool(tool: string): string {
  const known = `/usr/bin/${tool}`;
  if (existsSync(known)) return known;
  const found = spawnSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).stdout.trim();
  if (found) return found;
  throw new Error(
    `${tool} is not installed: install Debian's "${PACKAGES[tool] ?? tool}" package (apt-get install -y ${PACKAGES[tool] ?? tool})`,
  );
}

/** Runs promtool with `args`; returns its output, or throws with it when it fails. */
export function promtool(args: string[], options: { cwd?: string; input?: string } = {}): string {
  try {
    return execFileSync(requireTool('promtool'), args, {
      cwd: options.cwd,
      input: options.input,
      encoding: 'utf8',
      stdio: ['pipe', 'pipe', 'pipe'],
    });
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    throw new Error(`promtool ${args.join(' ')} failed:\n${stdout}${stderr}`, { cause: error });
  }
}
