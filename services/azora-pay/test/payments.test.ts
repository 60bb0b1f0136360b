// Reading payments: a buyer sees their own, an admin any; anyone else is told it does not exist.
import request from 'supertest';
import { checkoutTokens, paidCourse } from './support/flows';
import { startPay, type Harness } from './support/harness';

describe('reading payments', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startPay();
  });
  afterAll(() => h.close());

  it("When a user reads another user's payment, then 404; the buyer and an admin see it", async () => {
    const [buyer, other, admin] = [await h.user(), await h.user(), await h.user('admin')];
    const { paymentId } = await paidCourse(h, buyer);

    const byOther = await request(h.app).get(`/payments/${paymentId}`).set(other.auth);
    const byBuyer = await request(h.app).get(`/payments/${paymentId}`).set(buyer.auth);
    const byAdmin = await request(h.app).get(`/payments/${paymentId}`).set(admin.auth);

    expect([byOther.status, byOther.body.code]).toEqual([404, 'payment.not_found']);
    expect(byBuyer.status).toBe(200);
    expect(byBuyer.body).toMatchObject({ id: paymentId, userId: buyer.id, status: 'succeeded' });
    expect(byBuyer.body).not.toHaveProperty('clientSecret');
    expect(byAdmin.body).toEqual(byBuyer.body);
  });

  it('When a user lists their payments, then only theirs come, newest first, in pages that neither repeat nor skip', async () => {
    const [buyer, other] = [await h.user(), await h.user()];
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      h.clock.advance(1_000);
      ids.push((await checkoutTokens(h, buyer, 10 + i)).paymentId);
    }
    await checkoutTokens(h, other, 10);

    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await request(h.app)
        .get('/payments')
        .query({ limit: 2, ...(cursor ? { cursor } : {}) })
        .set(buyer.auth);
      expect(page.status).toBe(200);
      seen.push(...page.body.items.map((p: { id: string }) => p.id));
      cursor = page.body.nextCursor ?? undefined;
    } while (cursor);

    expect(seen).toEqual([...ids].reverse());
  });

  it('When the list is filtered by status, then only payments in it come', async () => {
    const buyer = await h.user();
    const { paymentId: paid } = await paidCourse(h, buyer);
    await checkoutTokens(h, buyer, 10);

    const res = await request(h.app).get('/payments').query({ status: 'succeeded' }).set(buyer.auth);

    expect(res.body.items.map((p: { id: string }) => p.id)).toEqual([paid]);
  });

  it.each([
    ['cursor=nonsense', 'query.cursor'],
    ['limit=0', 'query.limit'],
    ['status=paid', 'query.status'],
    ['limit[]=1', 'query.limit'],
  ])('When the query is %s, then 400 names %s', async (query, field) => {
    const res = await request(h.app)
      .get(`/payments?${query}`)
      .set((await h.user()).auth);

    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body.issues)).toContain(field);
  });

  it('When a payment id is not a UUID or carries a NUL, then 400; without a token, 401', async () => {
    const user = await h.user();

    const bad = await request(h.app).get('/payments/not-a-uuid').set(user.auth);
    const nul = await request(h.app).get('/payments/%00').set(user.auth);
    const anonymous = await request(h.app).get('/payments');

    expect([bad.status, nul.status, anonymous.status]).toEqual([400, 400, 401]);
  });
});
