// Paid courses: enrolling asks for payment (402), Pay's payment.succeeded grants access exactly
// once however often it is delivered, and payment.refunded takes the access back.
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { EventData } from '@azora/contracts';
import { bearer, publishedCourse } from './support/courses';
import { startEducation, type Harness, type TestUser } from './support/harness';

type Payment = EventData<'pay.payment.succeeded'>;

describe('paid courses', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startEducation();
  });
  afterAll(() => h.close());

  async function paidCourse() {
    const instructor = await h.user('instructor');
    return publishedCourse(h, instructor, { priceCents: 2500, currency: 'EUR', lessons: 2 });
  }
  const payment = (student: TestUser, courseId: string, overrides: Partial<Payment> = {}): Payment => ({
    paymentId: randomUUID(),
    userId: student.id,
    purpose: 'course',
    courseId,
    amount: 2500,
    currency: 'EUR',
    ...overrides,
  });
  const enrollmentsOf = async (courseId: string) =>
    (
      await h.pool.query<{ user_id: string; status: string }>(
        'SELECT user_id, status FROM enrollments WHERE course_id = $1',
        [courseId],
      )
    ).rows;
  const createdEvents = async (courseId: string) =>
    (await h.outbox('education.enrollment.created')).filter((e) => e.data['courseId'] === courseId);

  it('When a student enrols in a paid course, then a 402 problem says how to pay and no enrolment exists', async () => {
    const { course } = await paidCourse();
    const student = await h.user();

    const res = await request(h.app).post(`/courses/${course.id}/enroll`).set('authorization', bearer(student));

    expect(res.status).toBe(402);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body).toMatchObject({
      status: 402,
      code: 'enrollment.payment_required',
      courseId: course.id,
      priceCents: 2500,
      currency: 'EUR',
      checkout: { method: 'POST', href: '/api/pay/checkout', body: { purpose: 'course', courseId: course.id } },
    });
    expect(await enrollmentsOf(course.id)).toEqual([]);
  });

  it('When payment.succeeded is delivered twice, then the student is enrolled once and it is announced once', async () => {
    const { course, lessons } = await paidCourse();
    const student = await h.user();
    const event = h.payEvent('pay.payment.succeeded', payment(student, course.id));

    const first = await h.deliver([event]);
    const again = await h.deliver([event]);

    expect(first.body).toEqual({ handled: 1, duplicates: 0 });
    expect(again.body).toEqual({ handled: 0, duplicates: 1 });
    expect(await enrollmentsOf(course.id)).toEqual([{ user_id: student.id, status: 'active' }]);
    expect(await createdEvents(course.id)).toEqual([
      expect.objectContaining({ subject: student.id, data: { courseId: course.id, userId: student.id } }),
    ]);
    const enrol = await request(h.app).post(`/courses/${course.id}/enroll`).set('authorization', bearer(student));
    expect(enrol.status).toBe(200);
    expect(enrol.body).toMatchObject({ status: 'active', source: 'payment' });
    const complete = await request(h.app)
      .post(`/courses/${course.id}/lessons/${lessons[0]!.id}/complete`)
      .set('authorization', bearer(student));
    expect(complete.status).toBe(200);
  });

  it('When the same payment arrives concurrently and as a second payment event, then there is still one enrolment', async () => {
    const { course } = await paidCourse();
    const student = await h.user();
    const event = h.payEvent('pay.payment.succeeded', payment(student, course.id));
    const secondPayment = h.payEvent('pay.payment.succeeded', payment(student, course.id));

    const answers = await Promise.all([
      h.deliver([event]),
      h.deliver([event]),
      h.deliver([event]),
      h.deliver([secondPayment]),
    ]);

    expect(answers.every((a) => a.status === 200)).toBe(true);
    expect(await enrollmentsOf(course.id)).toHaveLength(1);
    expect(await createdEvents(course.id)).toHaveLength(1);
  });

  it('When the payment is refunded, then access is revoked: lessons answer 403 and content is hidden', async () => {
    const { course, lessons } = await paidCourse();
    const student = await h.user();
    const paid = payment(student, course.id);
    await h.deliver([h.payEvent('pay.payment.succeeded', paid)]);

    const refund = await h.deliver([h.payEvent('pay.payment.refunded', paid)]);

    expect(refund.status).toBe(200);
    const complete = await request(h.app)
      .post(`/courses/${course.id}/lessons/${lessons[0]!.id}/complete`)
      .set('authorization', bearer(student));
    expect([complete.status, complete.body.code]).toEqual([403, 'enrollment.revoked']);
    const read = await request(h.app).get(`/courses/${course.id}`).set('authorization', bearer(student));
    expect(read.body.canViewContent).toBe(false);
    const mine = await request(h.app).get('/me/enrollments').set('authorization', bearer(student));
    expect(mine.body.items).toEqual([
      expect.objectContaining({ courseId: course.id, status: 'revoked', revokedAt: h.clock.now().toISOString() }),
    ]);
    const stats = await request(h.app)
      .get(`/courses/${course.id}/stats`)
      .set('authorization', bearer(await h.user('admin')));
    expect(stats.body).toMatchObject({ enrollments: 0, revoked: 1 });
  });

  it('When a refunded student enrols again, then a new payment is required, and paying restores access with progress kept', async () => {
    const { course, lessons } = await paidCourse();
    const student = await h.user();
    const firstPayment = payment(student, course.id);
    await h.deliver([h.payEvent('pay.payment.succeeded', firstPayment)]);
    await request(h.app)
      .post(`/courses/${course.id}/lessons/${lessons[0]!.id}/complete`)
      .set('authorization', bearer(student));
    await h.deliver([h.payEvent('pay.payment.refunded', firstPayment)]);

    const again = await request(h.app).post(`/courses/${course.id}/enroll`).set('authorization', bearer(student));
    await h.deliver([h.payEvent('pay.payment.succeeded', payment(student, course.id))]);
    const complete = await request(h.app)
      .post(`/courses/${course.id}/lessons/${lessons[1]!.id}/complete`)
      .set('authorization', bearer(student));

    expect(again.status).toBe(402);
    expect(complete.status).toBe(200);
    expect(complete.body.progress).toMatchObject({ completedLessons: 2, totalLessons: 2, percent: 100 });
    expect(await createdEvents(course.id)).toHaveLength(2);
    expect((await h.outbox('education.course.completed')).filter((e) => e.data['courseId'] === course.id)).toHaveLength(
      1,
    );
  });

  it('When one of two payments for the same course is refunded, then access stays until the other is refunded too', async () => {
    const { course, lessons } = await paidCourse();
    const student = await h.user();
    const [one, two] = [payment(student, course.id), payment(student, course.id)];
    await h.deliver([h.payEvent('pay.payment.succeeded', one), h.payEvent('pay.payment.succeeded', two)]);
    const complete = () =>
      request(h.app)
        .post(`/courses/${course.id}/lessons/${lessons[0]!.id}/complete`)
        .set('authorization', bearer(student));

    await h.deliver([h.payEvent('pay.payment.refunded', one)]);
    const afterFirst = await complete();
    await h.deliver([h.payEvent('pay.payment.refunded', two)]);
    const afterBoth = await complete();

    expect(afterFirst.status).toBe(200);
    expect(afterBoth.status).toBe(403);
  });

  it('When a payment is for tokens, or a refund names a payment never seen, then nothing changes', async () => {
    const { course } = await paidCourse();
    const student = await h.user();
    const tokens = payment(student, course.id, { purpose: 'tokens' });
    const unknownRefund = payment(student, course.id);

    const res = await h.deliver([
      h.payEvent('pay.payment.succeeded', tokens),
      h.payEvent('pay.payment.refunded', unknownRefund),
    ]);

    expect(res.body).toEqual({ handled: 2, duplicates: 0 });
    expect(await enrollmentsOf(course.id)).toEqual([]);
  });

  it('When a payment names a course that does not exist, then it is acknowledged and nobody is enrolled', async () => {
    const student = await h.user();
    const courseId = randomUUID();

    const res = await h.deliver([h.payEvent('pay.payment.succeeded', payment(student, courseId))]);

    expect(res.status).toBe(200);
    expect(await enrollmentsOf(courseId)).toEqual([]);
  });

  it('When paid access is granted, then the enrolment counter counts it by source', async () => {
    const { course } = await paidCourse();
    const student = await h.user();
    await h.deliver([h.payEvent('pay.payment.succeeded', payment(student, course.id))]);

    const res = await request(h.app).get('/metrics');

    expect(res.text).toMatch(/^education_enrollments_total\{[^}]*source="payment"[^}]*\} [1-9]\d*$/m);
  });
});
