// Problems of Education: courses, lessons, enrolment and progress.
import { defineProblems } from './define';

export const EDUCATION_PROBLEMS = defineProblems({
  'course.not_found': { status: 404, title: 'Course not found' },
  'course.not_owner': { status: 403, title: 'Not your course' },
  'course.not_draft': { status: 409, title: 'Course already published' },
  'course.no_lessons': { status: 409, title: 'Course has no lessons' },
  'course.not_published': { status: 409, title: 'Course not published' },
  'lesson.not_found': { status: 404, title: 'Lesson not found' },
  'enrollment.required': { status: 403, title: 'Enrolment required' },
  'enrollment.revoked': { status: 403, title: 'Enrolment revoked' },
  'enrollment.payment_required': { status: 402, title: 'Payment required' },
});
