import request from 'supertest';
import { startGateway, type TestGateway } from './support/gateway';

describe('The administrator from ADMIN_EMAIL and ADMIN_PASSWORD', () => {
  let gateway: TestGateway;
  const admin = { email: 'root@azora.test', password: 'admin-password-1', name: 'Root' };

  beforeAll(async () => {
    gateway = await startGateway();
  });

  afterAll(async () => {
    await gateway.close();
  });

  it('When the gateway starts with an administrator configured, then that account exists as admin, can log in, and was announced', async () => {
    const created = await gateway.identity.ensureAdmin(admin);

    const login = await request(gateway.url)
      .post('/api/auth/login')
      .send({ email: admin.email, password: admin.password });
    const events = await gateway.pool.query(
      `SELECT data FROM outbox WHERE subject = $1 AND type = 'identity.user.registered'`,
      [created.id],
    );

    expect(login.status).toBe(200);
    expect(login.body.user).toMatchObject({ email: admin.email, role: 'admin' });
    expect(events.rows).toEqual([{ data: { userId: created.id, email: admin.email, name: 'Root', role: 'admin' } }]);
  });

  it('When the gateway starts again, then the administrator is not duplicated; a changed password takes effect', async () => {
    const first = await gateway.identity.ensureAdmin(admin);

    const again = await gateway.identity.ensureAdmin({ ...admin, password: 'a-new-password-2' });
    const oldLogin = await request(gateway.url)
      .post('/api/auth/login')
      .send({ email: admin.email, password: admin.password });
    const newLogin = await request(gateway.url)
      .post('/api/auth/login')
      .send({ email: admin.email, password: 'a-new-password-2' });

    expect(again.id).toBe(first.id);
    expect(oldLogin.status).toBe(401);
    expect(newLogin.status).toBe(200);
    const { rows } = await gateway.pool.query(`SELECT count(*)::int AS n FROM users WHERE email = $1`, [admin.email]);
    expect(rows[0].n).toBe(1);
  });

  it('When the configured address already belongs to a registered user, then it becomes the admin and that user’s sessions end', async () => {
    const email = `early-${Date.now()}@azora.test`;
    const squatter = await request(gateway.url)
      .post('/api/auth/register')
      .send({ email, password: 'correct-horse-42', name: 'Early', role: 'student' });

    const promoted = await gateway.identity.ensureAdmin({ email, password: 'admin-password-9', name: 'Root' });
    const refresh = await request(gateway.url)
      .post('/api/auth/refresh')
      .send({ refreshToken: squatter.body.refreshToken });
    const oldPassword = await request(gateway.url)
      .post('/api/auth/login')
      .send({ email, password: 'correct-horse-42' });

    expect(promoted).toMatchObject({ id: squatter.body.user.id, role: 'admin' });
    expect(refresh.status).toBe(401);
    expect(oldPassword.status).toBe(401);
  });

  it('When someone registers the administrator’s email, then 409', async () => {
    await gateway.identity.ensureAdmin(admin);

    const res = await request(gateway.url)
      .post('/api/auth/register')
      .send({ email: admin.email.toUpperCase(), password: 'correct-horse-42', name: 'Mallory', role: 'student' });

    expect(res.status).toBe(409);
  });
});
