// Mint's escrow API, called with Forge's service credential: POST /escrow/holds, and release or
// refund of a hold by its reference. An answer is sorted into done (2xx, including Mint's
// replays), refused for good (404, 409, 422: the same call would be refused again) or unknown
// (no answer, a 5xx, or anything unexpected), which the caller settles by repeating the call.
import { EscrowHold, type EscrowHoldRequest } from '@azora/contracts';
import type { CoreDeps, HttpClient, ServiceTokenIssuer } from '@azora/service-kit';
import type { EscrowLedger, EscrowOutcome } from '../domain/ports';

export interface MintEscrowOptions {
  baseUrl: string;
  http: HttpClient;
  credentials?: ServiceTokenIssuer | undefined;
  timeoutMs: number;
  logger: CoreDeps['logger'];
}

const REFUSALS = new Set([404, 409, 422]);

function problemOf(text: string): { code: string; detail: string; available?: number } {
  try {
    const body = JSON.parse(text) as Record<string, unknown>;
    return {
      code: typeof body['code'] === 'string' ? body['code'] : 'unknown',
      detail: typeof body['detail'] === 'string' ? body['detail'] : '',
      ...(typeof body['available'] === 'number' ? { available: body['available'] } : {}),
    };
  } catch {
    return { code: 'unknown', detail: '' };
  }
}

export function createMintEscrow({ baseUrl, http, credentials, timeoutMs, logger }: MintEscrowOptions): EscrowLedger {
  const base = baseUrl.replace(/\/+$/, '');

  async function call(path: string, body: unknown): Promise<EscrowOutcome> {
    if (!credentials) return { kind: 'unknown', reason: 'Forge has no service credential to call Mint with' };
    let answer;
    try {
      answer = await http.call(`${base}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${await credentials.token()}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
        timeoutMs,
      });
    } catch (error) {
      return { kind: 'unknown', reason: (error as Error).message };
    }
    if (answer.ok) {
      let hold;
      try {
        hold = EscrowHold.safeParse(JSON.parse(answer.text));
      } catch {
        hold = undefined;
      }
      if (hold?.success) return { kind: 'done', hold: hold.data };
      logger.error({ path, status: answer.status }, 'Mint answered an escrow call with an unexpected body');
      return { kind: 'unknown', reason: 'Mint answered an unexpected escrow hold shape' };
    }
    if (REFUSALS.has(answer.status)) return { kind: 'refused', status: answer.status, ...problemOf(answer.text) };
    // 401/403 mean this deployment's keys are wrong: loud, and retried once fixed.
    const level = answer.status === 401 || answer.status === 403 ? 'error' : 'warn';
    logger[level]({ path, status: answer.status, problem: problemOf(answer.text) }, 'Mint did not do an escrow call');
    return { kind: 'unknown', reason: `Mint answered ${answer.status}` };
  }

  const at = (reference: string) => `/escrow/holds/${encodeURIComponent(reference)}`;
  return {
    hold: (request: EscrowHoldRequest) => call('/escrow/holds', request),
    release: (reference, toUserId) => call(`${at(reference)}/release`, { toUserId }),
    refund: (reference) => call(`${at(reference)}/refund`, {}),
  };
}
