// Wake-ups on append: one dedicated pool client LISTENs on the events channel while anyone is
// subscribed, and is given back as soon as nobody is. A lost connection is re-established, the
// first try after reconnectBaseMs and later ones backing off up to reconnectMaxMs, so the signal doubles as
// the probe that notices the database answering again. After any gap in listening every
// subscriber is called once, since a NOTIFY may have been missed: a dispatcher backing off
// from database errors is woken as soon as its database is back.
import type { Logger, Pool, Tx } from '@azora/service-kit';
import type { ListeningSignal } from '../domain/ports';
import { EVENTS_CHANNEL } from './events';

export function createEventSignal({
  pool,
  logger,
  reconnectBaseMs = 50,
  reconnectMaxMs = 1_000,
}: {
  pool: Pool;
  logger: Logger;
  reconnectBaseMs?: number;
  reconnectMaxMs?: number;
}): ListeningSignal {
  const subscribers = new Set<() => void>();
  let failedTries = 0;
  let client: Tx | undefined;
  let onLost: ((error: Error) => void) | undefined;
  let connecting: Promise<void> | undefined;
  let retry: NodeJS.Timeout | undefined;
  let dropping: Promise<void> = Promise.resolve();

  const wakeAll = () => {
    for (const subscriber of [...subscribers]) subscriber();
  };

  function drop(lost = false): void {
    const current = client;
    client = undefined;
    if (!current) return;
    current.removeListener('notification', wakeAll);
    if (onLost) current.removeListener('error', onLost);
    dropping = dropping.then(async () => {
      if (lost) return current.release(true);
      try {
        await current.query(`UNLISTEN ${EVENTS_CHANNEL}`);
        current.release();
      } catch {
        current.release(true);
      }
    });
  }

  function connect(): void {
    if (client || connecting || subscribers.size === 0) return;
    connecting = (async () => {
      let candidate: Tx | undefined;
      try {
        candidate = await pool.connect();
        const own = candidate;
        const lost = (error: Error) => {
          logger.warn({ err: error }, 'LISTEN connection lost; reconnecting');
          if (client === own) drop(true);
          schedule();
        };
        own.on('notification', wakeAll);
        own.on('error', lost);
        onLost = lost;
        await own.query(`LISTEN ${EVENTS_CHANNEL}`);
        client = own;
        if (failedTries > 0) logger.info({ failedTries }, 'listening for appended events again');
        failedTries = 0;
      } catch (error) {
        candidate?.removeListener('notification', wakeAll);
        if (onLost) candidate?.removeListener('error', onLost);
        candidate?.release(true);
        failedTries += 1;
        if (failedTries === 1 || failedTries % 60 === 0)
          logger.warn({ err: error, failedTries }, 'could not LISTEN for appended events; retrying');
        schedule();
      } finally {
        connecting = undefined;
      }
      if (subscribers.size === 0) drop();
      else if (client) wakeAll();
    })();
  }

  function schedule(): void {
    if (retry || subscribers.size === 0) return;
    const delayMs = Math.min(reconnectMaxMs, reconnectBaseMs * 2 ** Math.min(failedTries, 20));
    retry = setTimeout(() => {
      retry = undefined;
      connect();
    }, delayMs);
  }

  return {
    subscribe(onAppended) {
      subscribers.add(onAppended);
      connect();
      return () => {
        subscribers.delete(onAppended);
        if (subscribers.size > 0) return;
        clearTimeout(retry);
        retry = undefined;
        drop(); // while connecting, the connect step drops it once it is done
      };
    },
    async close() {
      subscribers.clear();
      clearTimeout(retry);
      retry = undefined;
      await connecting;
      drop();
      await dropping;
    },
  };
}
