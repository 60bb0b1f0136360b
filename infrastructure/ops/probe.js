// @ts-check
// `azora-ops probe <url>...`: the HTTP status of each URL, or "down", one a line; for scripts on
// hosts without curl.
'use strict';

/** @param {string} url */
async function statusOf(url) {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
    await response.arrayBuffer();
    return String(response.status);
  } catch {
    return 'down';
  }
}

/** @param {import('./command').CommandInput} input */
async function probeCommand({ words }) {
  if (words.length === 0) throw new Error('probe needs at least one URL');
  const statuses = await Promise.all(words.map(statusOf));
  process.stdout.write(`${statuses.join('\n')}\n`);
  return 0;
}

module.exports = { probeCommand };
