// docker-compose.production.yml as docker-compose renders it (`config`, no engine needed), with
// an env file provisioned the way operators make theirs.
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { REPO_ROOT, azoraOps, run, type Run } from './tools';

export const COMPOSE_FILE = path.join(REPO_ROOT, 'docker-compose.production.yml');

export interface ComposeService {
  image?: string;
  environment?: Record<string, string | null>;
  ports?: (string | { published?: string | number; target?: number; host_ip?: string })[];
  healthcheck?: { test?: string[] };
  depends_on?: Record<string, { condition: string }>;
  secrets?: ({ source: string; target?: string } | string)[];
  volumes?: (string | { source?: string; target?: string; type?: string })[];
  restart?: string;
  read_only?: boolean;
  mem_limit?: string | number;
  cpus?: string | number;
  networks?: Record<string, unknown> | string[];
}

export interface Compose {
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
  secrets?: Record<string, { file: string }>;
}

/** .env.production.example, filled by provision-keys in a directory of the test's own. */
export function provisionedEnvFile(): { dir: string; envFile: string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'azora-compose-'));
  const envFile = path.join(dir, '.env.production');
  copyFileSync(path.join(REPO_ROOT, '.env.production.example'), envFile);
  const provisioned = azoraOps(['provision-keys', '--dir', path.join(dir, 'secrets'), '--env', envFile]);
  if (provisioned.status !== 0) throw new Error(`provision-keys failed:\n${provisioned.stderr}`);
  writeFileSync(envFile, `${readFileSync(envFile, 'utf8')}AZORA_SECRETS_DIR=${path.join(dir, 'secrets')}\n`);
  return { dir, envFile };
}

/** `docker-compose --env-file <file> -f docker-compose.production.yml config`. */
export function composeConfig(envFile: string): Run {
  // Only what the env file says: nothing of this process's environment leaks into the render.
  const env = { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: os.tmpdir() };
  return run('docker-compose', ['--env-file', envFile, '-f', COMPOSE_FILE, 'config'], { env });
}

export function renderCompose(envFile: string): Compose {
  const result = composeConfig(envFile);
  if (result.status !== 0) throw new Error(`docker-compose config failed:\n${result.stderr}`);
  return parse(result.stdout) as Compose;
}

/** NAME=value pairs of an env file. */
export function envFileValues(file: string): Record<string, string> {
  return Object.fromEntries(
    readFileSync(file, 'utf8')
      .split('\n')
      .flatMap((line) => {
        const match = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(line);
        return match ? [[match[1] as string, match[2] as string]] : [];
      }),
  );
}
