// The entry of a service process under the launcher. It loads the service kit, most of a
// service's start-up work, straight away, while the services this one depends on are still
// starting; it runs the service itself only once the launcher writes "start" to its stdin.
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
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk: string) => {
  said += chunk;
});
process.stdin.once('end', () => {
  // The launcher went away before it said so: nothing to start.
  if (said.trim() !== 'start') process.exit(0);
  load(entry);
});
