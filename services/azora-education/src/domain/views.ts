// Records to the shapes clients see: each mapper copies only the fields a response may show.
import type { Course, CourseDetail, Enrollment, Lesson, MyEnrollment } from '@azora/contracts';
import { progressOf } from './progress';
import type { CourseRecord, EnrollmentOverview, EnrollmentRecord, LessonRecord } from './records';

export function toCourse(course: CourseRecord): Course {
  return {
    id: course.id,
    instructorId: course.instructorId,
    title: course.title,
    description: course.description,
    priceCents: course.priceCents,
    currency: course.currency,
    skills: course.skills,
    status: course.status,
    lessonCount: course.lessonCount,
    createdAt: course.createdAt.toISOString(),
    updatedAt: course.updatedAt.toISOString(),
    publishedAt: course.publishedAt?.toISOString() ?? null,
    rewardEligible: course.rewardEligible,
  };
}

/** The course page: every lesson's title, and its content only when `withContent`. */
export function toCourseDetail(
  course: CourseRecord,
  lessons: readonly LessonRecord[],
  withContent: boolean,
): CourseDetail {
  return {
    ...toCourse(course),
    lessons: lessons.map((l) => ({
      id: l.id,
      title: l.title,
      position: l.position,
      ...(withContent ? { content: l.content } : {}),
    })),
    canViewContent: withContent,
  };
}

export function toLesson(lesson: LessonRecord): Lesson {
  return {
    id: lesson.id,
    courseId: lesson.courseId,
    title: lesson.title,
    content: lesson.content,
    position: lesson.position,
    createdAt: lesson.createdAt.toISOString(),
    updatedAt: lesson.updatedAt.toISOString(),
  };
}

export function toEnrollment(enrollment: EnrollmentRecord): Enrollment {
  return {
    id: enrollment.id,
    courseId: enrollment.courseId,
    userId: enrollment.userId,
    status: enrollment.status,
    source: enrollment.source,
    createdAt: enrollment.createdAt.toISOString(),
    completedAt: enrollment.completedAt?.toISOString() ?? null,
    revokedAt: enrollment.revokedAt?.toISOString() ?? null,
  };
}

export function toMyEnrollment(overview: EnrollmentOverview): MyEnrollment {
  return {
    ...toEnrollment(overview),
    course: { id: overview.courseId, title: overview.courseTitle, skills: overview.courseSkills },
    progress: progressOf(overview.completedLessons, overview.totalLessons, overview.completedAt),
  };
}
