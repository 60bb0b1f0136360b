// Problems of Forge: jobs and their escrow, applications and their status changes.
import { defineProblems } from './define';

export const FORGE_PROBLEMS = defineProblems({
  'job.not_found': { status: 404, title: 'Job not found' },
  'job.not_owner': { status: 403, title: 'Not your job' },
  'job.not_open': { status: 409, title: 'Job not open' },
  'job.already_filled': { status: 409, title: 'Job already filled' },
  'job.not_filled': { status: 409, title: 'Nobody hired yet' },
  'job.escrow_refused': { status: 409, title: 'Reward could not be held' },
  'application.not_found': { status: 404, title: 'Application not found' },
  'application.duplicate': { status: 409, title: 'Already applied' },
  'application.own_job': { status: 403, title: 'Cannot apply to your own job' },
  'application.invalid_transition': { status: 409, title: 'Illegal status change' },
});
