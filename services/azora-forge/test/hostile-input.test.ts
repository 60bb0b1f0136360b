// Hostile input is normal input: every bad path, query or body is a 400 problem naming the field,
// never a 500, and nothing is written.
import request from 'supertest';
import { startForge, type Harness } from './support/harness';

describe('hostile input', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startForge();
  });
  afterAll(() => h.close());

  it.each([
    ['get', '/jobs/not-a-uuid', 'params.id'],
    ['get', '/jobs?limit=0', 'query.limit'],
    ['get', '/jobs?limit=101', 'query.limit'],
    ['get', '/jobs?skill=' + 'x'.repeat(65), 'query.skill'],
    ['get', '/jobs?q=' + 'q'.repeat(201), 'query.q'],
    ['get', '/jobs?cursor=%00', 'query.cursor'],
    ['get', '/me/jobs?status=lost', 'query.status'],
    ['get', '/applications/1', 'params.id'],
    ['post', '/jobs/1/close', 'params.id'],
    ['post', '/employers/x/verification', 'params.userId'],
  ])('When %s %s is asked, then 400 names %s', async (method, path, field) => {
    const admin = await h.admin();

    const res = await (
      method === 'get' ? request(h.app).get(path) : request(h.app).post(path).send({ verified: true })
    ).set(admin.auth);

    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body.issues.map((i: { path: string }) => i.path)).toContain(field);
  });

  it.each([
    ['an array', []],
    ['a cover letter of spaces', { coverLetter: '   ' }],
    ['a cover letter too long', { coverLetter: 'x'.repeat(5_001) }],
    ['a number', { coverLetter: 7 }],
  ])('When an application body is %s, then 400 and no application exists', async (_what, body) => {
    const student = await h.user();

    const res = await request(h.app).post(`/jobs/${crypto.randomUUID()}/applications`).set(student.auth).send(body);

    expect(res.status).toBe(400);
    const { rows } = await h.pool.query('SELECT count(*)::int AS n FROM applications WHERE user_id = $1', [student.id]);
    expect(rows[0].n).toBe(0);
  });

  it('When the JSON is malformed, then 400 request.malformed_json', async () => {
    const employer = await h.employer();

    const res = await request(h.app)
      .post('/jobs')
      .set(employer.auth)
      .set('content-type', 'application/json')
      .send('{"title":');

    expect(res.status).toBe(400);
    expect(res.body.code).toBe('request.malformed_json');
  });
});
