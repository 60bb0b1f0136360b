// Web Push with the web-push library: each message encrypted for the browser (aes128gcm) and
// signed with the deployment's VAPID key. 404 and 410 mean the subscription is gone; 429 and 5xx
// are the push service's own trouble (retry); other 4xx refuse this message for good.
import type { Agent } from 'node:https';
import webpush from 'web-push';
import type { PushOutcome, PushSender } from '../domain/ports';
import type { PushContent } from '../domain/records';
import { hostOf } from '../domain/push-endpoints';

export interface VapidKeys {
  publicKey: string;
  privateKey: string;
  /** A mailto: or https: URL push services can reach the sender at. */
  subject: string;
}

export interface WebPushSenderOptions {
  vapid: VapidKeys;
  timeoutMs: number;
  /** Seconds a push service keeps a message for an offline browser. */
  ttlSeconds: number;
  /** An agent of one's own: a test trusts its local push endpoint's certificate with it. */
  agent?: Agent | undefined;
}

function outcomeOf(status: number, endpoint: string): PushOutcome {
  const detail = `${hostOf(endpoint)} answered ${status}`;
  if (status >= 200 && status < 300) return { ok: true, detail, gone: false };
  if (status === 404 || status === 410) return { ok: false, permanent: true, detail, gone: true };
  const transient = status === 429 || status >= 500;
  return { ok: false, permanent: !transient, detail, gone: false };
}

export function createWebPushSender({ vapid, timeoutMs, ttlSeconds, agent }: WebPushSenderOptions): PushSender {
  return {
    publicKey: vapid.publicKey,
    async send(target, content: PushContent) {
      const subscription = { endpoint: target.endpoint, keys: { p256dh: target.p256dh, auth: target.auth } };
      try {
        const result = await webpush.sendNotification(subscription, JSON.stringify(content), {
          vapidDetails: vapid,
          TTL: ttlSeconds,
          timeout: timeoutMs,
          ...(agent ? { agent } : {}),
        });
        return outcomeOf(result.statusCode, target.endpoint);
      } catch (error) {
        if (error instanceof webpush.WebPushError) return outcomeOf(error.statusCode, target.endpoint);
        const message = error instanceof Error ? error.message : String(error);
        return { ok: false, permanent: false, detail: `${hostOf(target.endpoint)}: ${message}`, gone: false };
      }
    },
  };
}
