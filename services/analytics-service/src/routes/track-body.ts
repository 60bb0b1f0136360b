// The body of POST /track, checked fast. The contract's schema spends most of a batch's CPU on
// the events' properties (a record, then a refinement that serialises them); this check does the
// same work in a plain loop. It only ever accepts: whatever it is not sure of (anything the
// contract refuses, or anything unusual) goes to the contract's schema, which names every
// problem. So what is accepted, and every issue of what is refused, stay the contract's. Text
// with a NUL character never gets here: the service kit refuses it before any schema runs.
import { EventTimestamp, TRACK_LIMITS, TrackedEvent, TrackedEventName } from '@azora/contracts';
import type { ParsedTrackedEvent } from '../domain/incoming-events';

const EVENT_KEYS = new Set(['id', 'name', 'properties', 'timestamp', 'anonymousId']);
const { id: IdSchema, anonymousId: AnonymousIdSchema } = TrackedEvent.shape;

/** Serialised, a UTF-16 unit takes at most 6 UTF-8 bytes (`\u001f`); a number at most 24 characters. */
const MAX_BYTES_PER_UNIT = 6;
const MAX_NUMBER_CHARS = 24;

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;

/** `valid`, remembering each distinct value's answer (a batch repeats its names and visitors). */
function remembered(valid: (value: string) => boolean): (value: string) => boolean {
  const known = new Map<string, boolean>();
  return (value) => {
    let answer = known.get(value);
    if (answer === undefined) known.set(value, (answer = valid(value)));
    return answer;
  };
}

/**
 * Whether the contract's EventProperties accepts `properties` as they are (a flat object within
 * the limits); false also for what it would accept differently (a `__proto__` key).
 */
function flatPropertiesWithinLimits(properties: Record<string, unknown>): boolean {
  let keys = 0;
  let bytesAtMost = 2;
  for (const key of Object.keys(properties)) {
    keys++;
    if (key.length === 0 || key.length > TRACK_LIMITS.propertyKeyLength || key === '__proto__') return false;
    const value = properties[key];
    let valueBytes: number;
    if (typeof value === 'string') {
      if (value.length > TRACK_LIMITS.propertyStringLength) return false;
      valueBytes = MAX_BYTES_PER_UNIT * value.length + 2;
    } else if (typeof value === 'number') valueBytes = MAX_NUMBER_CHARS;
    else if (typeof value === 'boolean' || value === null) valueBytes = 5;
    else return false;
    bytesAtMost += MAX_BYTES_PER_UNIT * key.length + 4 + valueBytes;
  }
  if (keys > TRACK_LIMITS.properties) return false;
  // JSON.stringify never leaves a lone surrogate, so its UTF-8 length is the contract's count.
  return (
    bytesAtMost <= TRACK_LIMITS.propertiesBytes ||
    Buffer.byteLength(JSON.stringify(properties), 'utf8') <= TRACK_LIMITS.propertiesBytes
  );
}

/**
 * The events of a /track body, when the contract accepts it as it is and every timestamp passes
 * `timestampProblem`; undefined otherwise (the caller then asks the contract's schema why).
 */
export function acceptedTrackBody(
  body: unknown,
  timestampProblem: (timestamp: string) => string | null,
): ParsedTrackedEvent[] | undefined {
  if (!isPlainObject(body)) return undefined;
  const keys = Object.keys(body);
  const events = body['events'];
  if (keys.length !== 1 || !Array.isArray(events)) return undefined;
  if (events.length === 0 || events.length > TRACK_LIMITS.eventsPerBatch) return undefined;
  const validName = remembered((name) => TrackedEventName.safeParse(name).success);
  const validVisitor = remembered((id) => AnonymousIdSchema.safeParse(id).success);
  const accepted: ParsedTrackedEvent[] = new Array(events.length);
  for (let i = 0; i < events.length; i++) {
    const event: unknown = events[i];
    if (!isPlainObject(event)) return undefined;
    for (const key of Object.keys(event)) if (!EVENT_KEYS.has(key)) return undefined;
    const { id, name, properties = {}, timestamp, anonymousId } = event;
    if (id !== undefined && (typeof id !== 'string' || !IdSchema.safeParse(id).success)) return undefined;
    if (typeof name !== 'string' || !validName(name)) return undefined;
    if (typeof timestamp !== 'string' || !EventTimestamp.safeParse(timestamp).success) return undefined;
    if (timestampProblem(timestamp) !== null) return undefined;
    if (anonymousId !== undefined && (typeof anonymousId !== 'string' || !validVisitor(anonymousId))) return undefined;
    if (!isPlainObject(properties) || !flatPropertiesWithinLimits(properties)) return undefined;
    accepted[i] = { id, name, properties, timestamp, anonymousId };
  }
  return accepted;
}
