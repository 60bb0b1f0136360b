// The daily token budget: per user per UTC day, reserved before the provider is called and
// settled after, under the day's row lock. Over budget is a 429 that says when it resets, and
// replies running at once can never spend more than the day allows together.
import request from 'supertest';
import { createGate } from './support/gate';
import { startAiFamily, type Harness } from './support/harness';
import type { OpenStream } from './support/sse';

const LIMIT = 20_000;

describe('the daily token budget', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startAiFamily({ provider: 'openai', settings: { dailyTokenBudget: LIMIT, maxReplyTokens: 800 } });
  });
  afterAll(() => h.close());

  async function spend(userId: string, used: number) {
    await h.pool.query(
      `INSERT INTO usage_budgets (user_id, day, used_tokens) VALUES ($1, $2, $3)
       ON CONFLICT (user_id, day) DO UPDATE SET used_tokens = EXCLUDED.used_tokens`,
      [userId, h.clock.now().toISOString().slice(0, 10), used],
    );
  }

  /** What one message of a fresh conversation reserves: read from a probe's reply row. */
  async function reservationOfOneMessage(): Promise<number> {
    h.openai!.script({ kind: 'reply', text: 'ok' });
    const probe = await h.user();
    const id = await h.conversation(probe, 'elara');
    await h.send(probe, id, 'Same question').expect(201);
    const { rows } = await h.pool.query(
      `SELECT reserved_tokens FROM messages WHERE conversation_id = $1 AND role = 'assistant'`,
      [id],
    );
    return rows[0].reserved_tokens as number;
  }

  it('When the day’s budget is used up, then a message is a 429 that says when it resets, and nothing is stored', async () => {
    const learner = await h.user();
    await spend(learner.id, LIMIT - 100);
    const id = await h.conversation(learner, 'elara');

    const res = await h.send(learner, id, 'One more?');

    expect(res.status).toBe(429);
    expect(res.body).toMatchObject({
      code: 'ai.budget_exceeded',
      limit: LIMIT,
      used: LIMIT - 100,
      resetsAt: '2026-03-03T00:00:00.000Z',
    });
    expect(Number(res.headers['retry-after'])).toBe(15 * 3600);
    const { rows } = await h.pool.query(`SELECT 1 FROM messages WHERE conversation_id = $1`, [id]);
    expect(rows).toEqual([]);
  });

  it('When the next UTC day begins, then the learner has a full budget again', async () => {
    const learner = await h.user();
    await spend(learner.id, LIMIT);
    const id = await h.conversation(learner, 'elara');
    h.openai!.script({ kind: 'reply', text: 'A new day.' });

    h.clock.set('2026-03-03T00:00:01.000Z');
    const res = await h.send(learner, id, 'Morning!');
    h.clock.set('2026-03-02T09:00:00.000Z');

    expect(res.status).toBe(201);
    const usage = await h.pool.query(
      `SELECT to_char(day, 'YYYY-MM-DD') AS day, used_tokens FROM usage_budgets WHERE user_id = $1 ORDER BY day`,
      [learner.id],
    );
    expect(usage.rows).toEqual([
      { day: '2026-03-02', used_tokens: LIMIT },
      { day: '2026-03-03', used_tokens: 18 },
    ]);
  });

  it('When two messages are sent at once with room for one, then one is answered and the other is a 429', async () => {
    const reservation = await reservationOfOneMessage();
    const learner = await h.user();
    await spend(learner.id, LIMIT - Math.floor(reservation * 1.5));
    const [first, second] = [await h.conversation(learner, 'elara'), await h.conversation(learner, 'elara')];
    const gate = createGate();
    h.openai!.script({ kind: 'chunks', chunks: ['held', ' reply'], gate: gate.wait });

    const [a, b] = (await Promise.all([first, second].map((id) => h.sendStreaming(learner, id, 'Same question')))) as [
      OpenStream,
      OpenStream,
    ];
    const statuses = [a.status, b.status].sort();
    const refused = a.status === 429 ? a : b;
    const problem = await refused.json();
    gate.openAll();
    await (a.status === 200 ? a : b).rest();

    expect(statuses).toEqual([200, 429]);
    expect(problem['code']).toBe('ai.budget_exceeded');
    const { rows } = await h.pool.query(`SELECT used_tokens, reserved_tokens FROM usage_budgets WHERE user_id = $1`, [
      learner.id,
    ]);
    expect(rows[0].reserved_tokens).toBe(0);
    expect(rows[0].used_tokens).toBeLessThanOrEqual(LIMIT);
  });

  it('When a learner reads their usage, then it shows the day, the limit, what is used, held and left', async () => {
    const learner = await h.user();
    await spend(learner.id, 1_234);

    const res = await request(h.app).get('/usage').set(learner.auth);

    expect(res.body).toEqual({
      day: '2026-03-02',
      limit: LIMIT,
      used: 1_234,
      reserved: 0,
      remaining: LIMIT - 1_234,
      resetsAt: '2026-03-03T00:00:00.000Z',
    });
  });
});
