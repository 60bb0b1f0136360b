// Education's domain counters, registered on the service's registry next to the HTTP metrics.
import type { Metrics } from '@azora/service-kit';

export function educationMetrics(metrics: Metrics) {
  const enrollments = metrics.counter(
    'education_enrollments_total',
    'Enrolments granted (new or reactivated), by how access was obtained',
    ['source'] as const,
  );
  // Both series exist from the start, so dashboards and rate() see a 0 rather than nothing.
  for (const source of ['free', 'payment'] as const) enrollments.inc({ source }, 0);
  return {
    enrollments,
    lessonsCompleted: metrics.counter(
      'education_lessons_completed_total',
      'Lessons completed for the first time by an enrolled user',
    ),
    coursesCompleted: metrics.counter('education_courses_completed_total', 'Enrolments whose every lesson is complete'),
    coursesPublished: metrics.counter('education_courses_published_total', 'Courses published'),
  };
}
export type EducationMetrics = ReturnType<typeof educationMetrics>;
