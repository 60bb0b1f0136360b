// HTTP for the caller's notification preferences.
import { NotificationPreferences, UpdatePreferencesRequest } from '@azora/contracts';
import type { Api } from '@azora/service-kit';
import type { NotificationContext } from '../use-cases/context';
import { preferencesOf, updatePreferences } from '../use-cases/preferences';
import { callerOf } from './caller';

const tags = ['preferences'];

export function preferenceRoutes(api: Api, ctx: NotificationContext): void {
  api.endpoint(
    {
      method: 'get',
      path: '/preferences',
      summary: 'Which channels each kind of notification uses for the caller',
      description: '`required` lists the security-relevant mail that is always sent.',
      tags,
      access: 'user',
      responses: { 200: NotificationPreferences },
    },
    async (_input, req, res) => {
      res.json(await preferencesOf(ctx, callerOf(req)));
    },
  );

  api.endpoint(
    {
      method: 'put',
      path: '/preferences',
      summary: 'Switch channels on or off per kind',
      description:
        'Only the kinds and channels sent change. Switching off a required one (welcome and payment receipt mail) is 422 `notification.preference_required`, and nothing changes.',
      tags,
      access: 'user',
      body: UpdatePreferencesRequest,
      responses: { 200: NotificationPreferences },
    },
    async ({ body }, req, res) => {
      res.json(await updatePreferences(ctx, callerOf(req), body));
    },
  );
}
