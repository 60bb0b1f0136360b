// Dead letters: listing them (a subscriber its own, the operator anyone's), and retrying one by
// hand: the one event is delivered again now, signed like any delivery. Accepted, the dead
// letter is marked delivered; refused, it stays dead with one more attempt counted, and the
// caller learns why.
import type { DeadLetter, DeadLetterListQuery, DeadLetterPage } from '@azora/contracts';
import { listedSubscriber, mayActFor } from '../domain/access';
import { decodeDeadLetterCursor, encodeDeadLetterCursor } from '../domain/cursors';
import {
  alreadyDelivered,
  deadLetterNotFound,
  notOwnDeadLetter,
  othersDeadLetters,
  refusedAgain,
  retryInProgress,
} from '../domain/errors';
import type { SendResult } from '../domain/ports';
import { toDeadLetter } from '../domain/views';
import type { Caller, NexusContext } from './context';

export async function listDeadLetters(
  ctx: Pick<NexusContext, 'deadLetters'>,
  caller: Caller,
  { subscriber: asked, status, cursor, limit }: DeadLetterListQuery,
): Promise<DeadLetterPage> {
  const subscriber = listedSubscriber(caller.service, asked);
  if (subscriber === null) throw othersDeadLetters(caller.service, asked ?? '');
  const after = decodeDeadLetterCursor(cursor);
  const page = await ctx.deadLetters.list({ subscriber, status, after, limit });
  return {
    items: page.items.map(toDeadLetter),
    nextCursor: page.next === null ? null : encodeDeadLetterCursor(page.next),
  };
}

export async function retryDeadLetter(
  ctx: Pick<NexusContext, 'deadLetters' | 'clock' | 'metrics' | 'send'>,
  caller: Caller,
  id: string,
): Promise<DeadLetter> {
  const claim = await ctx.deadLetters.claim(id);
  if (claim === 'missing') throw deadLetterNotFound(id);
  if (claim === 'busy') throw retryInProgress(id);
  const { deadLetter, subscription } = claim;
  if (!mayActFor(caller.service, subscription.subscriber)) {
    await claim.release();
    throw notOwnDeadLetter(caller.service, id, subscription.subscriber);
  }
  if (deadLetter.status === 'delivered') {
    await claim.release();
    throw alreadyDelivered(id);
  }
  let result: SendResult;
  try {
    result = await ctx.send({
      endpoint: subscription.endpoint,
      secret: subscription.secret,
      body: { subscriptionId: subscription.id, events: [deadLetter.event] },
    });
  } catch (error) {
    await claim.release();
    throw error;
  }
  if (result.ok) {
    const delivered = await claim.markDelivered(ctx.clock.now());
    ctx.metrics.delivered.inc({ type: deadLetter.event.type, subscriber: subscription.subscriber });
    return toDeadLetter(delivered);
  }
  ctx.metrics.failures.inc({ subscriber: subscription.subscriber });
  const failed = await claim.markFailed(result.error, ctx.clock.now());
  throw refusedAgain(subscription.subscriber, result.error, toDeadLetter(failed));
}
