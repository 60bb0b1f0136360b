// Skill profiles: each completed course proves its skills for the user who completed it (once per
// user, skill and course); a course the user wrote proves nothing, as it pays no reward either.
import type { EventData, SkillProfile } from '@azora/contracts';
import type { AuthenticatedUser, Tx } from '@azora/service-kit';
import { listProofs, recordProofs } from '../db/skills';
import { toSkillProfile } from '../domain/views';
import type { ForgeContext } from './context';

export async function recordCourseCompletion(
  ctx: ForgeContext,
  tx: Tx,
  event: { id: string; occurredAt: string; data: EventData<'education.course.completed'> },
): Promise<void> {
  const { userId, courseId, skills, authorIds } = event.data;
  if (authorIds.includes(userId)) {
    ctx.logger.info({ userId, courseId }, 'a course completed by its own author proves no skills');
    return;
  }
  const added = await recordProofs(tx, {
    userId,
    courseId,
    skills,
    completedAt: new Date(event.occurredAt),
    eventId: event.id,
  });
  if (added > 0) ctx.metrics.skillsProven.inc(added);
}

export async function mySkills(ctx: ForgeContext, user: AuthenticatedUser): Promise<SkillProfile> {
  return toSkillProfile(user.id, await listProofs(ctx.pool, user.id));
}
