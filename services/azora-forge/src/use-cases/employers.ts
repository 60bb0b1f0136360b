// Employer verification: admins decide whether an employer's completed jobs pay Mint's
// learn-to-earn bonus. The completion event carries the decision in force when the job completes.
import type { EmployerVerification } from '@azora/contracts';
import { withTransaction, type AuthenticatedUser } from '@azora/service-kit';
import { findVerification, saveVerification } from '../db/employers';
import { verificationHidden } from '../domain/errors';
import { toVerification } from '../domain/views';
import type { Caller, ForgeContext } from './context';

export async function setVerification(
  ctx: ForgeContext,
  caller: Caller,
  userId: string,
  verified: boolean,
): Promise<EmployerVerification> {
  return withTransaction(ctx.pool, async (tx) => {
    await saveVerification(tx, { userId, verified, adminId: caller.user.id, now: ctx.clock.now() });
    ctx.logger.info({ userId, verified, adminId: caller.user.id }, 'employer verification decided');
    return toVerification(userId, await findVerification(tx, userId));
  });
}

/** An employer's verification, for admins and the employer; nobody else learns it. */
export async function readVerification(
  ctx: ForgeContext,
  viewer: AuthenticatedUser,
  userId: string,
): Promise<EmployerVerification> {
  if (viewer.role !== 'admin' && viewer.id !== userId) throw verificationHidden(userId);
  return toVerification(userId, await findVerification(ctx.pool, userId));
}
