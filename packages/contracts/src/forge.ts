// Forge's HTTP contract, as clients see it under /api/forge: jobs with escrowed AZR rewards, the
// job board and its recommendations, applications and their status, skill profiles proven by
// completed courses, and the admins' verification of employers.
import { z } from 'zod';
import { CourseSkill } from './education';
import { AZR, AzrAmount } from './mint';
import { PageQuery, pageOf } from './pagination';

const Uuid = z.uuid();
const Timestamp = z.iso.datetime({ offset: true });

/** An empty query parameter (`?q=`) means "not given", not "invalid". */
const blankAsAbsent = (value: unknown) => (value === '' ? undefined : value);

/** The most skills one job may ask for. */
export const MAX_JOB_SKILLS = 20;

/** Compared with the skills of courses: trimmed and lower-cased, as Education stores them. */
export const JobSkill = CourseSkill;
const JobSkills = z
  .array(JobSkill)
  .min(1, 'name at least one skill')
  .max(MAX_JOB_SKILLS, `at most ${MAX_JOB_SKILLS} skills`)
  .transform((skills) => [...new Set(skills)]);

export const CreateJobRequest = z.object({
  title: z.string().trim().min(1).max(200),
  description: z.string().trim().min(1).max(20_000),
  skills: JobSkills,
  /** AZR held in escrow from the employer's wallet when the job is posted, paid to the hired worker. */
  reward: AzrAmount,
});
export type CreateJobRequest = z.input<typeof CreateJobRequest>;

/**
 * `pending`: the reward's escrow is not confirmed yet (only its employer sees it); `open`: on the
 * board, taking applications; `filled`: someone was hired; `completing` / `closing`: the escrow is
 * being paid out / refunded; `completed`: the worker was paid; `closed`: withdrawn and refunded.
 */
export const JobStatus = z.enum(['pending', 'open', 'filled', 'completing', 'completed', 'closing', 'closed']);
export type JobStatus = z.infer<typeof JobStatus>;

export const Job = z.object({
  id: Uuid,
  employerId: Uuid,
  title: z.string(),
  description: z.string(),
  skills: z.array(z.string()),
  reward: AzrAmount,
  currency: z.literal(AZR),
  status: JobStatus,
  /** The worker hired for it, once someone is. */
  hiredUserId: Uuid.nullable(),
  createdAt: Timestamp,
  /** When it went on the board (its escrow confirmed). */
  postedAt: Timestamp.nullable(),
  filledAt: Timestamp.nullable(),
  completedAt: Timestamp.nullable(),
  closedAt: Timestamp.nullable(),
});
export type Job = z.infer<typeof Job>;

export const JobParams = z.object({ id: Uuid });
export type JobParams = z.infer<typeof JobParams>;

/** Open jobs, newest first; with `q`, full-text matches ranked by relevance (title above description). */
export const JobListQuery = PageQuery.extend({
  q: z.preprocess(blankAsAbsent, z.string().trim().min(1).max(200).optional()),
  skill: z.preprocess(blankAsAbsent, JobSkill.optional()),
});
export type JobListQuery = z.input<typeof JobListQuery>;

export const JobPage = pageOf(Job);
export type JobPage = z.infer<typeof JobPage>;

/** The employer's own jobs, every status, newest first. */
export const MyJobsQuery = PageQuery.extend({ status: z.preprocess(blankAsAbsent, JobStatus.optional()) });
export type MyJobsQuery = z.input<typeof MyJobsQuery>;

/** How well someone's proven skills cover a job's: `score` = matched / the job's skills. */
export const SkillMatch = z.object({
  score: z.number().min(0).max(1),
  matched: z.array(z.string()),
  missing: z.array(z.string()),
});
export type SkillMatch = z.infer<typeof SkillMatch>;

export const RecommendedJob = z.object({ job: Job, match: SkillMatch });
export type RecommendedJob = z.infer<typeof RecommendedJob>;

export const RecommendedJobsQuery = PageQuery;
export type RecommendedJobsQuery = z.input<typeof RecommendedJobsQuery>;
export const RecommendedJobPage = pageOf(RecommendedJob);
export type RecommendedJobPage = z.infer<typeof RecommendedJobPage>;

export const ApplicationStatus = z.enum(['applied', 'shortlisted', 'rejected', 'hired']);
export type ApplicationStatus = z.infer<typeof ApplicationStatus>;

export const CreateApplicationRequest = z.object({ coverLetter: z.string().trim().min(1).max(5_000) });
export type CreateApplicationRequest = z.input<typeof CreateApplicationRequest>;

export const Application = z.object({
  id: Uuid,
  jobId: Uuid,
  userId: Uuid,
  coverLetter: z.string(),
  status: ApplicationStatus,
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type Application = z.infer<typeof Application>;

export const ApplicationParams = z.object({ id: Uuid });
export type ApplicationParams = z.infer<typeof ApplicationParams>;

/** applied → shortlisted | rejected; shortlisted → hired | rejected (one hire per job). */
export const UpdateApplicationRequest = z.object({ status: z.enum(['shortlisted', 'rejected', 'hired']) });
export type UpdateApplicationRequest = z.input<typeof UpdateApplicationRequest>;

/** An application as the job's employer sees it: with the applicant's skill match. */
export const JobApplicant = Application.extend({ match: SkillMatch });
export type JobApplicant = z.infer<typeof JobApplicant>;

export const JobApplicantsQuery = PageQuery.extend({
  status: z.preprocess(blankAsAbsent, ApplicationStatus.optional()),
});
export type JobApplicantsQuery = z.input<typeof JobApplicantsQuery>;
export const JobApplicantPage = pageOf(JobApplicant);
export type JobApplicantPage = z.infer<typeof JobApplicantPage>;

/** An application as its applicant sees it: with the job it is for. */
export const MyApplication = Application.extend({
  job: z.object({ id: Uuid, title: z.string(), status: JobStatus, reward: AzrAmount, employerId: Uuid }),
});
export type MyApplication = z.infer<typeof MyApplication>;

export const MyApplicationsQuery = PageQuery;
export type MyApplicationsQuery = z.input<typeof MyApplicationsQuery>;
export const MyApplicationPage = pageOf(MyApplication);
export type MyApplicationPage = z.infer<typeof MyApplicationPage>;

/** A skill and the completed courses that proved it. */
export const ProvenSkill = z.object({
  skill: z.string(),
  /** When the first course proving it was completed. */
  provenAt: Timestamp,
  courses: z.array(z.object({ courseId: Uuid, completedAt: Timestamp })),
});
export type ProvenSkill = z.infer<typeof ProvenSkill>;

export const SkillProfile = z.object({ userId: Uuid, skills: z.array(ProvenSkill) });
export type SkillProfile = z.infer<typeof SkillProfile>;

export const EmployerParams = z.object({ userId: Uuid });
export type EmployerParams = z.infer<typeof EmployerParams>;

/** POST /employers/:userId/verification (admins): whether this employer's completed jobs pay the learn-to-earn bonus. */
export const SetEmployerVerificationRequest = z.object({ verified: z.boolean() });
export type SetEmployerVerificationRequest = z.input<typeof SetEmployerVerificationRequest>;

export const EmployerVerification = z.object({
  userId: Uuid,
  verified: z.boolean(),
  /** The admin who decided last, and when; null when no admin ever decided (unverified). */
  updatedBy: Uuid.nullable(),
  updatedAt: Timestamp.nullable(),
});
export type EmployerVerification = z.infer<typeof EmployerVerification>;
