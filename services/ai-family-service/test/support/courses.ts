// Course content as Education serves it to AI Family, and a learner's context enrolled in it.
import { randomUUID } from 'node:crypto';
import type { CourseContent, LearnerContext } from '@azora/contracts';

export function aCourseContent(
  title: string,
  lessons: Array<{ title: string; content: string }>,
  publishedAt = '2026-03-01T10:00:00.000Z',
): CourseContent {
  return {
    courseId: randomUUID(),
    title,
    description: `All about ${title.toLowerCase()}`,
    skills: ['agronomy'],
    publishedAt,
    lessons: lessons.map((l, i) => ({ id: randomUUID(), title: l.title, position: i + 1, content: l.content })),
  };
}

/** A learner enrolled in `courses`, having completed `completed` lessons of the first. */
export function enrolledIn(userId: string, courses: CourseContent[], completed = 0): LearnerContext {
  return {
    userId,
    enrollments: courses.map((c, i) => {
      const done = i === 0 ? completed : 0;
      const next = c.lessons[done];
      return {
        courseId: c.courseId,
        title: c.title,
        skills: c.skills,
        completedLessons: done,
        totalLessons: c.lessons.length,
        percent: Math.floor((done * 100) / c.lessons.length),
        completedAt: null,
        nextLesson: next ? { id: next.id, title: next.title, position: next.position } : null,
      };
    }),
  };
}

export const SOIL = () =>
  aCourseContent('Soil science', [
    {
      title: 'Healthy soil',
      content:
        'Healthy soil is alive. Compost feeds the earthworms and microbes that keep soil loose.\n\nMulch keeps moisture in the ground during dry weeks.',
    },
    {
      title: 'Crop rotation',
      content: 'Rotating beans with maize returns nitrogen to the field. Legumes fix nitrogen from the air.',
    },
  ]);
