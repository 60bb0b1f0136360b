// Pay's metrics in Prometheus text: payments by purpose and outcome, money moved, webhook events
// by type and outcome; and its OpenAPI document lists the public routes.
import request from 'supertest';
import { paidCourse } from './support/flows';
import { startPay, type Harness } from './support/harness';

describe('metrics and documentation', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startPay();
  });
  afterAll(() => h.close());

  const value = (text: string, series: string) => {
    const line = text.split('\n').find((l) => l.startsWith(`${series} `));
    return line ? Number(line.split(' ')[1]) : undefined;
  };

  it('When a course is bought and a webhook is forged, then the counters say so', async () => {
    const buyer = await h.user();
    await paidCourse(h, buyer, 2500);
    await h.deliver({ id: 'evt_x', object: 'event' }, { secret: 'whsec_wrong_secret_for_metrics' });

    const text = (await request(h.app).get('/metrics')).text;

    expect(value(text, 'pay_payments_total{purpose="course",outcome="created",service="azora-pay"}')).toBe(1);
    expect(value(text, 'pay_payments_total{purpose="course",outcome="succeeded",service="azora-pay"}')).toBe(1);
    expect(
      value(
        text,
        'pay_payment_amount_minor_units_total{purpose="course",currency="EUR",outcome="succeeded",service="azora-pay"}',
      ),
    ).toBe(2500);
    expect(value(text, 'pay_webhook_events_total{type="unverified",outcome="bad_signature",service="azora-pay"}')).toBe(
      1,
    );
    expect(text).toMatch(/pay_webhook_events_total\{type="payment_intent.succeeded",outcome="applied"/);
    expect(text).toContain('pay_reconciliation_runs_total');
  });

  it('When /openapi.json is read, then it documents checkout, payments, refunds and the sandbox confirm', async () => {
    const doc = (await request(h.app).get('/openapi.json')).body;

    expect(Object.keys(doc.paths).sort()).toEqual([
      '/checkout',
      '/payments',
      '/payments/{id}',
      '/payments/{id}/confirm',
      '/payments/{id}/refund',
    ]);
    expect(doc.paths['/payments/{id}/refund'].post['x-roles']).toEqual(['admin']);
  });
});
