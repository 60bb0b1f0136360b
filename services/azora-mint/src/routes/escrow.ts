// Escrow for Forge (its service credential only): hold, release, refund, read. Each answers a
// repeated call with the hold as it is, marked as a replay; a hold is visible only to the
// service that made it.
import {
  EscrowHold,
  EscrowHoldRequest,
  EscrowParams,
  EscrowReleaseRequest,
  IDEMPOTENT_REPLAY_HEADER,
} from '@azora/contracts';
import type { Api } from '@azora/service-kit';
import type { Request, Response } from 'express';
import { serviceCredentialRequired } from '../domain/errors';
import type { createEscrow, EscrowResult } from '../use-cases/escrow';

/** Only Forge escrows job rewards; any other service's credential is refused (403). */
const FORGE_ONLY = { services: ['azora-forge'] } as const;

function callerOf(req: Request): string {
  const service = req.caller?.service;
  if (!service) throw serviceCredentialRequired();
  return service;
}

function send(res: Response, status: number, { hold, replayed }: EscrowResult): void {
  if (replayed) res.setHeader(IDEMPOTENT_REPLAY_HEADER, 'true');
  res.status(status).json(hold);
}

export function escrowRoutes(api: Api, { escrow }: { escrow: ReturnType<typeof createEscrow> }): void {
  api.endpoint(
    {
      method: 'post',
      path: '/escrow/holds',
      summary: "Hold an amount from a user's wallet in escrow (idempotent by reference)",
      tags: ['escrow'],
      access: FORGE_ONLY,
      body: EscrowHoldRequest,
      responses: { 201: EscrowHold },
    },
    async ({ body }, req, res) => {
      send(res, 201, await escrow.hold(body, callerOf(req), req.id));
    },
  );

  api.endpoint(
    {
      method: 'get',
      path: '/escrow/holds/:reference',
      summary: 'An escrow hold',
      tags: ['escrow'],
      access: FORGE_ONLY,
      params: EscrowParams,
      responses: { 200: EscrowHold },
    },
    async ({ params }, req, res) => {
      res.json(await escrow.find(params.reference, callerOf(req)));
    },
  );

  api.endpoint(
    {
      method: 'post',
      path: '/escrow/holds/:reference/release',
      summary: 'Pay the held amount to a worker (idempotent)',
      tags: ['escrow'],
      access: FORGE_ONLY,
      params: EscrowParams,
      body: EscrowReleaseRequest,
      responses: { 200: EscrowHold },
    },
    async ({ params, body }, req, res) => {
      send(res, 200, await escrow.release(params.reference, body.toUserId, callerOf(req)));
    },
  );

  api.endpoint(
    {
      method: 'post',
      path: '/escrow/holds/:reference/refund',
      summary: 'Return the held amount to its owner (idempotent)',
      tags: ['escrow'],
      access: FORGE_ONLY,
      params: EscrowParams,
      responses: { 200: EscrowHold },
    },
    async ({ params }, req, res) => {
      send(res, 200, await escrow.refund(params.reference, callerOf(req)));
    },
  );
}
