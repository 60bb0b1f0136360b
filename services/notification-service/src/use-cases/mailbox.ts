// The embedded sink's mailbox: storing what it receives, and reading it back (admins).
import { randomUUID } from 'node:crypto';
import { keysetPage, type MailboxPage, type MailMessage } from '@azora/contracts';
import { findMail, insertMail, listMails } from '../db/mails';
import { decodeTimePosition, encodeTimePosition } from '../domain/cursors';
import { mailboxUnavailable, mailNotFound } from '../domain/errors';
import type { ReceivedMail } from '../domain/ports';
import { toMailMessage, toMailSummary } from '../domain/views';
import type { NotificationContext } from './context';

const TAG = 'm';

export async function storeReceivedMail(
  ctx: Pick<NotificationContext, 'pool' | 'clock'>,
  mail: ReceivedMail,
): Promise<string> {
  const id = randomUUID();
  await insertMail(ctx.pool, { ...mail, id, receivedAt: ctx.clock.now() });
  return id;
}

export async function mailboxPage(
  ctx: NotificationContext,
  query: { cursor?: string | undefined; limit: number; to?: string | undefined },
): Promise<MailboxPage> {
  if (!ctx.mailbox) throw mailboxUnavailable();
  const after = query.cursor ? decodeTimePosition(TAG, query.cursor) : undefined;
  const rows = await listMails(ctx.pool, { to: query.to }, { after, limit: query.limit + 1 });
  return keysetPage(
    rows,
    query.limit,
    (r) => toMailSummary(r.mail),
    (last) => encodeTimePosition(TAG, last.position),
  );
}

export async function mailMessage(ctx: NotificationContext, id: string): Promise<MailMessage> {
  if (!ctx.mailbox) throw mailboxUnavailable();
  const mail = await findMail(ctx.pool, id);
  if (!mail) throw mailNotFound(id);
  return toMailMessage(mail);
}
