// What AI Family does with the events it consumes: a published course is queued for the offline
// tutor's index (in the delivery's transaction, with the inbox record).
import type { Consumer } from '@azora/service-kit';
import type { CourseIndexer } from '../use-cases/course-index';

export function registerEventHandlers(events: Consumer, indexer: CourseIndexer): void {
  events.on('education.course.published', (event, tx) => indexer.coursePublished(tx, event.data));
}
