// The gateway's identity variables that take more than a number: the key that encrypts the
// signing keys at rest (inline or in a file), the signing-key file, the trusted proxies; and how
// a bad configuration is reported: every variable named with what is wrong, never its value,
// since several of them are secrets.
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { z } from 'zod';
import { ConfigError } from '@azora/service-kit';
import { parseKeyEncryptionKey, type KeyEncryptionKey } from './keys/key-encryption';

const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

export const identityVariables = {
  GATEWAY_KEY_ENCRYPTION_KEY: z.string().optional(),
  GATEWAY_KEY_ENCRYPTION_KEY_FILE: z.string().min(1).optional(),
  GATEWAY_SIGNING_KEY_FILE: z.string().min(1).optional(),
  TRUST_PROXY: z.string().default('loopback'),
};

interface IdentityEnv {
  GATEWAY_KEY_ENCRYPTION_KEY?: string | undefined;
  GATEWAY_KEY_ENCRYPTION_KEY_FILE?: string | undefined;
  GATEWAY_SIGNING_KEY_FILE?: string | undefined;
  TRUST_PROXY: string;
}

type Read = { text: string } | { problem: string };

/** A file's text, or why it cannot be read: the error code only, never the path. */
function readSecretFile(file: string): Read {
  try {
    return { text: readFileSync(file, 'utf8') };
  } catch (error) {
    return { problem: `cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})` };
  }
}

function isProxyEntry(entry: string): boolean {
  if (PROXY_NAMES.has(entry) || isIP(entry) !== 0) return true;
  const [address, bits, ...rest] = entry.split('/');
  const family = isIP(address ?? '');
  const max = family === 4 ? 32 : 128;
  return family !== 0 && rest.length === 0 && /^\d{1,3}$/.test(bits ?? '') && Number(bits) <= max;
}

/** TRUST_PROXY as Express takes it: `none` (or nothing) trusts no proxy. */
export function trustedProxies(value: string): string[] {
  const entries = value
    .split(',')
    .map((e) => e.trim())
    .filter((e) => e !== '');
  return entries.length === 1 && entries[0] === 'none' ? [] : entries;
}

/** The key that encrypts the signing keys at rest, or a problem with the variable that holds it. */
function keyEncryptionKeyRead(env: IdentityEnv): { kek?: KeyEncryptionKey; variable?: string; problem?: string } {
  const inline = env.GATEWAY_KEY_ENCRYPTION_KEY;
  const file = env.GATEWAY_KEY_ENCRYPTION_KEY_FILE;
  if (inline !== undefined && file !== undefined)
    return {
      variable: 'GATEWAY_KEY_ENCRYPTION_KEY_FILE',
      problem: 'set only one of it and GATEWAY_KEY_ENCRYPTION_KEY',
    };
  const variable = file !== undefined ? 'GATEWAY_KEY_ENCRYPTION_KEY_FILE' : 'GATEWAY_KEY_ENCRYPTION_KEY';
  const read: Read | undefined =
    file !== undefined ? readSecretFile(file) : inline === undefined ? undefined : { text: inline };
  if (!read) return {};
  if ('problem' in read) return { variable, problem: read.problem };
  const kek = parseKeyEncryptionKey(read.text);
  return kek
    ? { kek }
    : { variable, problem: 'expected the base64 of 32 random bytes (e.g. `openssl rand -base64 32`)' };
}

export function checkIdentityVariables(env: IdentityEnv, ctx: z.RefinementCtx): void {
  const issue = (variable: string, message: string) => ctx.addIssue({ code: 'custom', path: [variable], message });
  const { kek, variable, problem } = keyEncryptionKeyRead(env);
  if (variable && problem) issue(variable, problem);
  if (!kek && !problem && env.GATEWAY_SIGNING_KEY_FILE === undefined)
    issue(
      'GATEWAY_KEY_ENCRYPTION_KEY',
      'required: the signing keys kept in the database are encrypted with it (base64 of 32 bytes; or give a file ' +
        'holding it in GATEWAY_KEY_ENCRYPTION_KEY_FILE, or sign with GATEWAY_SIGNING_KEY_FILE instead)',
    );
  if (env.GATEWAY_SIGNING_KEY_FILE !== undefined) {
    const read = readSecretFile(env.GATEWAY_SIGNING_KEY_FILE);
    if ('problem' in read) issue('GATEWAY_SIGNING_KEY_FILE', read.problem);
  }
  if (!trustedProxies(env.TRUST_PROXY).every(isProxyEntry))
    issue(
      'TRUST_PROXY',
      'expected `none`, or addresses and CIDR ranges separated by commas, or loopback, linklocal, uniquelocal',
    );
}

export function identityConfig(env: IdentityEnv) {
  const signingKey = env.GATEWAY_SIGNING_KEY_FILE ? readSecretFile(env.GATEWAY_SIGNING_KEY_FILE) : undefined;
  return {
    keyEncryptionKey: keyEncryptionKeyRead(env).kek,
    signingKeyPem: signingKey && 'text' in signingKey ? signingKey.text : undefined,
    trustProxy: trustedProxies(env.TRUST_PROXY),
  };
}

/** Parses `env` with `schema`; throws ConfigError naming each bad variable and what it expects,
 * never printing a value. (An empty variable counts as unset, as in a shell.) */
export function parseEnvironment<S extends z.ZodType>(schema: S, env: Record<string, string | undefined>): z.infer<S> {
  const set = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const result = schema.safeParse(set);
  if (result.success) return result.data;
  throw new ConfigError(
    result.error.issues.map((issue) => `${issue.path.join('.') || '(environment)'}: ${issue.message}`),
  );
}
