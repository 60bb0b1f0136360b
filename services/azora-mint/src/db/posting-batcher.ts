// Group commit for user transfers: postings that arrive while earlier ones are being written
// wait, then go to the database together in one post_transfers call. One round trip, one
// commit and one wake-up of the outbox relay per group instead of per transfer; each posting
// still gets its own outcome, and none is answered before its group has committed. At low load
// a posting finds no group in flight and is written at once, alone. A group that fails as a
// whole is split in halves until the posting that fails it stands alone.
import { isDatabaseUnavailable, type Logger, type OutboxSignal, type Pool } from '@azora/service-kit';
import type { PostingRequest, PostingResult } from '../domain/ports';
import { postTransfers } from './ledger';

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

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const NUL = '\u0000';

/** Whether post_transfers' parameters can carry the posting: every uuid parameter a UUID, no
 * text with a NUL character. Request validation makes this true of every request a client can
 * send; a value that breaks it (a token subject that is not a UUID) fails the whole call at bind. */
function bindable(p: PostingRequest): boolean {
  const uuids = [p.id, p.event.id, p.idempotency?.userId];
  const texts = [p.debit, p.credit, p.memo, p.requestId, p.event.subject, p.idempotency?.key];
  return uuids.every((u) => u === undefined || UUID.test(u)) && texts.every((t) => !t?.includes(NUL));
}

/** post_transfers on a connection of its own, handed back for reuse when the call is refused:
 * pool.query closes the connection on any error, and reconnecting (authentication, preparing
 * the statement again) cost far more than the refused call itself. */
async function postOnOwnConnection(
  pool: Pool,
  postings: readonly PostingRequest[],
  outbox: OutboxSignal | undefined,
): Promise<PostingResult[]> {
  const client = await pool.connect();
  let lost: Error | undefined;
  try {
    return await postTransfers(client, postings, outbox);
  } catch (error) {
    if (isDatabaseUnavailable(error)) lost = error as Error;
    throw error;
  } finally {
    client.release(lost);
  }
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

  async function write(group: Waiting[], split = false): Promise<void> {
    try {
      const results = await postOnOwnConnection(
        pool,
        group.map((w) => w.posting),
        outbox,
      );
      group.forEach((w, i) => w.resolve(results[i] as PostingResult));
    } catch (error) {
      if (group.length === 1 || isDatabaseUnavailable(error)) {
        group.forEach((w) => w.reject(error));
        return;
      }
      // One bad posting must not fail the others, nor cost them one call each: the group is
      // written again in halves, in order, and only a half that fails is split further, so a
      // bad posting among n stands alone after about 2·log2(n) calls. Only idempotent postings
      // are grouped, so a half that did commit before an error answers its postings as replays.
      if (!split) logger.warn({ err: error, postings: group.length }, 'group posting failed; writing it in halves');
      const middle = Math.ceil(group.length / 2);
      await write(group.slice(0, middle), true);
      await write(group.slice(middle), true);
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
    // A posting PostgreSQL cannot even take as parameters would fail any group it joined: it
    // goes alone, beside the groups, and its failure is its own.
    if (!bindable(posting))
      return postOnOwnConnection(pool, [posting], outbox).then(([result]) => result as PostingResult);
    return new Promise<PostingResult>((resolve, reject) => {
      queue.push({ posting, resolve, reject });
      drain();
    });
  };
}
