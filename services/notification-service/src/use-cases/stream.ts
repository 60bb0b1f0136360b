// Following a user's inbox live. Each open stream has a cursor (the seq of the last notification
// it sent) and reads on whenever it is poked: at once when this process stored notifications
// for the user (after commit), and on a timer that compares every followed user's latest number
// with one query, which catches what other instances stored. A user's numbers are given out in
// commit order (see db/recipients.ts), so reading `seq > cursor` never skips one.
import type { Logger, Pool } from '@azora/service-kit';
import { listAfter } from '../db/notifications';
import { lastSeqs } from '../db/recipients';
import type { NotificationRecord } from '../domain/records';

const BATCH = 100;

export interface Follower {
  /** The seq it started after. */
  readonly from: number;
  /** Reads on now: call it once the response is ready for the backlog after `from`. */
  poke(): void;
  stop(): void;
}

export interface FollowOptions {
  userId: string;
  /** Resume after this seq (Last-Event-ID); from now on when absent. */
  after?: number | undefined;
  /** Resolves once the notification is written (or the client is gone). */
  send(notification: NotificationRecord): Promise<void>;
  onFailure(error: unknown): void;
}

export interface StreamHub {
  follow(options: FollowOptions): Promise<Follower>;
  /** New notifications for `userId` were committed here. */
  stored(userId: string): void;
  /** Open streams, for tests and metrics. */
  readonly size: number;
}

interface Entry {
  userId: string;
  cursor: number;
  poke(): void;
}

export function createStreamHub({ pool, logger, pollMs }: { pool: Pool; logger: Logger; pollMs: number }): StreamHub {
  const entries = new Set<Entry>();
  let timer: NodeJS.Timeout | undefined;

  async function pollAll(): Promise<void> {
    const users = [...new Set([...entries].map((e) => e.userId))];
    if (users.length === 0) return;
    try {
      const latest = await lastSeqs(pool, users);
      for (const entry of entries) if ((latest.get(entry.userId) ?? 0) > entry.cursor) entry.poke();
    } catch (error) {
      logger.warn({ err: error }, 'could not check open streams for new notifications');
    }
  }

  function watch(entry: Entry): void {
    entries.add(entry);
    timer ??= setInterval(() => void pollAll(), pollMs);
    timer.unref();
  }

  function unwatch(entry: Entry): void {
    entries.delete(entry);
    if (entries.size === 0 && timer) {
      clearInterval(timer);
      timer = undefined;
    }
  }

  return {
    get size() {
      return entries.size;
    },
    stored(userId) {
      for (const entry of entries) if (entry.userId === userId) entry.poke();
    },
    async follow({ userId, after, send, onFailure }) {
      const start = after ?? (await lastSeqs(pool, [userId])).get(userId) ?? 0;
      let stopped = false;
      let reading = false;
      let again = false;
      const entry: Entry = { userId, cursor: start, poke: () => void readOn() };

      async function readOn(): Promise<void> {
        if (stopped) return;
        if (reading) {
          again = true;
          return;
        }
        reading = true;
        try {
          do {
            again = false;
            let batch: NotificationRecord[];
            do {
              batch = await listAfter(pool, userId, entry.cursor, BATCH);
              for (const notification of batch) {
                if (stopped) return;
                await send(notification);
                entry.cursor = notification.seq;
              }
            } while (batch.length === BATCH && !stopped);
          } while (again && !stopped);
        } catch (error) {
          if (!stopped) onFailure(error);
        } finally {
          reading = false;
        }
      }

      watch(entry);
      return {
        from: start,
        poke: entry.poke,
        stop() {
          stopped = true;
          unwatch(entry);
        },
      };
    },
  };
}
