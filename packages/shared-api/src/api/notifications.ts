// notifications: the in-app inbox and its live stream, preferences, Web Push subscriptions, and
// for admins the delivery log and the mailbox of the embedded mail sink, under /api/notifications.
import type * as C from '@azora/contracts';
import { type Input, type Output } from '../contract-types';
import { type EventStreamer } from '../event-stream';
import { DEFAULT_RETRY_MS, isTransient, sleep } from '../stream-retry';
import { path, type RequestOptions, type Transport } from '../transport';

const BASE = '/api/notifications';
/** The SSE event name of a new notification (NOTIFICATION_STREAM_EVENT in the contracts). */
const STREAM_EVENT = 'notification';

type Notification = Output<typeof C.Notification>;

/** What `stream()` reads from: a GET answered with `text/event-stream`, sent with the session's
 * token (refreshed once on a 401) and the caller's headers, e.g. Last-Event-ID. */
export type EventStreamGetter = Pick<EventStreamer, 'get'>;

export interface NotificationStreamOptions extends RequestOptions {
  /** The `seq` of the last notification already shown: the stream resumes after it. */
  lastEventId?: number | undefined;
  /** Reconnect when the connection ends or drops (default true); false ends the loop instead. */
  reconnect?: boolean | undefined;
}

export function createNotificationsApi(transport: Transport, streamer?: EventStreamGetter) {
  return {
    /** GET /?cursor=&limit=&unread=: the caller's inbox, unread first, with the unread count. */
    list(query?: Input<typeof C.InboxQuery>, options?: RequestOptions): Promise<Output<typeof C.InboxPage>> {
      return transport.call({ method: 'GET', path: `${BASE}/`, query }, options);
    },

    /** GET /unread-count. */
    unreadCount(options?: RequestOptions): Promise<Output<typeof C.UnreadCount>> {
      return transport.call({ method: 'GET', path: `${BASE}/unread-count` }, options);
    },

    /** POST /:id/read: repeating it keeps the first readAt. */
    markRead(notificationId: string, options?: RequestOptions): Promise<Notification> {
      return transport.call({ method: 'POST', path: BASE + path`/${notificationId}/read` }, options);
    },

    /** POST /:id/unread. */
    markUnread(notificationId: string, options?: RequestOptions): Promise<Notification> {
      return transport.call({ method: 'POST', path: BASE + path`/${notificationId}/unread` }, options);
    },

    /** POST /read-all. */
    markAllRead(options?: RequestOptions): Promise<Output<typeof C.ReadAllResult>> {
      return transport.call({ method: 'POST', path: `${BASE}/read-all` }, options);
    },

    /** GET /preferences: every kind × channel, and the mail that cannot be switched off. */
    getPreferences(options?: RequestOptions): Promise<Output<typeof C.NotificationPreferences>> {
      return transport.call({ method: 'GET', path: `${BASE}/preferences` }, options);
    },

    /** PUT /preferences: only the switches sent change; switching required mail off is a 422. */
    updatePreferences(
      body: Input<typeof C.UpdatePreferencesRequest>,
      options?: RequestOptions,
    ): Promise<Output<typeof C.NotificationPreferences>> {
      return transport.call({ method: 'PUT', path: `${BASE}/preferences`, body }, options);
    },

    /** GET /push/public-key: pass it as `applicationServerKey` to `pushManager.subscribe()`. */
    pushPublicKey(options?: RequestOptions): Promise<Output<typeof C.PushPublicKey>> {
      return transport.call({ method: 'GET', path: `${BASE}/push/public-key` }, options);
    },

    /** POST /push-subscriptions: a browser PushSubscription's `toJSON()`. */
    addPushSubscription(
      body: Input<typeof C.PushSubscriptionRequest>,
      options?: RequestOptions,
    ): Promise<Output<typeof C.PushSubscription>> {
      return transport.call({ method: 'POST', path: `${BASE}/push-subscriptions`, body }, options);
    },

    /** GET /push-subscriptions. */
    listPushSubscriptions(options?: RequestOptions): Promise<Output<typeof C.PushSubscriptionList>> {
      return transport.call({ method: 'GET', path: `${BASE}/push-subscriptions` }, options);
    },

    /** DELETE /push-subscriptions/:id. */
    removePushSubscription(subscriptionId: string, options?: RequestOptions): Promise<void> {
      return transport.call({ method: 'DELETE', path: BASE + path`/push-subscriptions/${subscriptionId}` }, options);
    },

    /** GET /deliveries (admin): email and push deliveries, newest first. */
    deliveries(
      query?: Input<typeof C.DeliveriesQuery>,
      options?: RequestOptions,
    ): Promise<Output<typeof C.DeliveryPage>> {
      return transport.call({ method: 'GET', path: `${BASE}/deliveries`, query }, options);
    },

    /** GET /deliveries/:id (admin): one delivery with every attempt. */
    delivery(deliveryId: string, options?: RequestOptions): Promise<Output<typeof C.DeliveryDetail>> {
      return transport.call({ method: 'GET', path: BASE + path`/deliveries/${deliveryId}` }, options);
    },

    /** POST /deliveries/:id/retry (admin): a failed delivery, again, with a fresh budget of attempts. */
    retryDelivery(deliveryId: string, options?: RequestOptions): Promise<Output<typeof C.DeliveryDetail>> {
      return transport.call({ method: 'POST', path: BASE + path`/deliveries/${deliveryId}/retry` }, options);
    },

    /** GET /mailbox (admin): mail caught by the embedded mail sink, newest first. */
    mailbox(query?: Input<typeof C.MailboxQuery>, options?: RequestOptions): Promise<Output<typeof C.MailboxPage>> {
      return transport.call({ method: 'GET', path: `${BASE}/mailbox`, query }, options);
    },

    /** GET /mailbox/:id (admin): one mail with its text and HTML (show the HTML sandboxed only). */
    mail(mailId: string, options?: RequestOptions): Promise<Output<typeof C.MailMessage>> {
      return transport.call({ method: 'GET', path: BASE + path`/mailbox/${mailId}` }, options);
    },

    /**
     * GET /stream: yields the caller's new notifications as they are stored. When the connection
     * ends or drops it reconnects, after the server's `retry` delay, from the last notification
     * yielded (Last-Event-ID), so none is missed or repeated; `lastEventId` resumes after one
     * already shown. Breaking out of the loop, or aborting `signal`, closes the connection. A
     * problem answer (401 after a refresh, 403) rejects with an AzoraApiError.
     */
    async *stream(options: NotificationStreamOptions = {}): AsyncGenerator<Notification, void, undefined> {
      if (!streamer) throw new Error('notifications.stream() needs the client’s event stream reader');
      const { lastEventId, reconnect = true, ...request } = options;
      let last = lastEventId;
      let retryMs = DEFAULT_RETRY_MS;
      for (;;) {
        const headers = { ...request.headers, ...(last === undefined ? {} : { 'Last-Event-ID': String(last) }) };
        try {
          for await (const event of streamer.get(`${BASE}/stream`, { ...request, headers })) {
            if (event.retry !== undefined) retryMs = event.retry;
            if (event.event !== STREAM_EVENT) continue;
            const notification = JSON.parse(event.data) as Notification;
            last = notification.seq;
            yield notification;
          }
        } catch (error) {
          if (request.signal?.aborted || !reconnect || !isTransient(error)) throw error;
        }
        if (request.signal?.aborted || !reconnect) return;
        await sleep(retryMs, request.signal);
        if (request.signal?.aborted) return;
      }
    },
  };
}

export type NotificationsApi = ReturnType<typeof createNotificationsApi>;
