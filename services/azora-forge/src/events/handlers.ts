// What Forge does with the events it consumes: a completed course proves its skills. Each runs
// in the consumer's transaction together with the inbox record, so a redelivered event adds nothing.
import type { Consumer } from '@azora/service-kit';
import type { ForgeContext } from '../use-cases/context';
import { recordCourseCompletion } from '../use-cases/skills';

export function registerEventHandlers(events: Consumer, ctx: ForgeContext): void {
  events.on('education.course.completed', (event, tx) => recordCourseCompletion(ctx, tx, event));
}
