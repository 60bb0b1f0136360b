// forge: jobs with escrowed rewards, the board and recommendations, applications, skill profiles
// and employer verification, under /api/forge.
import type * as C from '@azora/contracts';
import { type Input, type Output } from '../contract-types';
import { withIdempotencyKey } from '../idempotency';
import { path, type RequestOptions, type Transport } from '../transport';

const BASE = '/api/forge';

export interface JobPostOptions extends RequestOptions {
  /**
   * Sent as the Idempotency-Key header: the same key with the same body is one job whose reward is
   * held once, so keep it to retry a post whose outcome you did not see. Generated when not given.
   */
  idempotencyKey?: string | undefined;
}

export function createForgeApi(transport: Transport) {
  return {
    /**
     * POST /jobs (employer) → 201: holds the reward in escrow from the employer's wallet, then opens
     * the job. Rejects with 409 `wallet.insufficient_funds` when the wallet cannot cover it.
     */
    createJob(body: Input<typeof C.CreateJobRequest>, options: JobPostOptions = {}): Promise<Output<typeof C.Job>> {
      return transport.call(withIdempotencyKey({ method: 'POST', path: `${BASE}/jobs`, body }, options), options);
    },

    /** GET /jobs?q=&skill=&cursor=&limit=: open jobs, one page. */
    listJobs(query?: Input<typeof C.JobListQuery>, options?: RequestOptions): Promise<Output<typeof C.JobPage>> {
      return transport.call({ method: 'GET', path: `${BASE}/jobs`, query }, options);
    },

    /** GET /jobs/recommended?cursor=&limit=: open jobs ranked by the caller's proven skills, each explained. */
    recommendedJobs(
      query?: Input<typeof C.RecommendedJobsQuery>,
      options?: RequestOptions,
    ): Promise<Output<typeof C.RecommendedJobPage>> {
      return transport.call({ method: 'GET', path: `${BASE}/jobs/recommended`, query }, options);
    },

    /** GET /me/jobs?status=&cursor=&limit=: the caller's own jobs, every status. */
    myJobs(query?: Input<typeof C.MyJobsQuery>, options?: RequestOptions): Promise<Output<typeof C.JobPage>> {
      return transport.call({ method: 'GET', path: `${BASE}/me/jobs`, query }, options);
    },

    /** GET /jobs/:id: an open job, or one the caller posted or applied to. */
    getJob(jobId: string, options?: RequestOptions): Promise<Output<typeof C.Job>> {
      return transport.call({ method: 'GET', path: BASE + path`/jobs/${jobId}` }, options);
    },

    /** POST /jobs/:id/close (the job's employer): withdraws an open job and refunds its reward. */
    closeJob(jobId: string, options?: RequestOptions): Promise<Output<typeof C.Job>> {
      return transport.call({ method: 'POST', path: BASE + path`/jobs/${jobId}/close` }, options);
    },

    /** POST /jobs/:id/complete (the job's employer, after a hire): releases the escrow to the hired worker. */
    completeJob(jobId: string, options?: RequestOptions): Promise<Output<typeof C.Job>> {
      return transport.call({ method: 'POST', path: BASE + path`/jobs/${jobId}/complete` }, options);
    },

    /** POST /jobs/:id/applications (student) {coverLetter} → 201. */
    apply(
      jobId: string,
      body: Input<typeof C.CreateApplicationRequest>,
      options?: RequestOptions,
    ): Promise<Output<typeof C.Application>> {
      return transport.call({ method: 'POST', path: BASE + path`/jobs/${jobId}/applications`, body }, options);
    },

    /** GET /jobs/:id/applications?status=&cursor=&limit= (the job's employer): applicants with their skill match. */
    jobApplications(
      jobId: string,
      query?: Input<typeof C.JobApplicantsQuery>,
      options?: RequestOptions,
    ): Promise<Output<typeof C.JobApplicantPage>> {
      return transport.call({ method: 'GET', path: BASE + path`/jobs/${jobId}/applications`, query }, options);
    },

    /** GET /me/applications?cursor=&limit=: the caller's applications with their jobs. */
    myApplications(
      query?: Input<typeof C.MyApplicationsQuery>,
      options?: RequestOptions,
    ): Promise<Output<typeof C.MyApplicationPage>> {
      return transport.call({ method: 'GET', path: `${BASE}/me/applications`, query }, options);
    },

    /** GET /applications/:id: for its applicant and the job's employer. */
    getApplication(applicationId: string, options?: RequestOptions): Promise<Output<typeof C.Application>> {
      return transport.call({ method: 'GET', path: BASE + path`/applications/${applicationId}` }, options);
    },

    /** PATCH /applications/:id {status: shortlisted|rejected|hired} (the job's employer). */
    updateApplication(
      applicationId: string,
      body: Input<typeof C.UpdateApplicationRequest>,
      options?: RequestOptions,
    ): Promise<Output<typeof C.Application>> {
      return transport.call({ method: 'PATCH', path: BASE + path`/applications/${applicationId}`, body }, options);
    },

    /** GET /me/skills: the caller's skills and the completed courses that proved them. */
    mySkills(options?: RequestOptions): Promise<Output<typeof C.SkillProfile>> {
      return transport.call({ method: 'GET', path: `${BASE}/me/skills` }, options);
    },

    /** POST /employers/:userId/verification (admin) {verified}: whether the employer's jobs pay the bonus. */
    setEmployerVerification(
      userId: string,
      body: Input<typeof C.SetEmployerVerificationRequest>,
      options?: RequestOptions,
    ): Promise<Output<typeof C.EmployerVerification>> {
      return transport.call({ method: 'POST', path: BASE + path`/employers/${userId}/verification`, body }, options);
    },

    /** GET /employers/:userId/verification (admins and the employer). */
    employerVerification(userId: string, options?: RequestOptions): Promise<Output<typeof C.EmployerVerification>> {
      return transport.call({ method: 'GET', path: BASE + path`/employers/${userId}/verification` }, options);
    },
  };
}

export type ForgeApi = ReturnType<typeof createForgeApi>;
