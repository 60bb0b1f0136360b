// The in-app inbox: unread first then newest, page by page; read, unread again, read all; the
// unread count; and one user never sees or touches another's notifications.
import request from 'supertest';
import { startNotification, type Harness, type TestUser } from './support/harness';

describe('the in-app inbox', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startNotification();
  });
  afterAll(() => h.close());

  /** Gives the user `count` enrolment notifications, oldest first; returns their ids. */
  async function notifications(user: TestUser, count: number): Promise<string[]> {
    for (let i = 0; i < count; i++) {
      await h.deliver([h.event('education.enrollment.created', { courseId: crypto.randomUUID(), userId: user.id })]);
    }
    const res = await request(h.app).get(`/?limit=100`).set(user.auth);
    return (res.body.items as Array<{ id: string }>).map((n) => n.id).reverse();
  }

  it('When some are read, then the inbox lists the unread first, newest first within each group, page by page', async () => {
    // Arrange
    const user = await h.user();
    const [n1, n2, n3, n4, n5] = await notifications(user, 5);
    await request(h.app).post(`/${n2}/read`).set(user.auth);
    await request(h.app).post(`/${n4}/read`).set(user.auth);

    // Act
    const pages: Array<{ items: Array<{ id: string }>; unreadCount: number; nextCursor: string | null }> = [];
    let cursor: string | null = null;
    do {
      const res: request.Response = await request(h.app)
        .get(`/?limit=2${cursor ? `&cursor=${cursor}` : ''}`)
        .set(user.auth);
      pages.push(res.body);
      cursor = res.body.nextCursor;
    } while (cursor);

    // Assert
    expect(pages.flatMap((p) => p.items.map((n) => n.id))).toEqual([n5, n3, n1, n4, n2]);
    expect(pages.map((p) => p.items.length)).toEqual([2, 2, 1]);
    expect(pages.every((p) => p.unreadCount === 3)).toBe(true);
  });

  it('When only unread ones are asked for, then read ones are left out', async () => {
    const user = await h.user();
    const [n1, n2] = await notifications(user, 2);
    await request(h.app).post(`/${n1}/read`).set(user.auth);

    const res = await request(h.app).get('/?unread=true').set(user.auth);

    expect(res.body.items.map((n: { id: string }) => n.id)).toEqual([n2]);
  });

  it('When a notification is read twice, then it keeps its first read time; unread clears it', async () => {
    const user = await h.user();
    const [n1] = await notifications(user, 1);

    const first = await request(h.app).post(`/${n1}/read`).set(user.auth);
    h.clock.advance(60_000);
    const again = await request(h.app).post(`/${n1}/read`).set(user.auth);
    const unread = await request(h.app).post(`/${n1}/unread`).set(user.auth);
    const count = await request(h.app).get('/unread-count').set(user.auth);

    expect(first.status).toBe(200);
    expect(first.body.readAt).not.toBeNull();
    expect(again.body.readAt).toBe(first.body.readAt);
    expect(unread.body.readAt).toBeNull();
    expect(count.body).toEqual({ unread: 1 });
  });

  it('When a user reads all, then every one of theirs is read and nobody else’s changes', async () => {
    const user = await h.user();
    const other = await h.user();
    await notifications(user, 3);
    await notifications(other, 2);

    const res = await request(h.app).post('/read-all').set(user.auth);

    expect(res.body).toEqual({ marked: 3, unread: 0 });
    expect((await request(h.app).get('/unread-count').set(other.auth)).body).toEqual({ unread: 2 });
  });

  it('When a user names another user’s notification, then it is 404 and unchanged, and their inbox never lists it', async () => {
    const owner = await h.user();
    const intruder = await h.user();
    const [theirs] = await notifications(owner, 1);

    const read = await request(h.app).post(`/${theirs}/read`).set(intruder.auth);
    const inbox = await request(h.app).get('/').set(intruder.auth);
    const ownerView = await request(h.app).get('/').set(owner.auth);

    expect(read.status).toBe(404);
    expect(read.body.code).toBe('notification.not_found');
    expect(inbox.body).toEqual({ items: [], nextCursor: null, unreadCount: 0 });
    expect(ownerView.body.items[0]).toMatchObject({ id: theirs, readAt: null });
  });

  it('When input is hostile, then the answer is a 400 naming the field and nothing changes', async () => {
    const user = await h.user();
    await notifications(user, 1);

    const badId = await request(h.app).post('/not-a-uuid/read').set(user.auth);
    const badCursor = await request(h.app).get('/?cursor=garbage').set(user.auth);
    const badLimit = await request(h.app).get('/?limit=1000').set(user.auth);
    const badUnread = await request(h.app).get('/?unread=yes').set(user.auth);
    const arrayLimit = await request(h.app).get('/?limit[]=1').set(user.auth);

    expect(badId.status).toBe(400);
    expect(badId.body.issues[0].path).toBe('params.id');
    expect(badCursor.status).toBe(400);
    expect(badCursor.body.code).toBe('request.invalid_cursor');
    expect(badLimit.status).toBe(400);
    expect(badUnread.status).toBe(400);
    expect(arrayLimit.status).toBe(400);
    expect((await request(h.app).get('/unread-count').set(user.auth)).body).toEqual({ unread: 1 });
  });

  it('When nobody is signed in, then the inbox answers 401', async () => {
    expect((await request(h.app).get('/')).status).toBe(401);
    expect((await request(h.app).post('/read-all')).status).toBe(401);
  });
});
