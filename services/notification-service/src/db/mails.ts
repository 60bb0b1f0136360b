// The embedded sink's mailbox in SQL: every mail it received, newest first.
import type { Queryable } from '@azora/service-kit';
import type { TimePosition } from '../domain/cursors';
import type { MailRecord } from '../domain/records';
import { exactTimestamp } from './timestamps';

interface MailRow {
  id: string;
  message_id: string | null;
  envelope_from: string;
  envelope_to: string[];
  subject: string;
  text_body: string | null;
  html_body: string | null;
  size: number;
  received_at: Date;
}

const SUMMARY = 'm.id, m.message_id, m.envelope_from, m.envelope_to, m.subject, m.size, m.received_at';

const toRecord = (row: MailRow): MailRecord => ({
  id: row.id,
  messageId: row.message_id,
  from: row.envelope_from,
  to: row.envelope_to,
  subject: row.subject,
  text: row.text_body ?? null,
  html: row.html_body ?? null,
  size: row.size,
  receivedAt: row.received_at,
});

export async function insertMail(db: Queryable, mail: MailRecord): Promise<void> {
  await db.query(
    `INSERT INTO mails (id, message_id, envelope_from, envelope_to, subject, text_body, html_body, size, received_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [mail.id, mail.messageId, mail.from, mail.to, mail.subject, mail.text, mail.html, mail.size, mail.receivedAt],
  );
}

export async function listMails(
  db: Queryable,
  filter: { to?: string | undefined },
  page: { after?: TimePosition | undefined; limit: number },
): Promise<Array<{ mail: MailRecord; position: TimePosition }>> {
  const { rows } = await db.query<MailRow & { cursor_at: string }>(
    `SELECT ${SUMMARY}, ${exactTimestamp('m.received_at')} AS cursor_at FROM mails m
     WHERE ($1::text IS NULL OR m.envelope_to @> ARRAY[$1::text])
       AND ($2::timestamptz IS NULL OR (m.received_at, m.id) < ($2::timestamptz, $3::uuid))
     ORDER BY m.received_at DESC, m.id DESC
     LIMIT $4`,
    [filter.to ?? null, page.after?.at ?? null, page.after?.id ?? null, page.limit],
  );
  return rows.map((row) => ({ mail: toRecord(row), position: { at: row.cursor_at, id: row.id } }));
}

export async function findMail(db: Queryable, id: string): Promise<MailRecord | null> {
  const { rows } = await db.query<MailRow>(`SELECT ${SUMMARY}, m.text_body, m.html_body FROM mails m WHERE m.id = $1`, [
    id,
  ]);
  return rows[0] ? toRecord(rows[0]) : null;
}
