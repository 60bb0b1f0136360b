// The entry of a service process under the launcher. It loads the service kit, most of a
// service's start-up work, straight away, while the services this one depends on are still
// starting; it runs the service itself once the launcher writes "start" on its stdin. The
// launcher keeps that pipe open while it lives: when it closes, the launcher is gone (even
// killed outright), and the service goes at once instead of lingering as an orphan.
import { createRequire } from 'node:module';

const entry = process.argv[2];
if (!entry) {
  process.stderr.write('usage: service-entry.js <path of the service dist/server.js>\n');
  process.exit(2);
}
// Resolved from the service's own directory, so that its require() finds these modules cached.
const load = createRequire(entry);
load('@azora/service-kit');

let said = '';
let started = false;
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk: string) => {
  said += chunk;
  if (started || !said.includes('\n')) return;
  if (said.trim() !== 'start') return;
  started = true;
  // The pipe alone must not keep a service alive that has finished.
  process.stdin.unref();
  load(entry);
});
process.stdin.once('end', () => {
  if (!started) process.exit(0);
  // Not a graceful stop: its log lines would go to the launcher's closed pipe, and pino's exit
  // flush retries a broken pipe forever. Nothing is lost: a transaction in flight rolls back, and
  // outbox rows not yet relayed go to Nexus on the next start.
  process.kill(process.pid, 'SIGKILL');
});
