// What Forge asks Mint to hold for a job, decided from the job's own row before any call, so that
// a retry or the reconciler repeats exactly the same request (Mint compares them by reference).
import type { EscrowHoldRequest } from '@azora/contracts';
import type { JobRecord } from './records';

export function escrowReference(jobId: string): string {
  return `job:${jobId}`;
}

export function holdRequest(job: Pick<JobRecord, 'id' | 'employerId' | 'reward'>): EscrowHoldRequest {
  return {
    reference: escrowReference(job.id),
    userId: job.employerId,
    amount: job.reward,
    memo: `Reward for job ${job.id}`,
  };
}
