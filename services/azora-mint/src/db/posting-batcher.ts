// Group commit for user transfers: postings that arrive while earlier ones are being written
// wait, then go to the database together in one post_transfers call. One round trip, one
// commit and one wake-up of the outbox relay per group instead of per transfer; each posting still gets its
// own outcome, and none is answered before its group has committed. At low load a posting
// finds no group in flight and is written at once, alone.
import type { Logger, OutboxSignal, Pool } from '@azora/service-kit';
import type { PostingRequest, PostingResult } from '../domain/ports';
import { postTransfer, postTransfers } from './ledger';

export interface PostingBatcherOptions {
  pool: Pool;
  logger: Logger;
  /** Woken after each group commits, so the outbox relay sends the group's events at once. */
  outbox?: OutboxSignal;
  /** Largest group sent in one call. */
  maxBatch?: number;
  /** Groups in flight at once (each holds one connection). One keeps groups large: fewer
   * commits, and fewer wake-ups of the outbox relay. */
  lanes?: number;
  /** Told the size of every group written. */
  onGroup?: (size: number) => void;
}

interface Waiting {
  posting: PostingRequest;
  resolve: (result: PostingResult) => void;
  reject: (error: unknown) => void;
}

/** Takes up to `max` postings off the queue, leaving any whose key is already in the group
 * (a retried request racing itself) for a later group: one group never carries a key twice. */
function takeGroup(queue: Waiting[], max: number): Waiting[] {
  const group: Waiting[] = [];
  const keys = new Set<string>();
  for (let i = 0; i < queue.length && group.length < max;) {
    const waiting = queue[i] as Waiting;
    const key = `${waiting.posting.idempotency?.userId} ${waiting.posting.idempotency?.key}`;
    if (keys.has(key)) {
      i += 1;
      continue;
    }
    keys.add(key);
    group.push(waiting);
    queue.splice(i, 1);
  }
  return group;
}

export function createPostingBatcher({
  pool,
  logger,
  outbox,
  maxBatch = 128,
  lanes = 1,
  onGroup,
}: PostingBatcherOptions): (posting: PostingRequest) => Promise<PostingResult> {
  const queue: Waiting[] = [];
  let inFlight = 0;

  async function write(group: Waiting[]): Promise<void> {
    if (group.length === 1) {
      const [only] = group as [Waiting];
      await postTransfer(pool, only.posting, outbox).then(only.resolve, only.reject);
      return;
    }
    try {
      const results = await postTransfers(
        pool,
        group.map((w) => w.posting),
        outbox,
      );
      group.forEach((w, i) => w.resolve(results[i] as PostingResult));
    } catch (error) {
      // One bad posting (or a lost connection) must not fail the others: each is written again
      // on its own. Only idempotent postings are grouped, so a group that did commit before the
      // error answers them as replays.
      logger.warn({ err: error, postings: group.length }, 'group posting failed; posting each alone');
      await Promise.all(group.map((w) => postTransfer(pool, w.posting, outbox).then(w.resolve, w.reject)));
    }
  }

  function drain(): void {
    while (inFlight < lanes && queue.length > 0) {
      const group = takeGroup(queue, maxBatch);
      onGroup?.(group.length);
      inFlight += 1;
      void write(group).finally(() => {
        inFlight -= 1;
        drain();
      });
    }
  }

  return (posting) => {
    // Grouped postings must be safe to write again alone (see write): they carry a key, and no
    // reference (a group may not carry one twice).
    if (!posting.idempotency || posting.reference)
      return Promise.reject(new Error('only keyed postings without a reference may be grouped'));
    return new Promise<PostingResult>((resolve, reject) => {
      queue.push({ posting, resolve, reject });
      drain();
    });
  };
}
