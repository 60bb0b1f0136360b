// POST /subscriptions registers (idempotently) the caller's subscription, GET lists them without
// secrets, DELETE removes one of the caller's own.
import type { RequestHandler, Router } from 'express';
import { z } from 'zod';
import { SubscriptionRequest } from '@azora/contracts';
import { parseInput, type Pool } from '@azora/service-kit';
import { deleteSubscription, findSubscription, listSubscriptions, upsertSubscription } from '../db/subscriptions';
import {
  assertOwnsSubscription,
  assertSubscribesItself,
  newSubscriptionSecret,
  subscriptionNotFound,
  toSubscription,
} from '../domain/subscriptions';
import { callerOf } from './auth';

const IdParams = z.object({ id: z.uuid() });
const ListQuery = z.object({ subscriber: z.string().min(1).max(64).optional() });

export function subscriptionRoutes(router: Router, { pool, auth }: { pool: Pool; auth: RequestHandler }): void {
  router.post('/subscriptions', auth, async (req, res) => {
    const caller = callerOf(req);
    const input = parseInput(SubscriptionRequest, req.body, 'body');
    assertSubscribesItself(caller, input.subscriber);
    const { record, created } = await upsertSubscription(pool, { ...input, secret: newSubscriptionSecret() });
    res.status(created ? 201 : 200).json(toSubscription(record, { withSecret: true }));
  });

  router.get('/subscriptions', auth, async (req, res) => {
    const { subscriber } = parseInput(ListQuery, req.query, 'query');
    const records = await listSubscriptions(pool, { subscriber });
    res.json({ items: records.map((r) => toSubscription(r, { withSecret: false })) });
  });

  router.delete('/subscriptions/:id', auth, async (req, res) => {
    const caller = callerOf(req);
    const { id } = parseInput(IdParams, req.params, 'params');
    const record = await findSubscription(pool, id);
    if (!record) throw subscriptionNotFound(id);
    assertOwnsSubscription(caller, record);
    if (!(await deleteSubscription(pool, id))) throw subscriptionNotFound(id);
    res.status(204).end();
  });
}
