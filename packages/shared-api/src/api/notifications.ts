// notifications: the in-app inbox, preferences and push subscriptions, under
// /api/notifications. Typed once its contract lands in @azora/contracts (see pending-contracts.ts).
import { type PendingQuery, type PendingRequest, type PendingResponse } from '../pending-contracts';
import { path, type RequestOptions, type Transport } from '../transport';

const BASE = '/api/notifications';

export function createNotificationsApi(transport: Transport) {
  return {
    /** GET /: the caller's inbox, unread first. */
    list(
      query?: PendingQuery<'GET /api/notifications/'>,
      options?: RequestOptions,
    ): Promise<PendingResponse<'GET /api/notifications/'>> {
      return transport.call({ method: 'GET', path: `${BASE}/`, query }, options);
    },

    /** POST /:id/read. */
    markRead(
      notificationId: string,
      options?: RequestOptions,
    ): Promise<PendingResponse<'POST /api/notifications/:id/read'>> {
      return transport.call({ method: 'POST', path: BASE + path`/${notificationId}/read` }, options);
    },

    /** GET /preferences. */
    getPreferences(options?: RequestOptions): Promise<PendingResponse<'GET /api/notifications/preferences'>> {
      return transport.call({ method: 'GET', path: `${BASE}/preferences` }, options);
    },

    /** PUT /preferences. */
    updatePreferences(
      body: PendingRequest<'PUT /api/notifications/preferences'>,
      options?: RequestOptions,
    ): Promise<PendingResponse<'PUT /api/notifications/preferences'>> {
      return transport.call({ method: 'PUT', path: `${BASE}/preferences`, body }, options);
    },

    /** POST /push-subscriptions: a browser PushSubscription's JSON. */
    addPushSubscription(
      body: PendingRequest<'POST /api/notifications/push-subscriptions'>,
      options?: RequestOptions,
    ): Promise<PendingResponse<'POST /api/notifications/push-subscriptions'>> {
      return transport.call({ method: 'POST', path: `${BASE}/push-subscriptions`, body }, options);
    },

    /** GET /mailbox (admin): mail caught by the embedded mail sink. */
    mailbox(
      query?: PendingQuery<'GET /api/notifications/mailbox'>,
      options?: RequestOptions,
    ): Promise<PendingResponse<'GET /api/notifications/mailbox'>> {
      return transport.call({ method: 'GET', path: `${BASE}/mailbox`, query }, options);
    },
  };
}

export type NotificationsApi = ReturnType<typeof createNotificationsApi>;
