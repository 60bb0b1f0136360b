// What `npm start` says when a process it supervises exits on its own, comes back, or is given
// up on: one paragraph a person can act on, and the same event as a JSON line for tools.
import type { Ending } from './processes';
import { DATABASE_NAME } from './supervision';
import type { SupervisionEvent } from './supervisor';

const seconds = (ms: number) => `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;

function how(ending: Ending): string {
  if (ending.signal) return `on signal ${ending.signal}`;
  return ending.code === null ? 'before it started' : `with code ${ending.code}`;
}

/** PostgreSQL's own line prefix: time and the pid of the backend that wrote it. */
const POSTGRES_PREFIX = /^\d{4}-\d\d-\d\d [\d:.]+ \S+ \[\d+\] /;

/** The lines, a run of the same message (each dying connection says it once) said once. */
function tail(lines: readonly string[]): string {
  if (lines.length === 0) return '    (it wrote nothing)';
  const out: string[] = [];
  let previous: string | undefined;
  let repeats = 0;
  const flush = () => {
    if (repeats > 0) out.push(`    (${repeats} more like the line above)`);
    repeats = 0;
  };
  for (const line of lines) {
    const message = line.replace(POSTGRES_PREFIX, '');
    if (message === previous) {
      repeats += 1;
      continue;
    }
    flush();
    out.push(`    ${line}`);
    previous = message;
  }
  flush();
  return out.join('\n');
}

export function describeSupervisionEvent(event: SupervisionEvent): string {
  const isDatabase = event.name === DATABASE_NAME;
  switch (event.event) {
    case 'exited': {
      const meanwhile = isDatabase ? ' Until it is back, the services answer /ready with 503 naming the database.' : '';
      return (
        `${event.name} (pid ${event.pid}) exited ${how(event)} after ${seconds(event.ranMs)}: ` +
        `restart ${event.restarts + 1} in ${seconds(event.restartInMs)}.${meanwhile} Its last log lines:\n${tail(event.lastLines)}`
      );
    }
    case 'restarted': {
      const state = event.ready ? 'is back' : 'runs again but is not ready yet';
      const after = isDatabase ? '; the services reconnect on their own' : '';
      return `${event.name} ${state} (pid ${event.pid}, restart ${event.restarts}, ${seconds(event.tookMs)})${after}.`;
    }
    case 'gave-up': {
      const rest = isDatabase
        ? 'The services keep running without it (their /ready answer 503).'
        : 'The other services keep running.';
      return (
        `${event.name} (pid ${event.pid}) exited ${how(event)}: ${event.exits} exits within ` +
        `${seconds(event.windowMs)}, so it is crash-looping and is not restarted again. ${rest} ` +
        `Fix the cause and run npm start again. Its last log lines:\n${tail(event.lastLines)}`
      );
    }
  }
}

/** The event for `--json`: the log lines are in the text already. */
export function supervisionEventJson(event: SupervisionEvent): string {
  const { lastLines: _lastLines, ...rest } = event as SupervisionEvent & { lastLines?: unknown };
  return JSON.stringify(rest);
}
