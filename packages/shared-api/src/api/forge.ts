// forge: jobs, applications and matching, under /api/forge. Typed once its contract lands in
// @azora/contracts (see pending-contracts.ts).
import { type PendingQuery, type PendingRequest, type PendingResponse } from '../pending-contracts';
import { path, type RequestOptions, type Transport } from '../transport';

const BASE = '/api/forge';

export function createForgeApi(transport: Transport) {
  return {
    /** POST /jobs (employer) {title, description, skills[], reward}: escrows the reward. */
    createJob(
      body: PendingRequest<'POST /api/forge/jobs'>,
      options?: RequestOptions,
    ): Promise<PendingResponse<'POST /api/forge/jobs'>> {
      return transport.call({ method: 'POST', path: `${BASE}/jobs`, body }, options);
    },

    /** GET /jobs?skill=: open jobs. */
    listJobs(
      query?: PendingQuery<'GET /api/forge/jobs'>,
      options?: RequestOptions,
    ): Promise<PendingResponse<'GET /api/forge/jobs'>> {
      return transport.call({ method: 'GET', path: `${BASE}/jobs`, query }, options);
    },

    /** GET /jobs/recommended: ranked by the caller's skills. */
    recommendedJobs(
      query?: PendingQuery<'GET /api/forge/jobs/recommended'>,
      options?: RequestOptions,
    ): Promise<PendingResponse<'GET /api/forge/jobs/recommended'>> {
      return transport.call({ method: 'GET', path: `${BASE}/jobs/recommended`, query }, options);
    },

    /** POST /jobs/:id/applications {coverLetter}. */
    apply(
      jobId: string,
      body: PendingRequest<'POST /api/forge/jobs/:id/applications'>,
      options?: RequestOptions,
    ): Promise<PendingResponse<'POST /api/forge/jobs/:id/applications'>> {
      return transport.call({ method: 'POST', path: BASE + path`/jobs/${jobId}/applications`, body }, options);
    },

    /** PATCH /applications/:id {status: shortlisted|rejected|hired} (the job's employer). */
    updateApplication(
      applicationId: string,
      body: PendingRequest<'PATCH /api/forge/applications/:id'>,
      options?: RequestOptions,
    ): Promise<PendingResponse<'PATCH /api/forge/applications/:id'>> {
      return transport.call({ method: 'PATCH', path: BASE + path`/applications/${applicationId}`, body }, options);
    },

    /** POST /jobs/:id/complete: releases the escrow to the hired worker. */
    completeJob(
      jobId: string,
      options?: RequestOptions,
    ): Promise<PendingResponse<'POST /api/forge/jobs/:id/complete'>> {
      return transport.call({ method: 'POST', path: BASE + path`/jobs/${jobId}/complete` }, options);
    },
  };
}

export type ForgeApi = ReturnType<typeof createForgeApi>;
