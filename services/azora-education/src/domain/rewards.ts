// What a completion tells Mint's reward policy about its course: who wrote it (nobody is
// rewarded for completing their own course) and whether an admin made it reward-eligible.
// Education records both facts and forbids nothing; judging them is Mint's business.
import type { EventData } from '@azora/contracts';
import type { CourseRecord } from './records';

export type RewardFacts = Pick<EventData<'education.course.completed'>, 'authorIds' | 'rewardEligible'>;

/** The facts as they stand for `course`, read in the completing transaction. */
export function rewardFactsOf(course: Pick<CourseRecord, 'instructorId' | 'rewardEligible'>): RewardFacts {
  // A course has one author today: the instructor who created it.
  return { authorIds: [course.instructorId], rewardEligible: course.rewardEligible };
}
