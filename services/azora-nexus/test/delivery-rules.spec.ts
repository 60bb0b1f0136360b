import { SCAN_WINDOW, afterFailure, attemptWindow, positionAfter } from '../src/domain/delivery-attempt';
import { deliverySettings } from '../src/domain/settings';

const settings = deliverySettings({ batchSize: 10, maxAttempts: 3, backoffBaseMs: 100, backoffMaxMs: 1_000 });
const healthy = { attempts: 0, position: 40, isolateThrough: 0 };
const seqs = (...values: number[]) => values.map((seq) => ({ seq }));

describe('Delivery rules', () => {
  it('When a subscription is healthy, then an attempt looks at a batch after its position, bounded by the scan window', () => {
    expect(attemptWindow(healthy, 100, settings)).toEqual({ after: 40, upTo: 100, limit: 10 });
    expect(attemptWindow(healthy, 40 + SCAN_WINDOW + 5, settings).upTo).toBe(40 + SCAN_WINDOW);
  });

  it('When a failure is being isolated, then events go one at a time until past the batch that failed', () => {
    expect(attemptWindow({ ...healthy, attempts: 1 }, 100, settings).limit).toBe(1);
    expect(attemptWindow({ ...healthy, isolateThrough: 45 }, 100, settings).limit).toBe(1);
    expect(attemptWindow({ ...healthy, isolateThrough: 40 }, 100, settings).limit).toBe(10);
  });

  it('When a full batch is acknowledged, then the position moves to its last seq; a short one moves it to where the scan went', () => {
    const window = { after: 40, upTo: 100, limit: 3 };
    expect(positionAfter(window, { events: seqs(41, 50, 60), scannedThrough: 100 })).toBe(60);
    expect(positionAfter(window, { events: seqs(41, 50), scannedThrough: 100 })).toBe(100);
    expect(positionAfter(window, { events: [], scannedThrough: 100 })).toBe(100);
    // A scan that stopped short of the window's end (JetStream fetches one batch at a time).
    expect(positionAfter(window, { events: seqs(41), scannedThrough: 55 })).toBe(55);
  });

  it('When an attempt fails before the last allowed one, then a retry is scheduled from the clock after a back-off, isolating the batch', () => {
    const now = new Date('2026-03-01T12:00:00Z');
    const outcome = afterFailure({ subscription: { attempts: 1 }, sent: seqs(41, 42), settings, now }, () => 0.5);
    expect(outcome).toEqual({
      kind: 'retry',
      attempts: 2,
      delayMs: 100, // half of base * 2^1
      retryAt: new Date('2026-03-01T12:00:00.100Z'),
      isolateThrough: 42,
    });
  });

  it('When the head event alone fails its last allowed attempt, then it is dead-lettered', () => {
    const now = new Date('2026-03-01T12:00:00Z');
    expect(afterFailure({ subscription: { attempts: 2 }, sent: seqs(41), settings, now })).toEqual({
      kind: 'dead-letter',
      seq: 41,
      attempts: 3,
    });
  });

  it('When a batch of several fails past the maximum, then it is retried, not dead-lettered: only an isolated event is given up on', () => {
    const now = new Date('2026-03-01T12:00:00Z');
    expect(afterFailure({ subscription: { attempts: 5 }, sent: seqs(41, 42), settings, now }).kind).toBe('retry');
  });

  it('When the subscriber answers 503 (its own dependency is down), then the attempt does not count toward dead-lettering and the retry comes within a second', () => {
    const now = new Date('2026-03-01T12:00:00Z');
    const outcome = afterFailure(
      { subscription: { attempts: 2 }, sent: seqs(41), settings, now, unavailable: { retryAfterMs: 5_000 } },
      () => 1,
    );
    expect(outcome).toEqual({
      kind: 'retry',
      attempts: 2,
      delayMs: 1_000,
      retryAt: new Date('2026-03-01T12:00:01.000Z'),
      isolateThrough: 41,
    });
  });
});
