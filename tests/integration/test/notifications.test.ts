// Notifications through the public API, as a front end sees them: the typed client against the
// real gateway, Education, Notification and Nexus processes. Registering sends a welcome mail over
// real SMTP to the embedded sink (read back by an admin) and puts a welcome in the in-app inbox;
// enrolling notifies the student live on the inbox's event stream, which resumes without gaps or
// repeats after Last-Event-ID.
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { AzoraApiError, createAzoraClient, type AzoraClient } from '@azora/shared-api';
import { createTestDatabase, waitFor, type TestDatabase } from '@azora/testing';
import { ADMIN, startPlatform, type Platform } from './support/platform';

const BUS = { timeoutMs: 30_000 };
/** The longest a test waits for a notification on a stream. */
const STREAM_LIMIT_MS = 30_000;

type Notification = Awaited<ReturnType<AzoraClient['notifications']['list']>>['items'][number];

describe('notifications through the gateway', () => {
  let db: TestDatabase;
  let platform: Platform;
  let admin: AzoraClient;
  let dataDir: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    // Where the service keeps the VAPID keys it generates: this run's, not the checkout's .data/.
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'azora-it-notification-'));
    platform = await startPlatform(db, ['azora-education', 'notification-service'], {
      'notification-service': { AZORA_DATA_DIR: dataDir },
    });
    admin = client();
    await admin.auth.login(ADMIN);
  });
  afterAll(async () => {
    await platform?.stop();
    await db?.drop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  const client = () => createAzoraClient({ baseUrl: platform.gatewayUrl });
  const emailOf = (who: string) => `${who}-${randomUUID().slice(0, 8)}@azora.test`;

  async function registered(name: string, role: 'student' | 'instructor' = 'student') {
    const { api, nextStreamOpen } = clientWatchingStreams();
    const email = emailOf(name.replace(/\W/g, '').toLowerCase() || 'user');
    const { user } = await api.auth.register({ email, password: 'notify-me-42', name, role });
    return { api, id: user.id, email, name, nextStreamOpen };
  }

  /**
   * A client whose event streams say when the gateway has answered: the service sends the
   * stream's headers once it follows the caller, so a stream opened "from now" sees what follows.
   */
  function clientWatchingStreams() {
    const waiting: Array<() => void> = [];
    const api = createAzoraClient({
      baseUrl: platform.gatewayUrl,
      fetch: async (input, init) => {
        const response = await fetch(input, init);
        waiting.splice(0).forEach((opened) => opened());
        return response;
      },
    });
    const nextStreamOpen = () => new Promise<void>((resolve) => waiting.push(resolve));
    return { api, nextStreamOpen };
  }

  /** A registered student whose welcome notification is in the inbox. */
  async function welcomed(name: string) {
    const student = await registered(name);
    const welcome = await waitFor(
      async () => {
        const [first] = (await student.api.notifications.list()).items;
        expect(first?.kind).toBe('welcome');
        return first!;
      },
      { ...BUS, what: `${name}'s welcome notification` },
    );
    return { ...student, welcome };
  }

  /** A published free course: enrolling in it notifies the student. */
  async function freeCourse() {
    const instructor = await registered('Ines', 'instructor');
    const course = await instructor.api.education.createCourse({
      title: `Bee keeping ${randomUUID().slice(0, 6)}`,
      description: 'Hives through the seasons',
      priceCents: 0,
      currency: 'USD',
      skills: ['apiculture'],
    });
    await instructor.api.education.addLesson(course.id, { title: 'The hive', content: 'A colony has one queen.' });
    await instructor.api.education.publishCourse(course.id);
    return course;
  }

  /** Reads `stream` until `count` notifications arrived, within STREAM_LIMIT_MS (then it fails). */
  async function take(stream: AsyncGenerator<Notification, void, undefined>, count: number, what: string) {
    const got: Notification[] = [];
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`${what}: ${got.length} of ${count} notifications in ${STREAM_LIMIT_MS} ms`)),
        STREAM_LIMIT_MS,
      );
    });
    try {
      while (got.length < count) {
        const next = await Promise.race([stream.next(), timeout]);
        if (next.done) throw new Error(`${what}: the stream ended after ${got.length} of ${count}`);
        got.push(next.value);
      }
      return got;
    } finally {
      clearTimeout(timer);
    }
  }

  it('When a user registers through the gateway, then the welcome mail reaches the mail sink over SMTP with their name escaped', async () => {
    // Arrange
    const name = 'Ada <b>&"';

    // Act
    const user = await registered(name);

    // Assert: the admin reads the sink's mailbox through the gateway.
    const [summary] = await waitFor(
      async () => {
        const { items } = await admin.notifications.mailbox({ to: user.email });
        expect(items).toHaveLength(1);
        return items;
      },
      { ...BUS, what: 'the welcome mail' },
    );
    expect(summary!.to).toEqual([user.email]);
    expect(summary!.subject).toBe(`Welcome to Azora, ${name}`);
    const mail = await admin.notifications.mail(summary!.id);
    expect(mail.text).toContain(`Hi ${name},`);
    expect(mail.html).toContain('Welcome to Azora, Ada &lt;b&gt;&amp;&quot;!');
    expect(mail.html).not.toContain('<b>&"');
    const refused = await user.api.notifications.mailbox().catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(AzoraApiError);
    expect(refused).toMatchObject({ status: 403 });
  });

  it('When a student has read a newer notification, then the unread welcome is listed first; marking it read keeps its first readAt', async () => {
    // Arrange: the welcome, then an enrolment notification that the student reads.
    const student = await welcomed('Bea');
    expect(student.welcome).toMatchObject({ seq: 1, readAt: null });
    const course = await freeCourse();
    await student.api.education.enroll(course.id);
    const enrolment = await waitFor(
      async () => {
        const found = (await student.api.notifications.list()).items.find((n) => n.kind === 'enrollment');
        expect(found).toBeDefined();
        return found!;
      },
      { ...BUS, what: 'the enrolment notification' },
    );
    await student.api.notifications.markRead(enrolment.id);

    // Act
    const before = await student.api.notifications.list();
    const read = await student.api.notifications.markRead(student.welcome.id);
    const again = await student.api.notifications.markRead(student.welcome.id);
    const after = await student.api.notifications.list();

    // Assert
    expect(before.items.map((n) => [n.kind, n.readAt === null])).toEqual([
      ['welcome', true],
      ['enrollment', false],
    ]);
    expect(before.unreadCount).toBe(1);
    expect(read.readAt).toEqual(expect.any(String));
    expect(again.readAt).toBe(read.readAt);
    expect(after.unreadCount).toBe(0);
    expect(after.items.map((n) => n.kind)).toEqual(['enrollment', 'welcome']);
  });

  it("When another user looks for a student's welcome, then it is not in their inbox and marking it read is a 404", async () => {
    // Arrange
    const owner = await welcomed('Cyd');
    const other = await welcomed('Dov');

    // Act
    const theirs = await other.api.notifications.list();
    const refused = await other.api.notifications.markRead(owner.welcome.id).catch((e: unknown) => e);

    // Assert
    expect(theirs.items.map((n) => n.id)).toEqual([other.welcome.id]);
    expect(refused).toBeInstanceOf(AzoraApiError);
    expect(refused).toMatchObject({ status: 404 });
    expect((await owner.api.notifications.list()).items[0]).toMatchObject({ id: owner.welcome.id, readAt: null });
  });

  it('When a student enrols while following the stream, then the notification arrives on it; a second stream resumes after it without repeats', async () => {
    // Arrange: a page follows the stream from now on.
    const student = await welcomed('Eli');
    const [first, second, third] = [await freeCourse(), await freeCourse(), await freeCourse()];
    const tab = new AbortController();
    const live = student.api.notifications.stream({ signal: tab.signal });
    const opened = student.nextStreamOpen();
    const arriving = take(live, 1, 'the first stream');
    await Promise.race([opened, arriving]);

    // Act: enrol while the stream is open.
    await student.api.education.enroll(first.id);
    const [onFirstStream] = await arriving;
    tab.abort();
    await live.return();
    // Closed: a notification the page misses, then a page that resumes after the last it showed.
    await student.api.education.enroll(second.id);
    await waitFor(async () => expect((await student.api.notifications.list()).items).toHaveLength(3), {
      ...BUS,
      what: 'the missed notification',
    });
    const reopened = new AbortController();
    const resumed = student.api.notifications.stream({ lastEventId: onFirstStream!.seq, signal: reopened.signal });
    const missedAndNext = take(resumed, 2, 'the resumed stream');
    await student.api.education.enroll(third.id);
    const onSecondStream = await missedAndNext;
    reopened.abort();
    await resumed.return();

    // Assert
    expect(onFirstStream).toMatchObject({
      kind: 'enrollment',
      seq: 2,
      data: expect.objectContaining({ courseId: first.id }),
    });
    expect(onSecondStream.map((n) => [n.seq, n.data['courseId']])).toEqual([
      [3, second.id],
      [4, third.id],
    ]);
    const inbox = (await student.api.notifications.list()).items;
    expect(inbox.map((n) => n.seq)).toEqual([4, 3, 2, 1]);
  });
});
