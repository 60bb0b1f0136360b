// Education's HTTP contract, as clients see it under /api/education: courses and their lessons,
// the catalogue (full-text search, skill filter, cursor pages), enrolments and progress.
import { z } from 'zod';
import { PageQuery, pageOf } from './pagination';

const Uuid = z.uuid();
const Timestamp = z.iso.datetime({ offset: true });
const Count = z.number().int().nonnegative();

/** An empty query parameter (`?q=`) means "not given", not "invalid". */
const blankAsAbsent = (value: unknown) => (value === '' ? undefined : value);

/** Skills are compared case-insensitively: stored trimmed and lower-cased. */
export const CourseSkill = z.string().trim().toLowerCase().min(1).max(64);
const Skills = z
  .array(CourseSkill)
  .max(50)
  .transform((skills) => [...new Set(skills)]);

export const CourseCurrency = z.string().regex(/^[A-Z]{3}$/, 'a three-letter ISO 4217 code such as "USD"');
/** Minor units (cents); 0 is a free course. */
export const CoursePriceCents = z.number().int().min(0).max(100_000_000);

const CourseTitle = z.string().trim().min(1).max(200);
const CourseDescription = z.string().trim().min(1).max(20_000);
const LessonTitle = z.string().trim().min(1).max(200);
const LessonContent = z.string().min(1).max(200_000);
/** 1-based; a position past the end means "last". */
const LessonPosition = z.number().int().min(1).max(10_000);

export const CourseParams = z.object({ id: Uuid });
export type CourseParams = z.infer<typeof CourseParams>;
export const LessonParams = z.object({ id: Uuid, lessonId: Uuid });
export type LessonParams = z.infer<typeof LessonParams>;

export const CreateCourseRequest = z.object({
  title: CourseTitle,
  description: CourseDescription,
  priceCents: CoursePriceCents,
  currency: CourseCurrency,
  skills: Skills.default([]),
});
export type CreateCourseRequest = z.input<typeof CreateCourseRequest>;

const atLeastOneField = (value: object) => Object.values(value).some((v) => v !== undefined);

/** Changes a draft course; every field is optional but one must be sent. */
export const UpdateCourseRequest = z
  .object({
    title: CourseTitle.optional(),
    description: CourseDescription.optional(),
    priceCents: CoursePriceCents.optional(),
    currency: CourseCurrency.optional(),
    skills: Skills.optional(),
  })
  .refine(atLeastOneField, 'send at least one field to change');
export type UpdateCourseRequest = z.input<typeof UpdateCourseRequest>;

export const CourseStatus = z.enum(['draft', 'published']);
export type CourseStatus = z.infer<typeof CourseStatus>;

export const Course = z.object({
  id: Uuid,
  instructorId: Uuid,
  title: z.string(),
  description: z.string(),
  priceCents: Count,
  currency: z.string(),
  skills: z.array(z.string()),
  status: CourseStatus,
  lessonCount: Count,
  createdAt: Timestamp,
  updatedAt: Timestamp,
  publishedAt: Timestamp.nullable(),
  /** Whether completing it pays learn-to-earn rewards: false until an admin says so. */
  rewardEligible: z.boolean(),
});
export type Course = z.infer<typeof Course>;

/** POST /courses/:id/rewards (admins): whether completing the course pays learn-to-earn rewards.
 * Its lesson and course completion events carry the value in force when they happen, and that
 * is what Mint's reward policy reads. */
export const SetRewardEligibilityRequest = z.object({ eligible: z.boolean() });
export type SetRewardEligibilityRequest = z.input<typeof SetRewardEligibilityRequest>;

/** A lesson as a course page lists it: content only for enrolled users, the owner and admins. */
export const LessonOutline = z.object({
  id: Uuid,
  title: z.string(),
  position: z.number().int().positive(),
  content: z.string().optional(),
});
export type LessonOutline = z.infer<typeof LessonOutline>;

export const CourseDetail = Course.extend({
  lessons: z.array(LessonOutline),
  /** True when the caller may read the lessons' content (enrolled, owner or admin). */
  canViewContent: z.boolean(),
});
export type CourseDetail = z.infer<typeof CourseDetail>;

export const CreateLessonRequest = z.object({
  title: LessonTitle,
  content: LessonContent,
  /** Where to insert it; later lessons move down. Omitted: after the last lesson. */
  position: LessonPosition.optional(),
});
export type CreateLessonRequest = z.input<typeof CreateLessonRequest>;

/** Edits or moves a lesson of a draft course; one field at least. */
export const UpdateLessonRequest = z
  .object({ title: LessonTitle.optional(), content: LessonContent.optional(), position: LessonPosition.optional() })
  .refine(atLeastOneField, 'send at least one field to change');
export type UpdateLessonRequest = z.input<typeof UpdateLessonRequest>;

export const Lesson = z.object({
  id: Uuid,
  courseId: Uuid,
  title: z.string(),
  content: z.string(),
  position: z.number().int().positive(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type Lesson = z.infer<typeof Lesson>;

/** Published courses; with `q`, ranked by full-text relevance (title above description). */
export const CourseListQuery = PageQuery.extend({
  q: z.preprocess(blankAsAbsent, z.string().trim().min(1).max(200).optional()),
  skill: z.preprocess(blankAsAbsent, CourseSkill.optional()),
});
export type CourseListQuery = z.input<typeof CourseListQuery>;

export const CoursePage = pageOf(Course);
export type CoursePage = z.infer<typeof CoursePage>;

export const EnrollmentStatus = z.enum(['active', 'revoked']);
export type EnrollmentStatus = z.infer<typeof EnrollmentStatus>;

export const Enrollment = z.object({
  id: Uuid,
  courseId: Uuid,
  userId: Uuid,
  /** `revoked` after the payment behind it was refunded: lessons are closed again. */
  status: EnrollmentStatus,
  source: z.enum(['free', 'payment']),
  createdAt: Timestamp,
  completedAt: Timestamp.nullable(),
  revokedAt: Timestamp.nullable(),
});
export type Enrollment = z.infer<typeof Enrollment>;

export const CourseProgress = z.object({
  completedLessons: Count,
  totalLessons: Count,
  /** Rounded down: 100 only when every lesson is complete. */
  percent: z.number().int().min(0).max(100),
  completedAt: Timestamp.nullable(),
});
export type CourseProgress = z.infer<typeof CourseProgress>;

export const MyEnrollment = Enrollment.extend({
  course: z.object({ id: Uuid, title: z.string(), skills: z.array(z.string()) }),
  progress: CourseProgress,
});
export type MyEnrollment = z.infer<typeof MyEnrollment>;

export const MyEnrollmentsQuery = PageQuery;
export type MyEnrollmentsQuery = z.input<typeof MyEnrollmentsQuery>;
export const MyEnrollmentPage = pageOf(MyEnrollment);
export type MyEnrollmentPage = z.infer<typeof MyEnrollmentPage>;

export const LessonCompletion = z.object({
  courseId: Uuid,
  lessonId: Uuid,
  /** When the lesson was first completed; repeating the request changes nothing. */
  completedAt: Timestamp,
  progress: CourseProgress,
});
export type LessonCompletion = z.infer<typeof LessonCompletion>;

export const CourseStats = z.object({
  courseId: Uuid,
  /** Enrolments with access (refunded ones excluded). */
  enrollments: Count,
  /** Of those, the ones whose every lesson is complete. */
  completions: Count,
  /** completions / enrollments, 0 to 1 (0 when nobody is enrolled). */
  completionRate: z.number().min(0).max(1),
  /** Enrolments revoked by a refund. */
  revoked: Count,
});
export type CourseStats = z.infer<typeof CourseStats>;

export const COURSE_CHECKOUT_PATH = '/api/pay/checkout';

/** The extra members of the 402 problem answering an enrolment in a paid course. */
export const CoursePaymentRequired = z.object({
  code: z.literal('enrollment.payment_required'),
  courseId: Uuid,
  priceCents: Count,
  currency: z.string(),
  checkout: z.object({
    method: z.literal('POST'),
    href: z.literal(COURSE_CHECKOUT_PATH),
    body: z.object({ purpose: z.literal('course'), courseId: Uuid }),
  }),
});
export type CoursePaymentRequired = z.infer<typeof CoursePaymentRequired>;
