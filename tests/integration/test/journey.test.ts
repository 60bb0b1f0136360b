// The learn-to-earn journey through the public API, as a front end sees it: the typed client
// against the real gateway, Education, Mint and Nexus processes.
import { randomUUID } from 'node:crypto';
import { AzoraApiError, createAzoraClient } from '@azora/shared-api';
import { createTestDatabase, waitFor, type TestDatabase } from '@azora/testing';
import { ADMIN, startPlatform, type Platform } from './support/platform';

describe('the learn-to-earn journey through the gateway', () => {
  let db: TestDatabase;
  let platform: Platform;

  beforeAll(async () => {
    db = await createTestDatabase();
    platform = await startPlatform(db, ['azora-education', 'azora-mint']);
  });
  afterAll(async () => {
    await platform?.stop();
    await db?.drop();
  });

  const client = () => createAzoraClient({ baseUrl: platform.gatewayUrl });
  const email = (who: string) => `${who}-${randomUUID().slice(0, 8)}@azora.test`;

  it('When an instructor publishes a course, an admin makes it reward-eligible and a student finishes it, then the student is rewarded and can spend the tokens', async () => {
    const instructor = client();
    await instructor.auth.register({
      email: email('ines'),
      password: 'teaching-is-42',
      name: 'Ines',
      role: 'instructor',
    });
    const course = await instructor.education.createCourse({
      title: 'Rust for learners',
      description: 'Ownership and borrowing',
      priceCents: 0,
      currency: 'USD',
      skills: ['rust'],
    });
    const first = await instructor.education.addLesson(course.id, {
      title: 'Ownership',
      content: 'Values have one owner.',
      position: 1,
    });
    const second = await instructor.education.addLesson(course.id, {
      title: 'Borrowing',
      content: 'References borrow.',
      position: 2,
    });
    await instructor.education.publishCourse(course.id);
    const admin = client();
    await admin.auth.login(ADMIN);
    expect((await admin.education.setRewardEligibility(course.id, { eligible: true })).rewardEligible).toBe(true);

    const student = client();
    const registered = await student.auth.register({
      email: email('sam'),
      password: 'learning-is-42',
      name: 'Sam',
      role: 'student',
    });
    expect((await student.auth.me()).id).toBe(registered.user.id);
    // Mint opens the wallet when identity.user.registered arrives over the bus.
    await waitFor(async () => expect((await student.mint.wallet()).balance).toBe(0), {
      timeoutMs: 20_000,
      what: 'the student wallet',
    });

    const found = await student.education.listCourses({ q: 'borrowing' });
    expect(found.items.map((c) => c.id)).toContain(course.id);
    await student.education.enroll(course.id);
    await student.education.completeLesson(course.id, first.id);
    await student.education.completeLesson(course.id, second.id);
    const [enrolment] = (await student.education.myEnrollments()).items;
    expect(enrolment?.progress.percent).toBe(100);

    // 1 AZR per lesson and 10 for the course, each exactly once.
    await waitFor(async () => expect((await student.mint.wallet()).balance).toBe(12), {
      timeoutMs: 20_000,
      what: 'the rewards',
    });

    const instructorId = (await instructor.auth.me()).id;
    await waitFor(async () => expect((await instructor.mint.wallet()).balance).toBe(0), {
      what: 'the instructor wallet',
    });
    const key = randomUUID();
    const transfer = await student.mint.transfer(
      { toUserId: instructorId, amount: 5, memo: 'thank you' },
      { idempotencyKey: key },
    );
    const replay = await student.mint.transfer(
      { toUserId: instructorId, amount: 5, memo: 'thank you' },
      { idempotencyKey: key },
    );
    expect(replay).toEqual(transfer);
    expect((await student.mint.wallet()).balance).toBe(7);
    expect((await instructor.mint.wallet()).balance).toBe(5);
  });

  it('When an instructor completes their own course again and again, then no AZR is minted and the wallet says why', async () => {
    // Arrange: the farming loop, with a course an admin even made eligible.
    const farmer = client();
    await farmer.auth.register({ email: email('fay'), password: 'farming-is-42', name: 'Fay', role: 'instructor' });
    const admin = client();
    await admin.auth.login(ADMIN);

    // Act
    for (let round = 0; round < 2; round++) {
      const course = await farmer.education.createCourse({
        title: `Quick course ${round}`,
        description: 'One lesson',
        priceCents: 0,
        currency: 'USD',
        skills: [],
      });
      const lesson = await farmer.education.addLesson(course.id, { title: 'Only', content: 'Done.', position: 1 });
      await farmer.education.publishCourse(course.id);
      await admin.education.setRewardEligibility(course.id, { eligible: true });
      await farmer.education.enroll(course.id);
      await farmer.education.completeLesson(course.id, lesson.id);
    }

    // Assert: four decisions (a lesson and a course, twice), none paid.
    const decisions = await waitFor(
      async () => {
        const page = await farmer.mint.rewards();
        expect(page.items).toHaveLength(4);
        return page.items;
      },
      { timeoutMs: 20_000, what: 'the reward decisions' },
    );
    expect(decisions.every((d) => d.paid === 0 && d.reason === 'own_course')).toBe(true);
    expect((await farmer.mint.wallet()).balance).toBe(0);
  });

  it('When the wrong password is given, then the client throws one AzoraApiError with the problem and the request id', async () => {
    const user = client();
    const address = email('lee');
    await user.auth.register({ email: address, password: 'right-password-7', name: 'Lee', role: 'student' });
    const error = await user.auth.login({ email: address, password: 'wrong-password-7' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AzoraApiError);
    expect(error).toMatchObject({ status: 401, title: expect.any(String) });
    expect((error as AzoraApiError).requestId).toEqual(expect.any(String));
  });

  it('When the access token is no longer valid, then the client refreshes once and the call succeeds', async () => {
    const user = client();
    const registered = await user.auth.register({
      email: email('kim'),
      password: 'refreshing-is-7',
      name: 'Kim',
      role: 'student',
    });
    const refreshed: string[] = [];
    const resumed = createAzoraClient({
      baseUrl: platform.gatewayUrl,
      token: `${registered.accessToken.slice(0, -4)}AAAA`, // a token the gateway no longer accepts
      refreshToken: registered.refreshToken,
      onTokenRefresh: ({ accessToken }) => {
        refreshed.push(accessToken);
      },
    });
    expect((await resumed.auth.me()).id).toBe(registered.user.id);
    expect(refreshed).toHaveLength(1);
  });

  it('When a request bypasses the gateway without a token, then the service itself answers 401', async () => {
    const res = await fetch(`${platform.service('azora-mint').url}/wallet`, { headers: { 'x-user-id': randomUUID() } });
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
  });
});
