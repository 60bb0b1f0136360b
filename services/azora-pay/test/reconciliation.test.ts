// Reconciliation: a payment whose webhook was lost is settled by asking the provider, once, and
// a payment whose webhook is probably on its way is left alone.
import request from 'supertest';
import { reconcileOnce } from '../src/use-cases/reconcile';
import { checkoutTokens } from './support/flows';
import { startPay, type Harness } from './support/harness';

const SETTINGS = { minAgeMs: 30_000, maxAgeMs: 72 * 3_600_000, batch: 100 };

describe('reconciliation', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startPay();
  });
  afterAll(() => h.close());

  /** A payment the buyer paid at the provider, whose webhook (and confirmation answer) were lost. */
  async function paidButUnheard() {
    const buyer = await h.user();
    const { paymentId } = await checkoutTokens(h, buyer, 100);
    const intent = (await request(h.app).get(`/payments/${paymentId}`).set(buyer.auth)).body.providerPaymentId;
    await h.ctx.provider.confirm!(intent, 'pm_card_visa');
    h.take(); // the webhooks are lost
    return { buyer, paymentId };
  }
  const statusOf = async (paymentId: string) =>
    (await h.pool.query<{ status: string }>('SELECT status FROM payments WHERE id = $1', [paymentId])).rows[0]?.status;
  const announced = async (paymentId: string) =>
    (await h.outbox('pay.payment.succeeded')).filter((e) => e.data.paymentId === paymentId);

  it('When a paid payment never heard its webhook, then reconciliation settles it and announces it once', async () => {
    const { paymentId } = await paidButUnheard();
    h.clock.advance(31_000);

    const first = await reconcileOnce(h.ctx, SETTINGS);
    h.clock.advance(31_000);
    await reconcileOnce(h.ctx, SETTINGS);

    expect(first.settled).toBeGreaterThanOrEqual(1);
    expect(await statusOf(paymentId)).toBe('succeeded');
    expect(await announced(paymentId)).toHaveLength(1);
  });

  it('When the payment changed moments ago, then reconciliation leaves it to its webhook', async () => {
    const { paymentId } = await paidButUnheard();
    h.clock.advance(1_000);

    await reconcileOnce(h.ctx, SETTINGS);

    expect(await statusOf(paymentId)).toBe('requires_payment_method');
  });

  it('When the provider cannot be reached, then the run reports the failure and a later run settles it', async () => {
    const { paymentId } = await paidButUnheard();
    h.clock.advance(31_000);
    const retrieve = h.ctx.provider.retrieveIntent;
    (h.ctx.provider as { retrieveIntent: typeof retrieve }).retrieveIntent = () => Promise.reject(new Error('down'));
    let failed;
    try {
      failed = await reconcileOnce(h.ctx, SETTINGS);
    } finally {
      (h.ctx.provider as { retrieveIntent: typeof retrieve }).retrieveIntent = retrieve;
    }
    h.clock.advance(31_000);
    await reconcileOnce(h.ctx, SETTINGS);

    expect(failed.failed).toBeGreaterThanOrEqual(1);
    expect(await statusOf(paymentId)).toBe('succeeded');
  });

  it('When a buyer abandoned a checkout long ago, then reconciliation stops asking about it', async () => {
    const buyer = await h.user();
    const { paymentId } = await checkoutTokens(h, buyer, 100);
    h.clock.advance(73 * 3_600_000);

    await reconcileOnce(h.ctx, SETTINGS);

    const { rows } = await h.pool.query('SELECT reconciled_at FROM payments WHERE id = $1', [paymentId]);
    expect(rows[0].reconciled_at).toBeNull();
  });
});
