// The caller's inbox: a page (unread first), the unread count, read and unread again, read all.
import { keysetPage, type InboxPage, type Notification, type ReadAllResult } from '@azora/contracts';
import { countUnread, listInbox, markAllRead, setRead } from '../db/notifications';
import { decodeInboxPosition, encodeInboxPosition } from '../domain/cursors';
import { notificationNotFound } from '../domain/errors';
import { toNotification } from '../domain/views';
import type { Caller, NotificationContext } from './context';

type ParsedInboxQuery = { cursor?: string | undefined; limit: number; unread?: boolean | undefined };

export async function inboxPage(ctx: NotificationContext, caller: Caller, query: ParsedInboxQuery): Promise<InboxPage> {
  const userId = caller.user.id;
  const after = query.cursor ? decodeInboxPosition(query.cursor) : undefined;
  const [rows, unreadCount] = await Promise.all([
    listInbox(ctx.pool, userId, { after, unreadOnly: query.unread ?? false, limit: query.limit + 1 }),
    countUnread(ctx.pool, userId),
  ]);
  return {
    ...keysetPage(rows, query.limit, toNotification, (last) =>
      encodeInboxPosition({ read: last.readAt ? 1 : 0, seq: last.seq }),
    ),
    unreadCount,
  };
}

export async function unreadCount(ctx: NotificationContext, caller: Caller): Promise<number> {
  return countUnread(ctx.pool, caller.user.id);
}

/** Marks the caller's notification read (keeping the first time) or unread again. */
export async function setReadState(
  ctx: NotificationContext,
  caller: Caller,
  id: string,
  read: boolean,
): Promise<Notification> {
  const updated = await setRead(ctx.pool, caller.user.id, id, read ? ctx.clock.now() : null);
  if (!updated) throw notificationNotFound(id);
  return toNotification(updated);
}

export async function readAll(ctx: NotificationContext, caller: Caller): Promise<ReadAllResult> {
  const marked = await markAllRead(ctx.pool, caller.user.id, ctx.clock.now());
  return { marked, unread: await countUnread(ctx.pool, caller.user.id) };
}
