// Checkout: price the purchase (a course's price from Education, tokens from configuration),
// record the payment, then create the provider's intent with an idempotency key derived from the
// payment id, and record the intent on the payment. The payment row is committed before the
// provider hears of it, so every webhook finds it; a retry (same course, same Idempotency-Key)
// answers the same payment and never creates a second intent.
import { randomUUID } from 'node:crypto';
import type { CheckoutRequest as CheckoutBody } from '@azora/contracts';
import { invalidRequest, withTransaction } from '@azora/service-kit';
import {
  findByIdempotencyKey,
  findOpenCoursePayment,
  findPaidCoursePayment,
  findPayment,
  insertPayment,
} from '../db/payments';
import { checkoutKeyReused, courseAlreadyOwned, courseIsFree, courseNotFound, providerProblem } from '../domain/errors';
import { ProviderFailure } from '../domain/ports';
import { tokenAmountIssue, tokenPrice } from '../domain/pricing';
import type { PaymentRecord } from '../domain/records';
import type { Caller, PayContext } from './context';
import { applyIntent, applyUnmatchedEvents } from './settle';

export interface CheckoutResult {
  payment: PaymentRecord;
  clientSecret: string;
  /** False when an open checkout (or an earlier request with the same key) was answered. */
  created: boolean;
}

type Purchase = { purpose: 'course'; courseId: string } | { purpose: 'tokens'; amount: number };

interface Priced {
  courseId: string | null;
  tokens: number | null;
  amount: number;
  currency: string;
}

function samePurchase(payment: PaymentRecord, body: Purchase): boolean {
  return body.purpose === 'course'
    ? payment.purpose === 'course' && payment.courseId === body.courseId
    : payment.purpose === 'tokens' && payment.tokens === body.amount;
}

async function priceOf(ctx: PayContext, body: Purchase): Promise<Priced> {
  if (body.purpose === 'tokens') {
    const issue = tokenAmountIssue(body.amount, ctx.tokens);
    if (issue) throw invalidRequest([issue]);
    return { courseId: null, tokens: body.amount, ...tokenPrice(body.amount, ctx.tokens) };
  }
  const offer = await ctx.courses.offer(body.courseId);
  if (!offer.found || !offer.published) throw courseNotFound(body.courseId);
  if (offer.priceCents === 0) throw courseIsFree(body.courseId);
  return { courseId: body.courseId, tokens: null, amount: offer.priceCents, currency: offer.currency };
}

export async function checkout(
  ctx: PayContext,
  caller: Caller,
  body: CheckoutBody,
  idempotencyKey: string | undefined,
): Promise<CheckoutResult> {
  const userId = caller.user.id;
  if (idempotencyKey) {
    const earlier = await findByIdempotencyKey(ctx.pool, userId, idempotencyKey);
    if (earlier && !samePurchase(earlier, body)) {
      throw checkoutKeyReused();
    }
    if (earlier) return withIntent(ctx, earlier, caller, false);
  }
  if (body.purpose === 'course') {
    const owned = await findPaidCoursePayment(ctx.pool, userId, body.courseId);
    if (owned) throw courseAlreadyOwned(body.courseId, owned.id);
    const open = await findOpenCoursePayment(ctx.pool, userId, body.courseId);
    if (open) return withIntent(ctx, open, caller, false);
  }
  const priced = await priceOf(ctx, body);
  const inserted = await insertPayment(ctx.pool, {
    id: randomUUID(),
    userId,
    purpose: body.purpose,
    ...priced,
    provider: ctx.provider.name,
    idempotencyKey: idempotencyKey ?? null,
    requestId: caller.requestId,
    now: ctx.clock.now(),
  });
  if (!inserted) {
    // A concurrent twin won the unique index: answer its payment.
    const twin =
      (idempotencyKey ? await findByIdempotencyKey(ctx.pool, userId, idempotencyKey) : null) ??
      (body.purpose === 'course' ? await findOpenCoursePayment(ctx.pool, userId, body.courseId) : null);
    if (!twin || !samePurchase(twin, body)) {
      throw checkoutKeyReused();
    }
    return withIntent(ctx, twin, caller, false);
  }
  ctx.metrics.payments.inc({ purpose: inserted.purpose, outcome: 'created' });
  return withIntent(ctx, inserted, caller, true);
}

/** The payment with its provider intent: created (idempotently) when it has none yet. */
async function withIntent(
  ctx: PayContext,
  payment: PaymentRecord,
  caller: Caller,
  created: boolean,
): Promise<CheckoutResult> {
  if (payment.providerPaymentId && payment.clientSecret) {
    return { payment, clientSecret: payment.clientSecret, created };
  }
  let intent;
  try {
    intent = await ctx.provider.createIntent({
      paymentId: payment.id,
      amount: payment.amount,
      currency: payment.currency,
      idempotencyKey: `azora-payment-${payment.id}`,
      metadata: {
        paymentId: payment.id,
        userId: payment.userId,
        purpose: payment.purpose,
        ...(payment.courseId ? { courseId: payment.courseId } : {}),
        ...(payment.tokens ? { tokens: String(payment.tokens) } : {}),
      },
    });
  } catch (error) {
    if (error instanceof ProviderFailure) {
      ctx.logger.warn({ err: error, paymentId: payment.id }, 'could not create the provider intent');
      throw providerProblem(error);
    }
    throw error;
  }
  const linked = await withTransaction(ctx.pool, async (tx) => {
    const locked = (await findPayment(tx, payment.id, { lock: true })) as PaymentRecord;
    const meta = { requestId: caller.requestId };
    return applyUnmatchedEvents(ctx, tx, await applyIntent(ctx, tx, locked, intent, meta), meta);
  });
  return { payment: linked, clientSecret: linked.clientSecret ?? intent.clientSecret ?? '', created };
}
