// HTTP for the caller's inbox: the page (unread first), the unread count, read and unread.
import { InboxPage, InboxQuery, Notification, NotificationParams, ReadAllResult, UnreadCount } from '@azora/contracts';
import type { Api } from '@azora/service-kit';
import type { NotificationContext } from '../use-cases/context';
import { inboxPage, readAll, setReadState, unreadCount } from '../use-cases/inbox';
import { callerOf } from './caller';

const tags = ['inbox'];

export function inboxRoutes(api: Api, ctx: NotificationContext): void {
  api.endpoint(
    {
      method: 'get',
      path: '/',
      summary: "The caller's in-app notifications",
      description:
        'Unread first, then read; newest first within each. `unread=true` lists the unread ones only. The page carries the unread count.',
      tags,
      access: 'user',
      query: InboxQuery,
      responses: { 200: InboxPage },
    },
    async ({ query }, req, res) => {
      res.json(await inboxPage(ctx, callerOf(req), query));
    },
  );

  api.endpoint(
    {
      method: 'get',
      path: '/unread-count',
      summary: "How many of the caller's notifications are unread",
      tags,
      access: 'user',
      responses: { 200: UnreadCount },
    },
    async (_input, req, res) => {
      res.json({ unread: await unreadCount(ctx, callerOf(req)) });
    },
  );

  api.endpoint(
    {
      method: 'post',
      path: '/read-all',
      summary: "Mark every one of the caller's notifications read",
      tags,
      access: 'user',
      responses: { 200: ReadAllResult },
    },
    async (_input, req, res) => {
      res.json(await readAll(ctx, callerOf(req)));
    },
  );

  api.endpoint(
    {
      method: 'post',
      path: '/:id/read',
      summary: 'Mark a notification read',
      description: 'Repeating it keeps the first readAt. Another user’s notification is 404.',
      tags,
      access: 'user',
      params: NotificationParams,
      responses: { 200: Notification },
    },
    async ({ params }, req, res) => {
      res.json(await setReadState(ctx, callerOf(req), params.id, true));
    },
  );

  api.endpoint(
    {
      method: 'post',
      path: '/:id/unread',
      summary: 'Mark a notification unread again',
      tags,
      access: 'user',
      params: NotificationParams,
      responses: { 200: Notification },
    },
    async ({ params }, req, res) => {
      res.json(await setReadState(ctx, callerOf(req), params.id, false));
    },
  );
}
