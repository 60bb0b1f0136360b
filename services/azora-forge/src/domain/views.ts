// Records to the shapes clients see: each mapper copies only the fields a response may show.
import {
  AZR,
  type Application,
  type EmployerVerification,
  type Job,
  type JobApplicant,
  type MyApplication,
  type ProvenSkill,
  type SkillProfile,
} from '@azora/contracts';
import { matchSkills } from './skill-match';
import type {
  ApplicantRecord,
  ApplicationRecord,
  ApplicationWithJob,
  JobRecord,
  SkillProofRecord,
  VerificationRecord,
} from './records';

const iso = (at: Date | null) => at?.toISOString() ?? null;

export function toJob(job: JobRecord): Job {
  return {
    id: job.id,
    employerId: job.employerId,
    title: job.title,
    description: job.description,
    skills: job.skills,
    reward: job.reward,
    currency: AZR,
    status: job.status,
    hiredUserId: job.hiredUserId,
    createdAt: job.createdAt.toISOString(),
    postedAt: iso(job.postedAt),
    filledAt: iso(job.filledAt),
    completedAt: iso(job.completedAt),
    closedAt: iso(job.closedAt),
  };
}

export function toApplication(application: ApplicationRecord): Application {
  return {
    id: application.id,
    jobId: application.jobId,
    userId: application.userId,
    coverLetter: application.coverLetter,
    status: application.status,
    createdAt: application.createdAt.toISOString(),
    updatedAt: application.updatedAt.toISOString(),
  };
}

export function toJobApplicant(applicant: ApplicantRecord, jobSkills: readonly string[]): JobApplicant {
  return { ...toApplication(applicant), match: matchSkills(jobSkills, applicant.applicantSkills) };
}

export function toMyApplication(application: ApplicationWithJob): MyApplication {
  const { job } = application;
  return {
    ...toApplication(application),
    job: { id: job.id, title: job.title, status: job.status, reward: job.reward, employerId: job.employerId },
  };
}

/** Proofs (oldest first) grouped by skill, skills in alphabetical order. */
export function toSkillProfile(userId: string, proofs: readonly SkillProofRecord[]): SkillProfile {
  const bySkill = new Map<string, ProvenSkill>();
  const ordered = [...proofs].sort((a, b) => a.completedAt.getTime() - b.completedAt.getTime());
  for (const proof of ordered) {
    const course = { courseId: proof.courseId, completedAt: proof.completedAt.toISOString() };
    const known = bySkill.get(proof.skill);
    if (known) known.courses.push(course);
    else bySkill.set(proof.skill, { skill: proof.skill, provenAt: course.completedAt, courses: [course] });
  }
  return { userId, skills: [...bySkill.values()].sort((a, b) => a.skill.localeCompare(b.skill)) };
}

export function toVerification(userId: string, record: VerificationRecord | null): EmployerVerification {
  return {
    userId,
    verified: record?.verified ?? false,
    updatedBy: record?.updatedBy ?? null,
    updatedAt: iso(record?.updatedAt ?? null),
  };
}
