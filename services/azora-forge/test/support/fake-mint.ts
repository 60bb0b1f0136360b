// A stand-in for Mint's escrow routes on a real port of 127.0.0.1, faithful to their contract
// (packages/contracts/src/mint.ts and Mint's README): Forge's service credential only, holds
// idempotent by reference (same request: the hold again, marked as a replay; another request:
// 409 escrow.reference_conflict), release and refund idempotent and exclusive (409
// escrow.already_settled), a hold visible only to the service that made it, 409
// wallet.insufficient_funds with `available` and `required`, 404 wallet.not_found. Wallets are
// plain balances. Tests can make Mint fail in the two ways that matter to Forge: down (nothing
// done, 503), or done but the answer lost (the call took effect, then the connection dropped).
import express, { type Request, type Response } from 'express';
import {
  EscrowHoldRequest,
  EscrowReleaseRequest,
  IDEMPOTENT_REPLAY_HEADER,
  type EscrowHold,
  type ProblemCode,
} from '@azora/contracts';
import type { ServiceTokenVerifier } from '@azora/service-kit';
import { serveOnFreePort } from '@azora/testing';

export type EscrowOperation = 'hold' | 'release' | 'refund';
export type Fault = 'down' | 'lost_answer';

export interface FakeMint {
  readonly url: string;
  /** Every escrow call that reached it, in order. */
  readonly calls: { operation: EscrowOperation; reference: string }[];
  fund(userId: string, amount: number): void;
  balance(userId: string): number;
  hold(reference: string): (EscrowHold & { createdBy: string }) | undefined;
  /** The next `times` calls of `operation` fail as `fault`. */
  failNext(operation: EscrowOperation, fault: Fault, times?: number): void;
  close(): Promise<void>;
}

const ALLOWED = ['azora-forge'];

interface Answer {
  status: number;
  hold?: EscrowHold;
  replayed?: boolean;
  problem?: Record<string, unknown>;
}

export async function startFakeMint(verifier: ServiceTokenVerifier): Promise<FakeMint> {
  const wallets = new Map<string, number>();
  const holds = new Map<string, EscrowHold & { createdBy: string; memo: string | null }>();
  const faults: { operation: EscrowOperation; fault: Fault }[] = [];
  const calls: FakeMint['calls'] = [];

  const problem = (status: number, code: ProblemCode, detail: string, extras = {}): Answer => ({
    status,
    problem: { type: `https://azora.dev/problems/${code}`, title: code, status, code, detail, ...extras },
  });
  const send = (res: Response, answer: Answer) => {
    if (answer.problem)
      return res.status(answer.status).type('application/problem+json').send(JSON.stringify(answer.problem));
    if (answer.replayed) res.setHeader(IDEMPOTENT_REPLAY_HEADER, 'true');
    return res.status(answer.status).json(answer.hold);
  };
  const view = ({ createdBy: _c, memo: _m, ...hold }: EscrowHold & { createdBy: string; memo: string | null }) => hold;

  /** Runs the operation unless a fault says otherwise; a lost answer runs it and drops the connection. */
  function handle(operation: EscrowOperation, run: (req: Request, caller: string) => Answer) {
    return async (req: Request, res: Response) => {
      const token = req.get('authorization')?.replace(/^Bearer /, '') ?? '';
      let caller: string;
      try {
        caller = (await verifier.verify(token)).service;
      } catch {
        return send(res, problem(401, 'auth.invalid_service_credential', 'no valid service credential'));
      }
      if (!ALLOWED.includes(caller)) return send(res, problem(403, 'auth.service_not_allowed', `${caller} may not`));
      calls.push({ operation, reference: String(req.params['reference'] ?? req.body?.reference) });
      const index = faults.findIndex((f) => f.operation === operation);
      const fault = index >= 0 ? faults.splice(index, 1)[0]?.fault : undefined;
      if (fault === 'down') return send(res, problem(503, 'service.not_ready', 'Mint is down'));
      const answer = run(req, caller);
      if (fault === 'lost_answer') {
        req.socket.destroy();
        return;
      }
      return send(res, answer);
    };
  }

  const app = express();
  app.use(express.json());
  app.post(
    '/escrow/holds',
    handle('hold', (req, caller) => {
      const body = EscrowHoldRequest.parse(req.body);
      const existing = holds.get(body.reference);
      if (existing) {
        const same =
          existing.createdBy === caller &&
          existing.ownerId === body.userId &&
          existing.amount === body.amount &&
          existing.memo === (body.memo ?? null);
        if (!same) return problem(409, 'escrow.reference_conflict', 'another hold has this reference');
        return { status: 201, hold: view(existing), replayed: true };
      }
      if (!wallets.has(body.userId)) return problem(404, 'wallet.not_found', 'This user has no wallet yet');
      const available = wallets.get(body.userId) ?? 0;
      if (available < body.amount)
        return problem(409, 'wallet.insufficient_funds', `The wallet holds ${available} AZR`, {
          available,
          required: body.amount,
        });
      wallets.set(body.userId, available - body.amount);
      const hold = {
        reference: body.reference,
        ownerId: body.userId,
        amount: body.amount,
        status: 'held' as const,
        releasedTo: null,
        heldAt: new Date().toISOString(),
        settledAt: null,
        createdBy: caller,
        memo: body.memo ?? null,
      };
      holds.set(body.reference, hold);
      return { status: 201, hold: view(hold) };
    }),
  );

  function settle(to: 'released' | 'refunded') {
    return (req: Request, caller: string): Answer => {
      const reference = String(req.params['reference']);
      const hold = holds.get(reference);
      if (!hold || hold.createdBy !== caller) return problem(404, 'escrow.not_found', `No hold ${reference}`);
      const worker = to === 'released' ? EscrowReleaseRequest.parse(req.body).toUserId : hold.ownerId;
      if (hold.status === to && (to === 'refunded' || hold.releasedTo === worker)) {
        return { status: 200, hold: view(hold), replayed: true };
      }
      if (hold.status !== 'held') return problem(409, 'escrow.already_settled', `already ${hold.status}`);
      wallets.set(worker, (wallets.get(worker) ?? 0) + hold.amount);
      Object.assign(hold, {
        status: to,
        releasedTo: to === 'released' ? worker : null,
        settledAt: new Date().toISOString(),
      });
      return { status: 200, hold: view(hold) };
    };
  }
  app.post('/escrow/holds/:reference/release', handle('release', settle('released')));
  app.post('/escrow/holds/:reference/refund', handle('refund', settle('refunded')));

  const { url, close } = await serveOnFreePort(app);
  return {
    url,
    calls,
    fund: (userId, amount) => wallets.set(userId, (wallets.get(userId) ?? 0) + amount),
    balance: (userId) => wallets.get(userId) ?? 0,
    hold: (reference) => {
      const found = holds.get(reference);
      return found ? { ...view(found), createdBy: found.createdBy } : undefined;
    },
    failNext: (operation, fault, times = 1) => {
      for (let i = 0; i < times; i++) faults.push({ operation, fault });
    },
    close,
  };
}
