// Reading the log: a page after a seq (replay), or following it (the stream): what is stored
// after a seq first, then each event as it is appended, woken by the log's signal or by the caller's poll.
import type { ReplayQuery, ReplayResponse, StoredEvent } from '@azora/contracts';
import type { NexusContext } from './context';

const PAGE = 500;

export async function replay(ctx: Pick<NexusContext, 'log'>, query: ReplayQuery): Promise<ReplayResponse> {
  const events = await ctx.log.read(query);
  return { events, next: events[events.length - 1]?.seq ?? null };
}

export interface LogFollower {
  /** The seq following started after. */
  readonly from: number;
  /** Sends whatever is stored after the last event sent: call it once to start, then as a poll. */
  poke(): void;
  /** Stops following: nothing more is sent. */
  stop(): void;
}

export interface FollowOptions {
  /** Start after this seq; the current end of the log when undefined. */
  after: number | undefined;
  types: readonly string[];
  /** Sends one event; resolves once the reader took it (a slow reader slows the follower). */
  send(event: StoredEvent): Promise<void>;
  /** A read failed: following has stopped, and the reader should resume from the last event it got. */
  onFailure(error: unknown): void;
}

/** Follows the log; nothing is sent before the first poke(), so the reader can say hello first. */
export async function followLog(
  ctx: Pick<NexusContext, 'log'>,
  { after, types, send, onFailure }: FollowOptions,
): Promise<LogFollower> {
  const from = after ?? (await ctx.log.head());
  let cursor = from;
  let stopped = false;
  let pumping = false;
  let again = false;

  // One reader at a time; a wake-up during a read makes it read once more.
  const pump = async (): Promise<void> => {
    if (pumping) {
      again = true;
      return;
    }
    pumping = true;
    try {
      do {
        again = false;
        let events: StoredEvent[];
        do {
          events = await ctx.log.read({ after: cursor, types, limit: PAGE });
          for (const event of events) {
            if (stopped) return;
            await send(event);
            cursor = event.seq;
          }
        } while (events.length === PAGE && !stopped);
      } while (again && !stopped);
    } catch (error) {
      stop();
      onFailure(error);
    } finally {
      pumping = false;
    }
  };

  const unsubscribe = ctx.log.appended.subscribe(() => void pump());
  function stop(): void {
    if (stopped) return;
    stopped = true;
    unsubscribe();
  }
  return { from, poke: () => void pump(), stop };
}
