// Email over SMTP with nodemailer: the configured server (SMTP_URL), or the embedded sink on
// 127.0.0.1, through the same transport. The transport is made on first use, because the
// sink's port is known only once it listens. A recipient the server refuses for good (5xx to
// RCPT TO) is a permanent failure; everything else (no connection, a dropped one, a 4xx, a
// timeout) is worth another try.
import nodemailer, { type Transporter } from 'nodemailer';
import type { MailSender } from '../domain/ports';
import type { SendOutcome } from '../domain/retries';

/** Where to send: an smtp:// or smtps:// URL, or a host and port without TLS (the sink). */
export type SmtpTarget = { url: string } | { host: string; port: number; ignoreTLS: true };

export interface SmtpMailerOptions {
  target: () => SmtpTarget;
  /** The From header, e.g. `Azora <no-reply@azora.local>`. */
  from: string;
  timeoutMs: number;
}

interface SmtpError {
  code?: string;
  command?: string;
  responseCode?: number;
  response?: string;
  message?: string;
}

function failure(error: unknown): SendOutcome {
  const e = (error ?? {}) as SmtpError;
  const code = e.responseCode;
  const refusedRecipient = code !== undefined && code >= 500 && code < 600 && /RCPT/i.test(e.command ?? '');
  const parts = [e.code, e.command, e.response ?? e.message].filter((p): p is string => Boolean(p));
  return { ok: false, permanent: refusedRecipient, detail: parts.join(' ') || String(error) };
}

export function createSmtpMailer({ target, from, timeoutMs }: SmtpMailerOptions): MailSender {
  let transport: Transporter | undefined;

  function transporter(): Transporter {
    if (transport) return transport;
    const where = target();
    const timeouts = { connectionTimeout: timeoutMs, greetingTimeout: timeoutMs, socketTimeout: timeoutMs };
    transport = nodemailer.createTransport({ ...where, ...timeouts, disableFileAccess: true, disableUrlAccess: true });
    return transport;
  }

  return {
    async send(mail) {
      try {
        const info = await transporter().sendMail({
          from,
          to: mail.to,
          subject: mail.subject,
          text: mail.text,
          html: mail.html,
        });
        return { ok: true, detail: `${info.response} (${info.messageId})` };
      } catch (error) {
        return failure(error);
      }
    },
    close() {
      transport?.close();
    },
  };
}
