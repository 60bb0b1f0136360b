// Reward eligibility: an admin decides whether completing a course pays learn-to-earn rewards.
// Nothing is published when it changes: each completion event carries the value in force when
// it happens, and Mint's reward policy reads it there.
import { withTransaction } from '@azora/service-kit';
import { findCourse, setRewardEligible } from '../db/courses';
import { visibleCourse } from '../domain/access';
import type { CourseRecord } from '../domain/records';
import type { Caller, EducationContext } from './context';

/** Sets the course's eligibility (admins only, checked by the route); setting it again changes nothing. */
export async function setRewardEligibility(
  ctx: EducationContext,
  caller: Caller,
  id: string,
  eligible: boolean,
): Promise<CourseRecord> {
  const { course, changed } = await withTransaction(ctx.pool, async (tx) => {
    // The update lock waits for completions in progress (they hold the row's share lock), so
    // once this answers, every later completion carries the new value.
    const current = visibleCourse(caller.user, await findCourse(tx, id, { lock: 'update' }), id);
    if (current.rewardEligible === eligible) return { course: current, changed: false };
    const now = ctx.clock.now();
    await setRewardEligible(tx, id, eligible, now);
    return { course: { ...current, rewardEligible: eligible, updatedAt: now }, changed: true };
  });
  if (changed)
    ctx.logger.info(
      { courseId: id, rewardEligible: eligible, adminId: caller.user.id, requestId: caller.requestId },
      'course reward eligibility changed',
    );
  return course;
}
