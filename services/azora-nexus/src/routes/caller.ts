// The verified calling service of a request, as the use cases take it.
import type { Request } from 'express';
import { DomainError } from '@azora/service-kit';
import type { Caller } from '../use-cases/context';

/** Only valid on endpoints whose access names services: the kit has verified the credential. */
export function callerOf(req: Request): Caller {
  const service = req.caller?.service;
  if (!service) throw new DomainError('auth.service_credential_required', 'No verified service credential');
  return { service, requestId: req.id };
}
