// One delivery attempt: send the job's email or push message, then, in one transaction, record
// the attempt, schedule the retry or finish the job, forget push subscriptions that are gone,
// and publish notification.delivered / .failed once the job is finished.
import { withTransaction } from '@azora/service-kit';
import { finishAttempt } from '../db/deliveries';
import { deleteEndpoints, listSubscriptions } from '../db/push-subscriptions';
import { findRecipient } from '../db/recipients';
import type { PushOutcome } from '../domain/ports';
import type { DeliveryRecord, EmailContent, PushContent } from '../domain/records';
import { decide, pushOutcome, type Decision, type SendOutcome } from '../domain/retries';
import type { NotificationContext } from './context';

export type DeliveryAttempt = (job: DeliveryRecord) => Promise<Decision>;

const MAX_DETAIL = 1_000;
const clip = (text: string) => (text.length > MAX_DETAIL ? `${text.slice(0, MAX_DETAIL)}…` : text);

export function createDeliveryAttempt(ctx: NotificationContext, random?: () => number): DeliveryAttempt {
  const log = ctx.logger.child({ component: 'deliveries' });

  async function sendEmail(job: DeliveryRecord): Promise<SendOutcome> {
    const recipient = await findRecipient(ctx.pool, job.userId);
    if (!recipient?.email) return { ok: false, permanent: true, detail: 'no email address is known for this user' };
    if (!ctx.mail) return { ok: false, permanent: false, detail: 'no mail transport is configured' };
    return ctx.mail.send({ to: recipient.email, ...(job.content as EmailContent) });
  }

  async function sendPush(job: DeliveryRecord): Promise<{ outcome: SendOutcome; gone: string[] }> {
    const { push } = ctx;
    if (!push) return { outcome: { ok: false, permanent: true, detail: 'Web Push is not configured' }, gone: [] };
    const targets = await listSubscriptions(ctx.pool, job.userId);
    if (targets.length === 0)
      return { outcome: { ok: false, permanent: true, detail: 'no push subscription left' }, gone: [] };
    const results: PushOutcome[] = await Promise.all(targets.map((t) => push.send(t, job.content as PushContent)));
    const gone = targets.filter((_t, i) => results[i]?.gone).map((t) => t.endpoint);
    return { outcome: pushOutcome(results), gone };
  }

  return async (job) => {
    const startedAt = ctx.clock.now();
    const attempt = job.attempts;
    const ofBudget = attempt - job.budgetFrom + 1;
    let outcome: SendOutcome;
    let gone: string[] = [];
    if (ofBudget > ctx.settings.delivery.maxAttempts) {
      outcome = {
        ok: false,
        permanent: true,
        detail: 'the worker sending the last attempt stopped before it finished',
      };
    } else if (job.channel === 'email') {
      outcome = await sendEmail(job);
    } else {
      ({ outcome, gone } = await sendPush(job));
    }
    const finishedAt = ctx.clock.now();
    const decision = decide(outcome, ofBudget, finishedAt, ctx.settings.delivery, random);
    const detail = clip(outcome.detail);
    const owned = await withTransaction(ctx.pool, async (tx) => {
      const mine = await finishAttempt(tx, {
        deliveryId: job.id,
        attempt,
        status: decision.outcome === 'retry' ? 'pending' : decision.outcome,
        nextAttemptAt: decision.outcome === 'retry' ? decision.nextAttemptAt : null,
        error: outcome.ok ? null : detail,
        log: { attempt, outcome: decision.outcome, detail, startedAt, finishedAt },
      });
      await deleteEndpoints(tx, gone);
      if (mine && decision.outcome !== 'retry') {
        await ctx.publish(
          tx,
          decision.outcome === 'delivered' ? 'notification.delivered' : 'notification.failed',
          { notificationId: job.notificationId, channel: job.channel, userId: job.userId },
          { subject: job.userId },
        );
      }
      return mine;
    });
    const fields = { deliveryId: job.id, notificationId: job.notificationId, channel: job.channel, attempt, detail };
    if (!owned) {
      log.warn(fields, 'another worker took this delivery over after its lease ran out; its result is kept');
      return decision;
    }
    ctx.metrics.attempted(job.channel, decision.outcome);
    if (decision.outcome !== 'retry') ctx.metrics.deliveryFinished(job.channel, decision.outcome);
    if (gone.length > 0)
      log.info({ ...fields, removed: gone.length }, 'push subscriptions the push service no longer knows were removed');
    if (decision.outcome === 'delivered') log.info(fields, 'delivered');
    else if (decision.outcome === 'retry')
      log.warn(
        { ...fields, nextAttemptAt: decision.nextAttemptAt.toISOString() },
        'delivery failed; it will be retried',
      );
    else log.error(fields, 'delivery failed; given up');
    return decision;
  };
}
