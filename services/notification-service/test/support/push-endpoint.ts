// A push service of the test's own on https://127.0.0.1 (web-push speaks HTTPS only), with a
// long-lived self-signed certificate from fixtures/, and browsers that subscribe to it: each has
// its own P-256 key pair and auth secret, so the test reads a message exactly as a browser does.
import { createECDH, randomBytes, type ECDH } from 'node:crypto';
import { readFileSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { decrypt } from 'http_ece';

const FIXTURES = path.join(__dirname, 'fixtures');
export const PUSH_CERT = readFileSync(path.join(FIXTURES, 'push-endpoint.cert.pem'));
const PUSH_KEY = readFileSync(path.join(FIXTURES, 'push-endpoint.key.pem'));

export interface ReceivedPush {
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export interface TestBrowser {
  /** What `PushSubscription.toJSON()` gives: POST it to /push-subscriptions. */
  readonly subscription: { endpoint: string; keys: { p256dh: string; auth: string } };
  /** Decrypts a message sent to this browser. */
  read(push: ReceivedPush): unknown;
}

export interface PushEndpoint {
  readonly url: string;
  readonly received: ReceivedPush[];
  /** The status the push service answers for a browser's endpoint (201 by default). */
  answer(browser: TestBrowser, status: number): void;
  browser(): TestBrowser;
  /** An https.Agent that trusts the endpoint's certificate (and nothing else). */
  readonly agent: https.Agent;
  close(): Promise<void>;
}

export async function startPushEndpoint(): Promise<PushEndpoint> {
  const received: ReceivedPush[] = [];
  const statuses = new Map<string, number>();
  const server = https.createServer({ cert: PUSH_CERT, key: PUSH_KEY }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = req.url ?? '/';
      received.push({ path: url, headers: req.headers, body: Buffer.concat(chunks) });
      res.statusCode = statuses.get(url) ?? 201;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const agent = new https.Agent({ ca: PUSH_CERT, keepAlive: false });
  let count = 0;

  return {
    url,
    received,
    agent,
    answer(browser, status) {
      statuses.set(new URL(browser.subscription.endpoint).pathname, status);
    },
    browser() {
      count += 1;
      const ecdh: ECDH = createECDH('prime256v1');
      ecdh.generateKeys();
      const auth = randomBytes(16).toString('base64url');
      const subscription = {
        endpoint: `${url}/push/browser-${count}-${randomBytes(4).toString('hex')}`,
        keys: { p256dh: ecdh.getPublicKey().toString('base64url'), auth },
      };
      return {
        subscription,
        read: (push) =>
          JSON.parse(decrypt(push.body, { version: 'aes128gcm', privateKey: ecdh, authSecret: auth }).toString('utf8')),
      };
    },
    async close() {
      agent.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
