// As root, every service runs as an OS user of its own, named like its database role
// (azora_<schema>): it can read its own private key and no other, and neither the superuser's
// password nor the role passwords, which stay root's with mode 0600. Not as root, or where the
// code or the data directory cannot be reached by another user, every service runs as the
// launcher's user, and file modes alone keep secrets from other users of the machine.
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { chmod, chown, readdir } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import type { ServiceInfo } from '@azora/contracts';
import { roleFor } from '@azora/database';
import type { ServiceSecrets } from './service-env';

export interface OsUser {
  readonly name: string;
  readonly uid: number;
  readonly gid: number;
}

export type ServiceUsers =
  | { readonly separate: true; readonly users: ReadonlyMap<string, OsUser> }
  | { readonly separate: false; readonly reason: string };

const run = promisify(execFile);

/** The entry of `name` in /etc/passwd, if any. */
export function passwdEntry(name: string, passwd = '/etc/passwd'): OsUser | undefined {
  if (!existsSync(passwd)) return undefined;
  for (const line of readFileSync(passwd, 'utf8').split('\n')) {
    const [user, , uid, gid] = line.split(':');
    if (user === name && uid !== undefined && gid !== undefined) return { name, uid: Number(uid), gid: Number(gid) };
  }
  return undefined;
}

/** `dir` itself or the first of its parents that other users cannot enter (no o+x), if any. */
export function closedDirectoryOnPath(dir: string): string | undefined {
  for (let current = path.resolve(dir); ; current = path.dirname(current)) {
    if (existsSync(current) && (statSync(current).mode & 0o001) === 0) return current;
    if (current === path.dirname(current)) return undefined;
  }
}

async function ensureUser(name: string): Promise<OsUser> {
  const existing = passwdEntry(name);
  if (existing) return existing;
  try {
    await run('useradd', [
      '--system',
      '--user-group',
      '--no-create-home',
      '--home-dir',
      '/nonexistent',
      '--shell',
      '/usr/sbin/nologin',
      name,
    ]);
  } catch (error) {
    // Another start may have created it meanwhile.
    const created = passwdEntry(name);
    if (created) return created;
    throw new Error(`could not create the OS user ${name}: ${(error as Error).message.split('\n')[0]}`, {
      cause: error,
    });
  }
  const created = passwdEntry(name);
  if (!created) throw new Error(`useradd ${name} succeeded but /etc/passwd does not list it`);
  return created;
}

/** Decides how services run, creating their OS users on the first start as root. */
export async function prepareServiceUsers(options: {
  services: readonly ServiceInfo[];
  repoRoot: string;
  dataDir: string;
}): Promise<ServiceUsers> {
  if (process.getuid?.() !== 0) return { separate: false, reason: 'the launcher does not run as root' };
  const closed =
    closedDirectoryOnPath(path.join(options.repoRoot, 'services')) ?? closedDirectoryOnPath(options.dataDir);
  if (closed) return { separate: false, reason: `other users cannot enter ${closed}` };
  try {
    const users = new Map<string, OsUser>();
    for (const info of options.services) users.set(info.name, await ensureUser(roleFor(info.schema)));
    return { separate: true, users };
  } catch (error) {
    return { separate: false, reason: (error as Error).message };
  }
}

/** Gives each service user its own secret files (mode 0600): its private key, the gateway its
 * key-encryption key, and its own directory. The keys directory lets them in (0711) without
 * listing it. */
export async function handOverSecrets(
  users: ReadonlyMap<string, OsUser>,
  secrets: ReadonlyMap<string, ServiceSecrets>,
): Promise<void> {
  for (const [service, own] of secrets) {
    const user = users.get(service);
    if (!user) continue;
    for (const file of [own.keyFile, own.keyEncryptionKeyFile]) {
      if (!file) continue;
      await chown(file, user.uid, user.gid);
      await chmod(file, 0o600);
      await chmod(path.dirname(file), 0o711);
    }
    await chmod(own.jwksFile, 0o644);
    if (own.ownDirectory) await handOverDirectory(own.ownDirectory, user);
  }
}

/** The service's own directory and what it holds become its user's. */
async function handOverDirectory(dir: string, user: OsUser): Promise<void> {
  await chown(dir, user.uid, user.gid);
  await chmod(dir, 0o700);
  for (const entry of await readdir(dir)) await chown(path.join(dir, entry), user.uid, user.gid);
}
