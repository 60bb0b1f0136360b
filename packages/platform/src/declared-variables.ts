// The variables a service declares it reads: the names in its .env.example, which lists every
// one with its default (docs/adding-a-service.md), set or commented out.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { ServiceInfo } from '@azora/contracts';
import { REPO_ROOT } from '@azora/database';

export function parseEnvExample(text: string): string[] {
  const names = text.split('\n').flatMap((line) => /^\s*#?\s*([A-Z][A-Z0-9_]*)=/.exec(line)?.[1] ?? []);
  return [...new Set(names)];
}

/** The names in services/<name>/.env.example; none when it has no such file. */
export function declaredVariables(info: ServiceInfo, repoRoot = REPO_ROOT): string[] {
  const file = path.join(repoRoot, 'services', info.name, '.env.example');
  return existsSync(file) ? parseEnvExample(readFileSync(file, 'utf8')) : [];
}
