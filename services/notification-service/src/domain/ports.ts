// The outside systems deliveries go through, as the use cases see them; providers/ implements them.
import type { MailRecord, PushContent } from './records';
import type { SendOutcome } from './retries';

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html: string;
}

export interface MailSender {
  /** Sends one mail; resolves with the outcome (it rejects only on a bug). */
  send(mail: OutgoingMail): Promise<SendOutcome>;
  close(): void;
}

export interface PushTarget {
  endpoint: string;
  p256dh: string;
  auth: string;
}

/** A push service's answer: `gone` when it says the subscription no longer exists (404, 410). */
export type PushOutcome = SendOutcome & { readonly gone: boolean };

export interface PushSender {
  /** The VAPID public key browsers subscribe with (base64url). */
  readonly publicKey: string;
  send(target: PushTarget, content: PushContent): Promise<PushOutcome>;
}

/** A mail the embedded sink received and parsed: the mailbox's record before it is stored. */
export type ReceivedMail = Omit<MailRecord, 'id' | 'receivedAt'>;
