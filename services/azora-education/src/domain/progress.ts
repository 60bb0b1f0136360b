// Progress through a course: completed lessons over the course's lessons (fixed once it is
// published), and the rule for "course completed".
import type { CourseProgress } from '@azora/contracts';

export function progressOf(completedLessons: number, totalLessons: number, completedAt: Date | null): CourseProgress {
  // Rounded down, so 100 means every lesson, never "almost every".
  const percent = totalLessons === 0 ? 0 : Math.floor((completedLessons * 100) / totalLessons);
  return { completedLessons, totalLessons, percent, completedAt: completedAt?.toISOString() ?? null };
}

export function coursePassed(completedLessons: number, totalLessons: number): boolean {
  return totalLessons > 0 && completedLessons >= totalLessons;
}

/** completions / enrollments to four decimals; 0 when nobody is enrolled. */
export function completionRate(completions: number, enrollments: number): number {
  return enrollments === 0 ? 0 : Math.round((completions / enrollments) * 10_000) / 10_000;
}
