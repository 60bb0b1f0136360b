// What each consumed event tells whom: the kind, the user, the template values and the ids a
// front end links with. Facts an event does not carry (a course's title, the sender's name)
// are looked up by the caller and passed in; null where this service never heard of them.
import type { EventData, NotificationKind } from '@azora/contracts';
import { formatAzr, formatMoney } from './format';

export type NoticeData = Record<string, string | number | boolean | null>;

export interface NoticeIntent {
  readonly userId: string;
  readonly kind: NotificationKind;
  /** Template values other than the recipient's `name`, which the caller adds. */
  readonly values: Readonly<Record<string, string>>;
  readonly data: NoticeData;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The user of a ledger party: `user:<uuid>` or a bare user id; null for the treasury or escrow. */
export function userOfParty(party: string): string | null {
  const id = party.startsWith('user:') ? party.slice('user:'.length) : party;
  return UUID.test(id) ? id.toLowerCase() : null;
}

const courseName = (title: string | null) => title ?? 'your course';

export function welcomeNotice(data: EventData<'identity.user.registered'>): NoticeIntent {
  return { userId: data.userId, kind: 'welcome', values: {}, data: {} };
}

export function enrollmentNotice(
  data: EventData<'education.enrollment.created'>,
  courseTitle: string | null,
): NoticeIntent {
  return {
    userId: data.userId,
    kind: 'enrollment',
    values: { courseTitle: courseName(courseTitle) },
    data: { courseId: data.courseId },
  };
}

export function courseCompletedNotice(
  data: EventData<'education.course.completed'>,
  courseTitle: string | null,
): NoticeIntent {
  return {
    userId: data.userId,
    kind: 'course_completed',
    values: { courseTitle: courseName(courseTitle) },
    data: { courseId: data.courseId },
  };
}

/** Only transfers between users and rewards reach a user's inbox; other postings are bookkeeping
 * another notification already tells about (top-ups, escrow). */
export function transferNotice(
  data: EventData<'mint.transfer.completed'>,
  senderName: string | null,
): NoticeIntent | null {
  const userId = userOfParty(data.to);
  if (!userId) return null;
  const ids = { transferId: data.transferId, amount: data.amount };
  if (data.kind === 'reward')
    return { userId, kind: 'tokens_earned', values: { amount: formatAzr(data.amount) }, data: ids };
  if (data.kind !== 'transfer') return null;
  const fromUserId = userOfParty(data.from);
  return {
    userId,
    kind: 'transfer_received',
    values: { amount: formatAzr(data.amount), senderName: senderName ?? 'Another Azora user' },
    data: { ...ids, fromUserId },
  };
}

const APPLICATION_OUTCOMES = {
  shortlisted: 'You made the shortlist: the employer may contact you soon.',
  rejected: 'The employer chose another applicant this time.',
  hired: 'Congratulations, you are hired!',
} as const;

/** `applied` is the applicant's own action: nothing to tell them. */
export function applicationNotice(data: EventData<'forge.application.status_changed'>): NoticeIntent | null {
  if (data.status === 'applied') return null;
  return {
    userId: data.userId,
    kind: 'application_status',
    values: { status: data.status, outcome: APPLICATION_OUTCOMES[data.status] },
    data: { applicationId: data.applicationId, jobId: data.jobId, status: data.status },
  };
}

export function jobCompletedNotice(data: EventData<'forge.job.completed'>): NoticeIntent {
  return {
    userId: data.workerId,
    kind: 'job_completed',
    values: { reward: formatAzr(data.reward) },
    data: { jobId: data.jobId, reward: data.reward },
  };
}

const PAYMENT_KINDS = {
  'pay.payment.succeeded': 'payment_succeeded',
  'pay.payment.failed': 'payment_failed',
  'pay.payment.refunded': 'payment_refunded',
} as const;

export function paymentNotice(
  type: keyof typeof PAYMENT_KINDS,
  data: EventData<'pay.payment.succeeded'>,
  courseTitle: string | null,
): NoticeIntent {
  const item = data.purpose === 'course' ? `the course "${courseName(courseTitle)}"` : 'AZR tokens';
  return {
    userId: data.userId,
    kind: PAYMENT_KINDS[type],
    values: { amount: formatMoney(data.amount, data.currency), item },
    data: { paymentId: data.paymentId, courseId: data.courseId ?? null, purpose: data.purpose },
  };
}
