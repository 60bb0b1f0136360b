// The deployment's VAPID key pair: from VAPID_PUBLIC_KEY / VAPID_PRIVATE_KEY when set, otherwise
// generated once into a file (mode 0600) that every later start, and every instance sharing the
// data directory, reads back. Browsers' subscriptions are bound to the public key: a new pair
// would silently orphan all of them, so an existing file is never overwritten.
import { chmodSync, linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import webpush from 'web-push';
import type { Logger } from '@azora/service-kit';

export interface VapidKeyPair {
  publicKey: string;
  privateKey: string;
}

function readPair(file: string): VapidKeyPair {
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<VapidKeyPair>;
  if (typeof parsed.publicKey !== 'string' || typeof parsed.privateKey !== 'string')
    throw new Error(`${file} does not hold a VAPID key pair ({publicKey, privateKey})`);
  return { publicKey: parsed.publicKey, privateKey: parsed.privateKey };
}

/** Reads the key file, creating it first when it does not exist yet. */
export function loadOrCreateVapidKeys(file: string, logger: Logger): VapidKeyPair {
  try {
    return readPair(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const pair = webpush.generateVAPIDKeys();
  // Written aside, then linked into place: link fails if another instance got there first,
  // and then its pair is the one to use.
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(pair, null, 2)}\n`, { mode: 0o600 });
  chmodSync(temporary, 0o600);
  try {
    linkSync(temporary, file);
    logger.info({ file }, 'generated the VAPID key pair for Web Push');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    unlinkSync(temporary);
  }
  return readPair(file);
}
