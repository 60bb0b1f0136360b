// Who may do what: anyone may track (signed in or not); admins, and users granted
// analytics:read, read reports and exports. Students, instructors and employers without the
// grant get 403, callers without a token 401, and a bad token is refused even on the public
// tracking route.
import request from 'supertest';
import type { UserRole } from '@azora/service-kit';
import { anEvent } from './support/events';
import { startAnalytics, type Harness } from './support/harness';

const READS: Array<[string, (r: request.Agent | ReturnType<typeof request>) => request.Test]> = [
  ['GET /active-users', (r) => r.get('/active-users?interval=day')],
  ['GET /events/counts', (r) => r.get('/events/counts?interval=hour')],
  ['POST /funnels', (r) => r.post('/funnels').send({ steps: ['A', 'B'], windowHours: 24 })],
  ['GET /retention', (r) => r.get('/retention?cohort=week')],
  ['GET /events/export', (r) => r.get('/events/export?from=2026-03-10&to=2026-03-11')],
];

describe('access', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startAnalytics({ at: '2026-03-11T12:00:00.000Z' });
  });
  afterAll(() => h.close());

  describe.each(READS)('%s', (_name, call) => {
    it.each<UserRole>(['student', 'instructor', 'employer'])(
      'When a %s asks, then 403 auth.forbidden',
      async (role) => {
        const user = await h.user(role);

        const res = await call(request(h.app)).set(user.auth);

        expect(res.status).toBe(403);
        expect(res.body.code).toBe('auth.forbidden');
      },
    );

    it('When nobody is signed in, then 401 auth.required', async () => {
      const res = await call(request(h.app));

      expect(res.status).toBe(401);
      expect(res.body.code).toBe('auth.required');
    });

    it('When an admin asks, then 200', async () => {
      const res = await call(request(h.app)).set((await h.admin()).auth);

      expect(res.status).toBe(200);
    });

    it.each<UserRole>(['student', 'employer'])('When a %s granted analytics:read asks, then 200', async (role) => {
      const reader = await h.user(role, ['analytics:read']);

      const res = await call(request(h.app)).set(reader.auth);

      expect(res.status).toBe(200);
    });
  });

  it('When a student tracks events, then they are accepted for the student', async () => {
    const student = await h.user('student');

    const res = await h.track([anEvent('Lesson Opened', '2026-03-11T11:00:00.000Z')], student);

    expect(res.status).toBe(202);
  });

  it('When a batch comes with a token that does not verify, then 401 and nothing is stored', async () => {
    const res = await request(h.app)
      .post('/track')
      .set('authorization', 'Bearer not-a-token')
      .send({ events: [anEvent('Forged', '2026-03-11T11:00:00.000Z', { anonymousId: 'v' })] });

    expect(res.status).toBe(401);
    const { rows } = await h.pool.query(`SELECT 1 FROM events WHERE name = 'Forged'`);
    expect(rows).toEqual([]);
  });
});
