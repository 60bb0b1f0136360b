// The offline tutor's index of published lesson content. `education.course.published` queues the
// course in the consumer's transaction (so the event is acknowledged at once, whatever Education's
// state); a worker then reads the course's content from Education and stores its passages, retrying
// with back-off while Education cannot answer. On start, a catch-up pass queues every published
// course the index has not seen, so courses published while this service was down are indexed too.
import type { EventData } from '@azora/contracts';
import { afterCommit, sleep, withTransaction, type Tx } from '@azora/service-kit';
import {
  claimDueCourses,
  enqueueCourse,
  markCourseGone,
  markCourseRetry,
  storeCoursePassages,
  type NewPassage,
} from '../db/course-index';
import { splitIntoPassages } from '../domain/passages';
import type { AiContext } from './context';

const BATCH = 5;
const LEASE_MS = 60_000;
const POLL_MS = 5_000;

/** Back-off of a course whose content could not be read: 5 s, 20 s, 45 s... up to 10 minutes. */
export function retryDelayMs(attempts: number): number {
  return Math.min(600_000, 5_000 * attempts * attempts);
}

export interface CourseIndexer {
  /** Queues a published course (event handler; runs in the consumer's transaction). */
  coursePublished(tx: Tx, data: EventData<'education.course.published'>): Promise<void>;
  /** Indexes the courses that are due; returns how many were indexed. */
  runOnce(): Promise<number>;
  /** Queues every published course Education lists that the index has not seen; returns how many. */
  catchUp(): Promise<number>;
  /** Catch-up (retried until it succeeds) and the worker loop, until `signal` aborts. */
  run(signal: AbortSignal): Promise<void>;
  wake(): void;
}

export function createCourseIndexer(ctx: AiContext): CourseIndexer {
  let wakeUp = new AbortController();

  async function indexCourse(courseId: string, attempts: number): Promise<boolean> {
    try {
      const content = await ctx.education.courseContent(courseId);
      if (!content) {
        await markCourseGone(ctx.pool, courseId);
        return false;
      }
      const passages: NewPassage[] = content.lessons.flatMap((lesson) =>
        splitIntoPassages(lesson.content).map((body, part) => ({
          lessonId: lesson.id,
          lessonTitle: lesson.title,
          lessonPosition: lesson.position,
          part,
          body,
        })),
      );
      await withTransaction(ctx.pool, (tx) =>
        storeCoursePassages(tx, { courseId, title: content.title, now: ctx.clock.now() }, passages),
      );
      ctx.metrics.coursesIndexed.inc();
      return true;
    } catch (error) {
      const message = (error as Error).message;
      ctx.logger.warn({ courseId, attempts, err: message }, 'could not index a course yet; retrying later');
      await markCourseRetry(ctx.pool, courseId, {
        error: message,
        nextAttemptAt: new Date(ctx.clock.now().getTime() + retryDelayMs(attempts)),
      });
      return false;
    }
  }

  const indexer: CourseIndexer = {
    async coursePublished(tx, data) {
      if (await enqueueCourse(tx, { courseId: data.courseId, title: data.title, now: ctx.clock.now() }))
        afterCommit(tx, () => indexer.wake());
    },
    async runOnce() {
      let indexed = 0;
      for (;;) {
        const now = ctx.clock.now();
        const due = await claimDueCourses(ctx.pool, {
          now,
          leaseUntil: new Date(now.getTime() + LEASE_MS),
          limit: BATCH,
        });
        for (const course of due) if (await indexCourse(course.courseId, course.attempts)) indexed++;
        if (due.length < BATCH) return indexed;
      }
    },
    async catchUp() {
      let queued = 0;
      let cursor: string | null = null;
      do {
        const page = await ctx.education.publishedCourses(cursor);
        for (const course of page.items)
          if (await enqueueCourse(ctx.pool, { courseId: course.courseId, title: course.title, now: ctx.clock.now() }))
            queued++;
        cursor = page.nextCursor;
      } while (cursor);
      return queued;
    },
    async run(signal) {
      void (async () => {
        for (let attempt = 0; !signal.aborted; attempt++) {
          try {
            const queued = await indexer.catchUp();
            if (queued > 0) ctx.logger.info({ queued }, 'published courses queued for the offline tutor');
            indexer.wake();
            return;
          } catch (error) {
            if (attempt % 10 === 0)
              ctx.logger.info({ err: (error as Error).message }, 'cannot list published courses yet; retrying');
            await sleep(Math.min(30_000, 1_000 * 2 ** attempt), signal);
          }
        }
      })();
      while (!signal.aborted) {
        // Armed before the pass, so a course queued during it wakes the next one at once.
        wakeUp = new AbortController();
        const woken = wakeUp.signal;
        try {
          await indexer.runOnce();
        } catch (error) {
          ctx.logger.warn({ err: error }, 'the course indexer failed; retrying');
        }
        await sleep(POLL_MS, AbortSignal.any([signal, woken]));
      }
    },
    wake() {
      wakeUp.abort();
    },
  };
  return indexer;
}
