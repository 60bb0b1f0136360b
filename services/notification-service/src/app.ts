// Notification's HTTP app: the in-app inbox, preferences, deliveries, push subscriptions and the mail sink.
import type { Express } from 'express';
import { serviceApp, type CoreDeps } from '@azora/service-kit';

export type NotificationDeps = CoreDeps;

export function createApp(deps: NotificationDeps): Express {
  return serviceApp(deps, {
    routes: () => {
      // The domain routes of Notification mount here.
    },
  });
}
