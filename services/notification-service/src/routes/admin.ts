// HTTP for admins: the delivery log (with every attempt, and a retry of a failed delivery) and
// the mailbox of the embedded mail sink.
import {
  DeliveriesQuery,
  DeliveryDetail,
  DeliveryPage,
  DeliveryParams,
  MailboxPage,
  MailboxQuery,
  MailMessage,
  MailParams,
} from '@azora/contracts';
import type { Api } from '@azora/service-kit';
import type { NotificationContext } from '../use-cases/context';
import { deliveryDetail, deliveryPage, retryDelivery } from '../use-cases/deliveries';
import { mailboxPage, mailMessage } from '../use-cases/mailbox';

const ADMINS = ['admin'] as const;

export function adminRoutes(api: Api, ctx: NotificationContext): void {
  api.endpoint(
    {
      method: 'get',
      path: '/deliveries',
      summary: 'Email and push deliveries, newest first (admins)',
      tags: ['deliveries'],
      access: ADMINS,
      query: DeliveriesQuery,
      responses: { 200: DeliveryPage },
    },
    async ({ query }, _req, res) => {
      res.json(await deliveryPage(ctx, query));
    },
  );

  api.endpoint(
    {
      method: 'get',
      path: '/deliveries/:id',
      summary: 'One delivery with every attempt (admins)',
      tags: ['deliveries'],
      access: ADMINS,
      params: DeliveryParams,
      responses: { 200: DeliveryDetail },
    },
    async ({ params }, _req, res) => {
      res.json(await deliveryDetail(ctx, params.id));
    },
  );

  api.endpoint(
    {
      method: 'post',
      path: '/deliveries/:id/retry',
      summary: 'Send a failed delivery again, with a fresh budget of attempts (admins)',
      tags: ['deliveries'],
      access: ADMINS,
      params: DeliveryParams,
      responses: { 200: DeliveryDetail },
    },
    async ({ params }, _req, res) => {
      res.json(await retryDelivery(ctx, params.id));
    },
  );

  api.endpoint(
    {
      method: 'get',
      path: '/mailbox',
      summary: 'Mail caught by the embedded mail sink, newest first (admins)',
      description:
        'Only where SMTP_URL is unset; otherwise 404 `mailbox.unavailable`. `to` keeps one recipient’s mail.',
      tags: ['mailbox'],
      access: ADMINS,
      query: MailboxQuery,
      responses: { 200: MailboxPage },
    },
    async ({ query }, _req, res) => {
      res.json(await mailboxPage(ctx, query));
    },
  );

  api.endpoint(
    {
      method: 'get',
      path: '/mailbox/:id',
      summary: 'One caught mail with its text and HTML (admins)',
      description: 'The HTML is as sent: show it only in a sandbox (an iframe without scripts).',
      tags: ['mailbox'],
      access: ADMINS,
      params: MailParams,
      responses: { 200: MailMessage },
    },
    async ({ params }, _req, res) => {
      res.json(await mailMessage(ctx, params.id));
    },
  );
}
