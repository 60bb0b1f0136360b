import { createCircuitBreaker, type Admission, type Attempt } from '../src/domain/circuit-breaker';

const breaker = (failureThreshold = 2) => createCircuitBreaker({ failureThreshold, retryAfterMs: 500 });

function attemptOf(admission: Admission): Attempt {
  if (!admission.admitted) throw new Error('expected the request to be admitted');
  return admission.attempt;
}

describe('Circuit breaker', () => {
  it('When failures of the service reach the threshold in a row, then the circuit opens and refuses with Retry-After', () => {
    const circuit = breaker(2);

    attemptOf(circuit.admit()).failed();
    attemptOf(circuit.admit()).failed();

    expect(circuit.state()).toBe('open');
    expect(circuit.admit()).toEqual({ admitted: false, retryAfterMs: 500 });
  });

  it('When a success comes between failures, then the count starts over', () => {
    const circuit = breaker(2);

    attemptOf(circuit.admit()).failed();
    attemptOf(circuit.admit()).succeeded();
    attemptOf(circuit.admit()).failed();

    expect(circuit.state()).toBe('closed');
  });

  it('When attempts are abandoned (a client stalled, left or sent too much), then they count for nothing', () => {
    const circuit = breaker(1);

    for (let i = 0; i < 10; i++) attemptOf(circuit.admit()).abandon();

    expect(circuit.state()).toBe('closed');
  });

  it('When an open circuit stays unready, then no request is let through to test it, however long it waits', () => {
    const circuit = breaker(1);
    attemptOf(circuit.admit()).failed();

    const admissions = Array.from({ length: 100 }, () => circuit.admit());

    expect(admissions.every((a) => !a.admitted)).toBe(true);
  });

  it('When the service reports ready, then requests flow again: the first success closes, a failure re-opens', () => {
    const recovering = breaker(5);
    for (let i = 0; i < 5; i++) attemptOf(recovering.admit()).failed();
    const relapsing = breaker(5);
    for (let i = 0; i < 5; i++) attemptOf(relapsing.admit()).failed();

    recovering.ready();
    relapsing.ready();
    const [first, second] = [attemptOf(recovering.admit()), attemptOf(recovering.admit())];
    first.abandon();
    second.succeeded();
    attemptOf(relapsing.admit()).failed();

    expect(recovering.state()).toBe('closed');
    expect(relapsing.state()).toBe('open');
  });

  it('When a settled attempt reports again, then the second report is ignored', () => {
    const circuit = breaker(2);
    const attempt = attemptOf(circuit.admit());

    attempt.failed();
    attempt.failed();

    expect(circuit.state()).toBe('closed');
  });
});
