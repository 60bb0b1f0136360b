#!/usr/bin/env node
// Runs the benchmarks named on the command line (all of them when none is named), prints each
// one's table and writes its JSON to bench/results/<name>.json.
const { mkdirSync, writeFileSync, readdirSync } = require('node:fs');
const path = require('node:path');

const available = readdirSync(__dirname)
  .filter((f) => f.endsWith('.bench.js'))
  .map((f) => f.replace(/\.bench\.js$/, ''));

async function main() {
  const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  const names = wanted.length > 0 ? wanted : available;
  for (const name of names) {
    if (!available.includes(name)) {
      process.stderr.write(`unknown benchmark "${name}"; available: ${available.join(', ')}\n`);
      process.exit(2);
    }
  }
  mkdirSync(path.join(__dirname, 'results'), { recursive: true });
  for (const name of names) {
    process.stdout.write(`\n== ${name} ==\n`);
    const bench = require(`./${name}.bench.js`);
    const result = await bench.run();
    const record = { benchmark: name, at: new Date().toISOString(), node: process.version, ...result };
    process.stdout.write(`${bench.table(result)}\n`);
    process.stdout.write(`${JSON.stringify(record)}\n`);
    writeFileSync(path.join(__dirname, 'results', `${name}.json`), `${JSON.stringify(record, null, 2)}\n`);
  }
}

// A benchmark's client libraries can leave a timer or a socket behind (pg-boss has been seen to);
// once every result is written, the runner ends rather than wait on them.
main().then(
  () => process.exit(0),
  (error) => {
    process.stderr.write(`${error.stack ?? error}\n`);
    process.exit(1);
  },
);
