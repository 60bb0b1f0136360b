// Forge's DomainError factories. Each names a code of the catalog (statuses and titles are
// declared once, in packages/contracts/src/problems); the code is what a client branches on.
import type { ApplicationStatus, JobStatus } from '@azora/contracts';
import { DomainError } from '@azora/service-kit/errors';

export { invalidCursor } from '@azora/service-kit/errors';

export const jobNotFound = (id: string) => new DomainError('job.not_found', `No job ${id}`);

export const notJobOwner = (id: string) =>
  new DomainError('job.not_owner', `Only the employer who posted job ${id} (or an admin) may do this`);

export const jobNotOpen = (id: string, status: JobStatus) =>
  new DomainError('job.not_open', `Job ${id} is ${status}: it takes no applications or hires`, {
    extras: { jobStatus: status },
  });

export const jobAlreadyFilled = (id: string) => new DomainError('job.already_filled', `Job ${id} already has its hire`);

export const jobNotFilled = (id: string) =>
  new DomainError('job.not_filled', `Job ${id} has nobody hired: hire an applicant before completing it`);

export const applicationNotFound = (id: string) => new DomainError('application.not_found', `No application ${id}`);

export const alreadyApplied = (jobId: string, applicationId: string) =>
  new DomainError('application.duplicate', `You already applied to job ${jobId}`, { extras: { applicationId } });

export const ownJob = (jobId: string) =>
  new DomainError('application.own_job', `Job ${jobId} is yours: you cannot apply to it`);

export const invalidTransition = (id: string, from: ApplicationStatus, to: ApplicationStatus) =>
  new DomainError('application.invalid_transition', `Application ${id} is ${from}: it cannot become ${to}`, {
    extras: { from, to },
  });

export const verificationHidden = (userId: string) =>
  new DomainError('auth.forbidden', `Only admins and employer ${userId} may read this employer's verification`);

export const idempotencyKeyReused = () =>
  new DomainError(
    'idempotency.key_reused',
    'This Idempotency-Key was already used to post a different job; use a new key for a new job',
  );

/** 409: the employer's wallet cannot cover the reward, so the job was not posted. */
export const insufficientFunds = (available: number, required: number) =>
  new DomainError(
    'wallet.insufficient_funds',
    `Your wallet holds ${available} AZR; posting this job holds its reward of ${required} AZR in escrow`,
    { extras: { available, required } },
  );

/** 409: Mint refused the hold for another reason (its code is `reason`); the job was not posted. */
export const escrowRefused = (reason: string, detail: string) =>
  new DomainError('job.escrow_refused', `The reward could not be held in escrow: ${detail}`, { extras: { reason } });

/** 503: Mint did not confirm in time. The job stays as it is and is finished later. */
export const escrowUnconfirmed = (jobId: string, what: string) =>
  new DomainError(
    'service.dependency_unavailable',
    `Mint did not confirm the ${what} of job ${jobId} yet; it will be finished shortly, or repeat the request`,
    { extras: { dependency: 'azora-mint', jobId }, retryAfterSeconds: 2 },
  );
