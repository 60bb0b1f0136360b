// The fast check of /track bodies against the contract's schema: on thousands of seeded random
// bodies, good and bad in every field, the route's body schema answers exactly what the contract
// answers (the same events, or the same issues), and the fast check never accepts what the
// contract refuses.
import { EventTimestamp, trackRequestWith } from '@azora/contracts';
import { fixedClock } from '@azora/service-kit';
import { z } from 'zod';
import { analyticsSettings, timestampProblem } from '../src/domain/settings';
import { trackBody } from '../src/routes/track';
import { acceptedTrackBody } from '../src/routes/track-body';
import { seededRandom } from './support/random';

const NOW = '2026-03-11T12:00:00.000Z';
const ctx = { settings: analyticsSettings({ maxEventAgeDays: 30, maxClockSkewSeconds: 600 }), clock: fixedClock(NOW) };
const contract = trackRequestWith(
  EventTimestamp.superRefine((value, issue) => {
    const problem = timestampProblem(ctx.settings, new Date(value), ctx.clock.now());
    if (problem) issue.addIssue({ code: 'custom', message: problem });
  }),
);
const routeBody = trackBody(ctx);
const window = (at: string) => timestampProblem(ctx.settings, new Date(at), ctx.clock.now());

/** Seeded draws, so a failure can be replayed. */
function random(seed: number) {
  const next = seededRandom(seed);
  return { next, pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T };
}

const ABSENT = Symbol('absent');
const IDS = [
  ABSENT,
  '6f0c2b8e-1d3a-4e5f-9a7b-2c4d6e8f0a1b',
  '6F0C2B8E-1D3A-4E5F-9A7B-2C4D6E8F0A1B',
  'not-a-uuid',
  42,
  null,
];
const NAMES = [
  'Course Viewed',
  'signup.started',
  'a',
  'A'.repeat(64),
  'A'.repeat(65),
  '9 lives',
  'Trailing ',
  'NULL',
  'education.course.completed',
  'Nul\u0000Name',
  7,
];
const TIMESTAMPS = [
  '2026-03-11T11:00:00.000Z',
  '2026-03-11T13:00:00+02:00',
  '2026-03-11T12:09:59Z',
  '2026-03-11T12:10:01Z',
  '2026-02-09T11:59:59Z',
  '2026-02-10T12:00:00Z',
  '2026-03-11',
  '2026-03-11T11:00:00',
  'yesterday',
  '2026-02-30T00:00:00Z',
  1_773_230_400_000,
  ABSENT,
];
const VISITORS = [
  ABSENT,
  'visitor-1',
  '',
  'v'.repeat(128),
  'v'.repeat(129),
  'tab\there "quoted" \\ back',
  'nul\u0000',
  5,
  null,
];
const VALUES = [
  'x',
  '',
  'é'.repeat(1024),
  'y'.repeat(1025),
  '😀'.repeat(512),
  '\ud800lone',
  'nul\u0000',
  0,
  -1.5e-300,
  true,
  false,
  null,
  { nested: 1 },
  [1],
];
const KEYS = ['path', 'plan', 'k'.repeat(64), 'k'.repeat(65), '', '__proto__', 'constructor', 'n\u0000l', 'ключ'];

function properties(r: ReturnType<typeof random>): unknown {
  const shape = r.next();
  if (shape < 0.1) return ABSENT;
  if (shape < 0.13) return r.pick([null, [], 'flat', 3]);
  const out: Record<string, unknown> = {};
  const count = shape < 0.16 ? 51 : shape < 0.2 ? 45 : Math.floor(r.next() * 5);
  for (let i = 0; i < count; i++) {
    // Wide values near the byte limit: 4 x 1,000 two-byte characters and more.
    const key = r.next() < 0.7 ? `p${i}` : r.pick(KEYS);
    const value = count > 40 ? 'z'.repeat(Math.floor(r.next() * 120)) : r.pick(VALUES);
    Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

function anEvent(r: ReturnType<typeof random>, bad: number): Record<string, unknown> {
  const good = r.next() > bad;
  const event: Record<string, unknown> = {};
  const set = (key: string, value: unknown) => value !== ABSENT && (event[key] = value);
  set('id', good ? IDS[1] : r.pick(IDS));
  set('name', good ? r.pick(NAMES.slice(0, 4)) : r.pick(NAMES));
  set('timestamp', good ? r.pick(TIMESTAMPS.slice(0, 3)) : r.pick(TIMESTAMPS));
  set('anonymousId', good ? r.pick([ABSENT, 'visitor-1', 'v'.repeat(128)]) : r.pick(VISITORS));
  set(
    'properties',
    good ? r.pick([ABSENT, {}, { path: '/courses/1', plan: 'free', step: 3, ok: true, none: null }]) : properties(r),
  );
  if (!good && r.next() < 0.05) event['userId'] = 'someone';
  return event;
}

/** A body as JSON.parse would make it from what a client sent. */
function aBody(r: ReturnType<typeof random>): unknown {
  const shape = r.next();
  if (shape < 0.02) return r.pick([null, [], 'events', { events: 'x' }, { events: [], extra: 1 }, {}]);
  const size = shape < 0.03 ? 1001 : shape < 0.05 ? 0 : 1 + Math.floor(r.next() * 12);
  const bad = shape < 0.45 ? 0 : r.next() * 0.3;
  const body: Record<string, unknown> = { events: Array.from({ length: size }, () => anEvent(r, bad)) };
  if (r.next() < 0.02) body['sentAt'] = NOW;
  return JSON.parse(JSON.stringify(body));
}

const issuesOf = (error: { issues: ReadonlyArray<{ path: PropertyKey[]; code: string; message: string }> }) =>
  error.issues.map(({ path, code, message }) => ({ path: path.map(String), code, message }));

describe('the fast check of /track bodies', () => {
  it('When thousands of random bodies are checked, then the route answers exactly what the contract answers', () => {
    const r = random(20260311);
    let accepted = 0;
    let refused = 0;
    for (let i = 0; i < 2000; i++) {
      const body = aBody(r);

      const expected = contract.safeParse(body);
      const actual = routeBody.safeParse(body);

      expect(actual.success).toBe(expected.success);
      if (expected.success && actual.success) {
        expect(actual.data).toEqual(expected.data);
        accepted++;
      } else if (!expected.success && !actual.success) {
        expect(issuesOf(actual.error)).toEqual(issuesOf(expected.error));
        refused++;
      }
    }
    expect(accepted).toBeGreaterThan(600);
    expect(refused).toBeGreaterThan(600);
  });

  it('When the fast check accepts a body, then the contract accepts it with the same events', () => {
    const r = random(7);
    let fast = 0;
    for (let i = 0; i < 2000; i++) {
      const body = aBody(r);

      const events = acceptedTrackBody(body, window);

      if (events === undefined) continue;
      fast++;
      const expected = contract.safeParse(body);
      expect(expected.success).toBe(true);
      expect({ events }).toEqual(expected.data);
    }
    expect(fast).toBeGreaterThan(600);
  });

  it('When properties come close to the byte limit in multi-byte characters, then the limit is the contract’s to the byte', () => {
    // {"a":"é…","b":"😀…","c":"x…"}: é is 2 bytes, 😀 4; 2,070 bytes around the emoji and the x's.
    const sized = (xs: number) => ({
      events: [
        { name: 'Wide', timestamp: NOW, properties: { a: 'é'.repeat(1024), b: '😀'.repeat(500), c: 'x'.repeat(xs) } },
      ],
    });

    const atLimit = routeBody.safeParse(sized(26));
    const over = routeBody.safeParse(sized(27));

    expect([atLimit.success, over.success]).toEqual([true, false]);
    expect([contract.safeParse(sized(26)).success, contract.safeParse(sized(27)).success]).toEqual([true, false]);
  });

  it('When the route’s body is documented, then the OpenAPI schema is the contract’s request', () => {
    const doc = (schema: z.ZodType) => z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });

    expect(doc(routeBody)).toEqual(doc(contract));
  });
});
