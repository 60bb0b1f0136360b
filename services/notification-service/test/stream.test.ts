// GET /stream: each new in-app notification is pushed to the user's open tabs as it is stored,
// a tab resumes from Last-Event-ID, and no one hears another user's notifications.
import request from 'supertest';
import { waitFor } from '@azora/testing';
import { openStream } from './support/sse';
import { startNotification, type Harness, type TestUser } from './support/harness';

describe('the notification stream', () => {
  let h: Harness;
  let base: string;
  beforeAll(async () => {
    h = await startNotification();
    base = await h.url();
  });
  afterAll(() => h.close());

  const enrol = (user: TestUser) =>
    h.deliver([h.event('education.enrollment.created', { courseId: crypto.randomUUID(), userId: user.id })]);

  it('When a notification is stored, then every open tab of its user receives it, and only theirs', async () => {
    // Arrange
    const alice = await h.user();
    const bob = await h.user();
    const aliceTab1 = await openStream(`${base}/stream`, alice.auth);
    const aliceTab2 = await openStream(`${base}/stream`, alice.auth);
    const bobTab = await openStream(`${base}/stream`, bob.auth);

    try {
      // Act
      await enrol(bob);
      await enrol(alice);

      // Assert
      expect(aliceTab1.status).toBe(200);
      expect(aliceTab1.contentType).toMatch(/^text\/event-stream/);
      const [a1, a2, b] = await Promise.all([aliceTab1.next(), aliceTab2.next(), bobTab.next()]);
      expect(a1.event).toBe('notification');
      expect(a1.id).toBe('1');
      expect(JSON.parse(a1.data ?? '{}')).toMatchObject({ kind: 'enrollment', seq: 1, readAt: null });
      expect(a2.data).toBe(a1.data);
      expect(JSON.parse(b.data ?? '{}').id).not.toBe(JSON.parse(a1.data ?? '{}').id);
      // Bob's tab got Bob's one: the next one it sees is Bob's second, not Alice's.
      await enrol(bob);
      expect(JSON.parse((await bobTab.next()).data ?? '{}').seq).toBe(2);
      const bobInbox = await request(h.app).get('/').set(bob.auth);
      expect(bobInbox.body.items.map((n: { id: string }) => n.id)).not.toContain(JSON.parse(a1.data ?? '{}').id);
    } finally {
      for (const tab of [aliceTab1, aliceTab2, bobTab]) tab.close();
    }
  });

  it('When a tab reconnects with Last-Event-ID, then it receives what it missed, in order, then what is new', async () => {
    // Arrange
    const user = await h.user();
    for (let i = 0; i < 3; i++) await enrol(user);

    // Act
    const tab = await openStream(`${base}/stream`, { ...user.auth, 'last-event-id': '1' });
    try {
      const missed = [await tab.next(), await tab.next()];
      await enrol(user);
      const fresh = await tab.next();

      // Assert
      expect(missed.map((f) => f.id)).toEqual(['2', '3']);
      expect(fresh.id).toBe('4');
    } finally {
      tab.close();
    }
  });

  it('When a tab opens without Last-Event-ID, then it starts from now on', async () => {
    const user = await h.user();
    await enrol(user);

    const tab = await openStream(`${base}/stream`, user.auth);
    try {
      await enrol(user);
      expect((await tab.next()).id).toBe('2');
    } finally {
      tab.close();
    }
  });

  it('When another instance stores a notification, then the open tab receives it on its next look', async () => {
    const user = await h.user();
    const tab = await openStream(`${base}/stream`, user.auth);
    try {
      // The other instance commits without this process hearing of it: only the timer finds it.
      const other = h.anotherInstance();
      await other.deliver([
        h.event('education.enrollment.created', { courseId: crypto.randomUUID(), userId: user.id }),
      ]);
      expect((await tab.next()).id).toBe('1');
    } finally {
      tab.close();
    }
  });

  it('When nobody is signed in, then the stream answers 401 and a bad Last-Event-ID 400', async () => {
    const user = await h.user();
    const anonymous = await openStream(`${base}/stream`);
    const bad = await openStream(`${base}/stream`, { ...user.auth, 'last-event-id': 'abc' });
    expect(anonymous.status).toBe(401);
    expect(bad.status).toBe(400);
    anonymous.close();
    bad.close();
  });

  it('When a tab closes, then its stream stops following', async () => {
    const user = await h.user();
    const before = h.service.hub.size;
    const tab = await openStream(`${base}/stream`, user.auth);
    await waitFor(() => expect(h.service.hub.size).toBe(before + 1));

    tab.close();

    await waitFor(() => expect(h.service.hub.size).toBe(before), { what: 'the closed stream to be forgotten' });
  });
});
