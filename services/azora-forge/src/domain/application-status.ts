// The life of an application: applied → shortlisted | rejected; shortlisted → hired | rejected.
// Rejected and hired are final. Asking for the status it already has is not a change.
import type { ApplicationStatus } from '@azora/contracts';

const NEXT: Record<ApplicationStatus, readonly ApplicationStatus[]> = {
  applied: ['shortlisted', 'rejected'],
  shortlisted: ['hired', 'rejected'],
  rejected: [],
  hired: [],
};

export function canBecome(from: ApplicationStatus, to: ApplicationStatus): boolean {
  return NEXT[from].includes(to);
}

/** Statuses that need the job still open: shortlisting and hiring (rejecting never does). */
export function needsOpenJob(to: ApplicationStatus): boolean {
  return to === 'shortlisted' || to === 'hired';
}
