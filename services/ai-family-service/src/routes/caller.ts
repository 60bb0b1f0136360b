// Who is calling: the verified user of the request and its request id (carried into events).
import type { Request } from 'express';
import { currentUser } from '@azora/service-kit';
import type { Caller } from '../use-cases/context';

export function callerOf(req: Request): Caller {
  return { user: currentUser(req), requestId: req.id };
}
