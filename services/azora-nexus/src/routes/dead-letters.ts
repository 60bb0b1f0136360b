// GET /dead-letters lists the events delivery gave up on; POST /dead-letters/:id/retry
// delivers one of them again now (200 when accepted, 502 problem+json when refused again).
import type { RequestHandler, Router } from 'express';
import { z } from 'zod';
import { decodeCursor, encodeCursor } from '@azora/contracts';
import { DomainError, parseInput, type Pool } from '@azora/service-kit';
import { listDeadLetters } from '../db/dead-letters';
import { toDeadLetter, type createDeadLetterRetry } from '../domain/dead-letters';

const ListQuery = z.object({
  subscriber: z.string().min(1).max(64).optional(),
  status: z.enum(['dead', 'retrying', 'delivered']).optional(),
  cursor: z.string().min(1).max(512).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});
const IdParams = z.object({ id: z.uuid() });

function afterCursor(cursor: string | undefined): number | undefined {
  if (cursor === undefined) return undefined;
  const position = decodeCursor(cursor);
  const ordinal = position?.[0];
  if (position?.length !== 1 || typeof ordinal !== 'number' || !Number.isSafeInteger(ordinal) || ordinal < 0) {
    throw new DomainError('request.invalid_cursor', 'query.cursor: not a cursor this list gave out');
  }
  return ordinal;
}

export function deadLetterRoutes(
  router: Router,
  { pool, auth, retry }: { pool: Pool; auth: RequestHandler; retry: ReturnType<typeof createDeadLetterRetry> },
): void {
  router.get('/dead-letters', auth, async (req, res) => {
    const { subscriber, status, cursor, limit } = parseInput(ListQuery, req.query, 'query');
    const page = await listDeadLetters(pool, { subscriber, status, after: afterCursor(cursor), limit });
    res.json({
      items: page.items.map(toDeadLetter),
      nextCursor: page.next === null ? null : encodeCursor([page.next]),
    });
  });

  router.post('/dead-letters/:id/retry', auth, async (req, res) => {
    const { id } = parseInput(IdParams, req.params, 'params');
    res.json(toDeadLetter(await retry(id)));
  });
}
