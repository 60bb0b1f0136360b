// Completion events as Education and Forge publish them. By default the course is someone
// else's and reward-eligible, and the employer is verified and not the worker: a test names
// only what it changes.
import { randomUUID } from 'node:crypto';
import type { StoredEvent } from '@azora/contracts';
import type { Mint } from './harness';

export interface CourseFacts {
  courseId?: string;
  authorIds?: string[];
  rewardEligible?: boolean;
}

export interface JobFacts {
  jobId?: string;
  employerId?: string;
  employerVerified?: boolean;
}

export function completions(mint: Mint) {
  const course = ({ courseId = randomUUID(), authorIds = [randomUUID()], rewardEligible = true }: CourseFacts) => ({
    courseId,
    authorIds,
    rewardEligible,
  });
  return {
    lesson(userId: string, facts: CourseFacts & { lessonId?: string } = {}): StoredEvent {
      return mint.event('education.lesson.completed', {
        ...course(facts),
        lessonId: facts.lessonId ?? randomUUID(),
        userId,
      });
    },
    course(userId: string, facts: CourseFacts = {}): StoredEvent {
      return mint.event('education.course.completed', { ...course(facts), userId, skills: ['sql'] });
    },
    job(workerId: string, { jobId = randomUUID(), employerId = randomUUID(), employerVerified = true }: JobFacts = {}) {
      return mint.event('forge.job.completed', { jobId, workerId, reward: 500, employerId, employerVerified });
    },
  };
}
