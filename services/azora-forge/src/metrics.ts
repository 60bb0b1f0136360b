// Forge's domain counters, registered on the service's registry next to the HTTP metrics.
import type { ApplicationStatus } from '@azora/contracts';
import type { Metrics } from '@azora/service-kit';

export type EscrowOperation = 'hold' | 'release' | 'refund';
export type EscrowCallOutcome = 'done' | 'refused' | 'unknown';

const APPLICATION_STATUSES: readonly ApplicationStatus[] = ['applied', 'shortlisted', 'rejected', 'hired'];

export function forgeMetrics(metrics: Metrics) {
  const applications = metrics.counter(
    'forge_applications_total',
    'Applications made (applied) and status changes, by the status reached',
    ['status'] as const,
  );
  const escrowCalls = metrics.counter(
    'forge_escrow_calls_total',
    "Calls to Mint's escrow, by operation and outcome (unknown: no answer or a server error)",
    ['operation', 'outcome'] as const,
  );
  // Every series exists from the start, so dashboards and rate() see a 0 rather than nothing.
  for (const status of APPLICATION_STATUSES) applications.inc({ status }, 0);
  for (const operation of ['hold', 'release', 'refund'] as const)
    for (const outcome of ['done', 'refused', 'unknown'] as const) escrowCalls.inc({ operation, outcome }, 0);
  return {
    jobsPosted: metrics.counter('forge_jobs_posted_total', 'Jobs put on the board (their reward held in escrow)'),
    jobsClosed: metrics.counter('forge_jobs_closed_total', 'Open jobs withdrawn by their employer (reward refunded)'),
    jobsCompleted: metrics.counter('forge_jobs_completed_total', 'Jobs completed (reward released to the worker)'),
    applications,
    escrowCalls,
    skillsProven: metrics.counter('forge_skill_proofs_total', 'Skills newly proven by completed courses'),
    recommendationDuration: metrics.histogram(
      'forge_recommendation_duration_seconds',
      'Time to rank open jobs for a user (GET /jobs/recommended)',
      [],
      [0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1],
    ),
  };
}
export type ForgeMetrics = ReturnType<typeof forgeMetrics>;
