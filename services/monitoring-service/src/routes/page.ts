// The status page: plain HTML, a stylesheet and a script from public/, no build step. They are
// served as one document (the stylesheet and script inlined, allowed by their hashes in the
// page's Content-Security-Policy), so the page works wherever it is mounted: on port 3013 at /,
// and through the gateway at /api/monitoring with or without a trailing slash. The script asks
// the JSON routes beside the page and refreshes itself.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Api } from '@azora/service-kit';

const PUBLIC_DIR = path.join(__dirname, '..', '..', 'public');

const asset = (file: string) => readFileSync(path.join(PUBLIC_DIR, file), 'utf8');
const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

/** The page as served, and the policy that lets exactly its own style and script run. */
export function statusPage(refreshMs: number): { html: string; policy: string } {
  const style = asset('status-page.css');
  const script = asset('status-page.js');
  const html = asset('status-page.html')
    .replace('{{REFRESH_MS}}', String(refreshMs))
    .replace('<link rel="stylesheet" href="status-page.css" />', () => `<style>${style}</style>`)
    .replace('<script src="status-page.js"></script>', () => `<script>${script}</script>`);
  const policy = [
    "default-src 'none'",
    `script-src ${sha256(script)}`,
    `style-src ${sha256(style)}`,
    "connect-src 'self'",
    "img-src 'self' data:",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
  return { html, policy };
}

export function pageRoutes(api: Api, { refreshMs }: { refreshMs: number }): void {
  const page = statusPage(refreshMs);
  api.endpoint(
    {
      method: 'get',
      path: '/',
      summary: 'The status page',
      description:
        'Every service with its status colour, latency and 24-hour uptime strip, the bus, and incidents; refreshes itself.',
      tags: ['monitoring'],
      access: 'public',
      responses: { 200: { contentType: 'text/html', description: 'The status page' } },
    },
    (_input, _req, res) => {
      res.setHeader('content-type', 'text/html; charset=utf-8');
      res.setHeader('content-security-policy', page.policy);
      res.setHeader('cache-control', 'no-cache');
      res.send(page.html);
    },
  );
}
