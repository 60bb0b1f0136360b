// The records Education's rules work on, as the database layer returns them (dates as Dates).
import type { CourseStatus, EnrollmentStatus } from '@azora/contracts';

export interface CourseRecord {
  id: string;
  instructorId: string;
  title: string;
  description: string;
  priceCents: number;
  currency: string;
  skills: string[];
  status: CourseStatus;
  lessonCount: number;
  /** Whether completing it pays learn-to-earn rewards (an admin's decision). */
  rewardEligible: boolean;
  createdAt: Date;
  updatedAt: Date;
  publishedAt: Date | null;
}

export interface LessonRecord {
  id: string;
  courseId: string;
  title: string;
  content: string;
  position: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface EnrollmentRecord {
  id: string;
  courseId: string;
  userId: string;
  status: EnrollmentStatus;
  source: 'free' | 'payment';
  createdAt: Date;
  completedAt: Date | null;
  revokedAt: Date | null;
}

/** An enrolment with the course facts and counts GET /me/enrollments shows. */
export interface EnrollmentOverview extends EnrollmentRecord {
  courseTitle: string;
  courseSkills: string[];
  completedLessons: number;
  totalLessons: number;
}

export interface CourseStatsRecord {
  enrollments: number;
  completions: number;
  revoked: number;
}
