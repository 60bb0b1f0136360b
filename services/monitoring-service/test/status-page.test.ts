/// <reference lib="dom" />
// The status page in a real browser (Debian's chromium, driven by playwright-core): it shows
// every service with its colour, and a service that stops turns red on the next refresh, with
// no reload; it works on the service's own port and under the gateway's /api/monitoring prefix.
import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createHttpServer } from '@azora/service-kit';
import { SERVICES } from '@azora/contracts';
import { startMonitoring, type Harness } from './support/harness';
import { requireTool } from './support/tools';

const RED = 'rgb(207, 34, 46)';
const GREEN = 'rgb(26, 127, 55)';

async function listen(app: http.RequestListener): Promise<{ url: string; close(): Promise<void> }> {
  const server = createHttpServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

const dotColour = (page: Page, service: string) =>
  page.$eval(`tr[data-service="${service}"] .dot`, (el) => getComputedStyle(el).backgroundColor);

describe('the status page in a browser', () => {
  let h: Harness;
  let browser: Browser;
  let server: Awaited<ReturnType<typeof listen>>;

  beforeAll(async () => {
    const executablePath = requireTool('chromium');
    h = await startMonitoring();
    // Mounted under a prefix too, as the gateway serves it at /api/monitoring.
    const outer = express();
    outer.use('/api/monitoring', h.app);
    outer.use(h.app);
    server = await listen(outer);
    browser = await chromium.launch({
      executablePath,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await h?.close();
  });

  it('When every service is healthy, then the page lists all ten in green and says so', async () => {
    await h.round();
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
    page.on('response', (res) => res.status() >= 400 && errors.push(`${res.status()} ${res.url()}`));

    await page.goto(`${server.url}/`);
    await page.waitForSelector('body[data-loaded="true"]');

    const rows = await page.$$eval('tr[data-service]', (trs) => trs.map((tr) => tr.getAttribute('data-service')));
    expect(rows).toEqual(SERVICES.map((s) => s.name));
    expect(await dotColour(page, 'azora-mint')).toBe(GREEN);
    expect(await page.textContent('#summary')).toBe('All 10 services are healthy');
    expect(await page.$$eval('tr[data-service="azora-mint"] .bucket', (b) => b.length)).toBe(24);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('When the page refreshes, then it updates each row in place rather than redrawing the table', async () => {
    await h.round();
    const page = await browser.newPage();
    await page.goto(`${server.url}/`);
    await page.waitForSelector('body[data-loaded="true"]');
    await page.evaluate(() => {
      (window as unknown as { dot: Element | null }).dot = document.querySelector('tr[data-service="azora-mint"] .dot');
    });

    for (let i = 0; i < 2; i++) await page.waitForResponse((res) => new URL(res.url()).pathname === '/status');
    await page.waitForFunction(() => document.querySelectorAll('tr[data-service]').length === 10);

    const same = await page.evaluate(() => {
      const dot = (window as unknown as { dot: Element | null }).dot;
      return dot !== null && dot.isConnected && dot === document.querySelector('tr[data-service="azora-mint"] .dot');
    });
    expect(same).toBe(true);
    await page.close();
  });

  it('When a service stops, then its row turns red on the next refresh without a reload', async () => {
    await h.round();
    const page = await browser.newPage();
    await page.goto(`${server.url}/api/monitoring`);
    await page.waitForSelector('tr[data-service="azora-pay"][data-status="healthy"]');

    await h.fakes.get('azora-pay').stop();
    await h.rounds(2);

    await page.waitForSelector('tr[data-service="azora-pay"][data-status="unhealthy"]');
    expect(await dotColour(page, 'azora-pay')).toBe(RED);
    expect(await page.textContent('tr[data-service="azora-pay"] .word')).toBe('Down');
    expect(await page.textContent('#summary')).toBe('1 service is down');
    await page.waitForSelector('li[data-incident="azora-pay"].incident-open');
    await page.close();
  });
});
