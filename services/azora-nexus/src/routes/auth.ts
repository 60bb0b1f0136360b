// Who may call Nexus: Azora services with a valid service credential, nobody else. A Nexus
// started without service keys refuses every call rather than trusting anyone.
import type { Request, RequestHandler } from 'express';
import { DomainError, requireServiceCredential, type ServiceTokenVerifier } from '@azora/service-kit';

export function serviceCredential(verifier: ServiceTokenVerifier | undefined): RequestHandler {
  if (verifier) return requireServiceCredential(verifier);
  return (_req, _res, next) => {
    next(
      new DomainError(
        'auth.service_credential_required',
        'This Nexus has no service keys configured, so it cannot verify any caller',
        { headers: { 'www-authenticate': 'Bearer' } },
      ),
    );
  };
}

/** The verified calling service; only valid behind serviceCredential. */
export function callerOf(req: Request): string {
  const service = req.caller?.service;
  if (!service) throw new DomainError('auth.service_credential_required', 'No verified service credential');
  return service;
}
