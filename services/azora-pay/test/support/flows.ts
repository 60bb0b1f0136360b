// The steps of a purchase as a buyer takes them through Pay's HTTP API.
import request from 'supertest';
import type { Harness, TestUser } from './harness';

export async function checkoutCourse(h: Harness, buyer: TestUser, courseId: string) {
  const res = await request(h.app).post('/checkout').set(buyer.auth).send({ purpose: 'course', courseId });
  if (res.status !== 201 && res.status !== 200) throw new Error(`checkout answered ${res.status}: ${res.text}`);
  return res.body as { paymentId: string; clientSecret: string; status: string; amount: number; currency: string };
}

export async function checkoutTokens(h: Harness, buyer: TestUser, amount: number) {
  const res = await request(h.app).post('/checkout').set(buyer.auth).send({ purpose: 'tokens', amount });
  if (res.status !== 201) throw new Error(`checkout answered ${res.status}: ${res.text}`);
  return res.body as { paymentId: string; clientSecret: string; status: string; amount: number; currency: string };
}

export function confirm(h: Harness, buyer: TestUser, paymentId: string, paymentMethod = 'pm_card_visa') {
  return request(h.app).post(`/payments/${paymentId}/confirm`).set(buyer.auth).send({ paymentMethod });
}

/** A course bought and paid: checkout, confirmed with pm_card_visa, its webhooks delivered. */
export async function paidCourse(h: Harness, buyer: TestUser, price = 2500) {
  const courseId = h.courses.add({ priceCents: price });
  const { paymentId } = await checkoutCourse(h, buyer, courseId);
  const confirmed = await confirm(h, buyer, paymentId);
  if (confirmed.body.status !== 'succeeded') throw new Error(`confirm answered ${confirmed.text}`);
  await h.deliverAll();
  return { courseId, paymentId };
}

export function refund(
  h: Harness,
  admin: TestUser,
  paymentId: string,
  body: object = {},
  key = `key-${Math.random()}`,
) {
  return request(h.app).post(`/payments/${paymentId}/refund`).set(admin.auth).set('idempotency-key', key).send(body);
}
