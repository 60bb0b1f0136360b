// @ts-check
// `azora-ops check-database`: is DATABASE_URL a server this machine can log in to?
'use strict';

const pg = require('pg');

/** @param {import('./command').CommandInput} input */
async function checkDatabaseCommand({ env }) {
  const url = env['DATABASE_URL'];
  if (!url) throw new Error('DATABASE_URL is not set');
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
    const { rows } = await client.query('SHOW server_version');
    process.stdout.write(`PostgreSQL ${rows[0]?.server_version ?? '?'} reachable\n`);
    return 0;
  } catch (error) {
    // The URL holds a password: name the host only.
    const host = new URL(url).host;
    throw new Error(`cannot log in to the PostgreSQL at ${host}: ${error instanceof Error ? error.message : error}`, {
      cause: error,
    });
  } finally {
    await client.end().catch(() => undefined);
  }
}

module.exports = { checkDatabaseCommand };
