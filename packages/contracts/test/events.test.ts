import { randomUUID } from 'node:crypto';
import { EVENT_DATA, EVENT_TYPES, KnownEvent, parseEvent, topicMatches } from '../src/events';

const envelope = (type: string, data: Record<string, unknown>) => ({
  id: randomUUID(),
  type,
  source: 'azora-education',
  occurredAt: new Date().toISOString(),
  data,
});

describe('event registry', () => {
  it('When the catalog is read, then every type of DESIGN.md has a data schema', () => {
    expect(EVENT_TYPES).toEqual(
      expect.arrayContaining([
        'identity.user.registered',
        'education.course.published',
        'education.enrollment.created',
        'education.lesson.completed',
        'education.course.completed',
        'mint.transfer.completed',
        'forge.job.posted',
        'forge.application.status_changed',
        'forge.job.completed',
        'pay.payment.succeeded',
        'pay.payment.failed',
        'pay.payment.refunded',
        'ai.conversation.message',
        'notification.delivered',
        'notification.failed',
      ]),
    );
    expect(Object.keys(EVENT_DATA)).toHaveLength(15);
  });

  it('When an envelope carries valid data for its type, then it parses with typed data', () => {
    const courseId = randomUUID();
    const userId = randomUUID();
    const event = parseEvent(
      envelope('education.course.completed', {
        courseId,
        userId,
        skills: ['sql'],
        authorIds: [courseId],
        rewardEligible: true,
      }),
    );
    expect(event.type).toBe('education.course.completed');
    expect(event.data).toEqual({ courseId, userId, skills: ['sql'], authorIds: [courseId], rewardEligible: true });
  });

  it('When the data does not match its type, then the failing field is named under data', () => {
    const result = KnownEvent.safeParse(
      envelope('education.lesson.completed', { courseId: 'nope', userId: randomUUID() }),
    );
    expect(result.success).toBe(false);
    const paths = result.error?.issues.map((i) => i.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['data.courseId', 'data.lessonId']));
  });

  it('When the type is not in the catalog, then the envelope is refused naming the type', () => {
    const result = KnownEvent.safeParse(envelope('education.course.deleted', {}));
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toContain('education.course.deleted');
  });

  it('When topics are matched, then exact names, prefix wildcards and * match and nothing else does', () => {
    expect(topicMatches('education.*', 'education.course.completed')).toBe(true);
    expect(topicMatches('pay.payment.succeeded', 'pay.payment.succeeded')).toBe(true);
    expect(topicMatches('*', 'mint.transfer.completed')).toBe(true);
    expect(topicMatches('education.*', 'educationx.course')).toBe(false);
    expect(topicMatches('pay.payment.succeeded', 'pay.payment.failed')).toBe(false);
  });
});
