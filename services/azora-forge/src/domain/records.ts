// The records Forge's rules work on, as the database layer returns them (dates as Dates).
import type { ApplicationStatus, JobStatus } from '@azora/contracts';

export interface JobRecord {
  id: string;
  employerId: string;
  title: string;
  description: string;
  skills: string[];
  reward: number;
  status: JobStatus;
  idempotencyKey: string | null;
  hiredApplicationId: string | null;
  hiredUserId: string | null;
  createdAt: Date;
  updatedAt: Date;
  postedAt: Date | null;
  filledAt: Date | null;
  completedAt: Date | null;
  closedAt: Date | null;
}

export interface ApplicationRecord {
  id: string;
  jobId: string;
  userId: string;
  coverLetter: string;
  status: ApplicationStatus;
  createdAt: Date;
  updatedAt: Date;
}

/** An application with the facts of its job that the applicant's list shows. */
export interface ApplicationWithJob extends ApplicationRecord {
  job: Pick<JobRecord, 'id' | 'title' | 'status' | 'reward' | 'employerId'>;
}

/** An application with its applicant's proven skills, for the employer's list. */
export interface ApplicantRecord extends ApplicationRecord {
  applicantSkills: string[];
}

export interface SkillProofRecord {
  skill: string;
  courseId: string;
  completedAt: Date;
}

export interface VerificationRecord {
  userId: string;
  verified: boolean;
  updatedBy: string;
  updatedAt: Date;
}
