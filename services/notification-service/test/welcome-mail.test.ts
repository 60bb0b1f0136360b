// Registration to inbox: identity.user.registered makes a welcome notification, whose mail goes
// over real SMTP to the embedded sink and is read back through the admins' mailbox.
import request from 'supertest';
import { emailOf, startNotification, type Harness } from './support/harness';

describe('the welcome mail', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startNotification();
  });
  afterAll(() => h.close());

  it('When a user registers, then the welcome mail arrives over SMTP for their address with their name escaped', async () => {
    // Arrange
    const user = await h.user();
    const admin = await h.admin();
    const name = `Ada <script>alert("x")</script> & Co`;

    // Act
    await h.register(user, { name });
    const attempts = await h.drain();

    // Assert
    expect(attempts).toBe(1);
    const list = await request(h.app)
      .get(`/mailbox?to=${encodeURIComponent(emailOf(user))}`)
      .set(admin.auth);
    expect(list.status).toBe(200);
    expect(list.body.items).toHaveLength(1);
    expect(list.body.items[0]).toMatchObject({ to: [emailOf(user)], from: 'no-reply@azora.test' });
    const mail = await request(h.app)
      .get(`/mailbox/${list.body.items[0].id as string}`)
      .set(admin.auth);
    expect(mail.status).toBe(200);
    expect(mail.body.subject).toBe(`Welcome to Azora, ${name}`);
    expect(mail.body.text).toContain(`Hi ${name},`);
    expect(mail.body.html).toContain('Ada &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co');
    expect(mail.body.html).not.toContain('<script>');
  });

  it('When a user registers, then their inbox holds the welcome notification and the bus hears of both deliveries', async () => {
    const user = await h.user();
    await h.register(user, { name: 'Grace' });
    await h.drain();

    const inbox = await request(h.app).get('/').set(user.auth);

    expect(inbox.status).toBe(200);
    expect(inbox.body).toMatchObject({ unreadCount: 1, nextCursor: null });
    expect(inbox.body.items).toEqual([
      expect.objectContaining({ kind: 'welcome', title: 'Welcome to Azora, Grace!', seq: 1, readAt: null }),
    ]);
    const notificationId = inbox.body.items[0].id as string;
    const delivered = (await h.outbox('notification.delivered')).filter((e) => e.subject === user.id);
    expect(delivered.map((e) => e.data)).toEqual([
      { notificationId, channel: 'in_app', userId: user.id },
      { notificationId, channel: 'email', userId: user.id },
    ]);
  });

  it('When a name carries line breaks, then the subject stays one line', async () => {
    const user = await h.user();
    const admin = await h.admin();
    await h.register(user, { name: 'Eve\r\nBcc: victim@example.test' });
    await h.drain();

    const list = await request(h.app)
      .get(`/mailbox?to=${encodeURIComponent(emailOf(user))}`)
      .set(admin.auth);
    const mail = await request(h.app)
      .get(`/mailbox/${list.body.items[0].id as string}`)
      .set(admin.auth);

    expect(mail.body.subject).toBe('Welcome to Azora, Eve Bcc: victim@example.test');
    expect(mail.body.to).toEqual([emailOf(user)]);
  });

  it('When mail has gone out, then /metrics counts the notification, the deliveries and the attempts', async () => {
    const user = await h.user();
    await h.register(user);
    await h.drain();

    const res = await request(h.app).get('/metrics');

    expect(res.status).toBe(200);
    expect(res.text).toMatch(/notification_notifications_created_total\{[^}]*kind="welcome"[^}]*\} [1-9]/);
    expect(res.text).toMatch(
      /notification_deliveries_total\{[^}]*channel="email"[^}]*outcome="delivered"[^}]*\} [1-9]/,
    );
    expect(res.text).toMatch(
      /notification_delivery_attempts_total\{[^}]*channel="email"[^}]*result="delivered"[^}]*\} [1-9]/,
    );
    expect(res.text).toMatch(/notification_delivery_queue_depth\{[^}]*channel="email"[^}]*\} 0/);
  });

  it('When the OpenAPI document is read, then it lists the public routes with their access', async () => {
    const res = await request(h.app).get('/openapi.json');

    expect(Object.keys(res.body.paths)).toEqual(
      expect.arrayContaining([
        '/',
        '/{id}/read',
        '/read-all',
        '/stream',
        '/preferences',
        '/push-subscriptions',
        '/mailbox',
      ]),
    );
    expect(res.body.paths['/mailbox'].get['x-roles']).toEqual(['admin']);
    expect(res.body.paths['/push/public-key'].get.security).toEqual([]);
  });
});
