// The caller's preferences: every kind × channel with its effective value, and the changes.
import type { NotificationPreferences, UpdatePreferencesRequest } from '@azora/contracts';
import { withTransaction } from '@azora/service-kit';
import { readSwitches, writeSwitches } from '../db/preferences';
import { REQUIRED_CHANNELS } from '../domain/kinds';
import { preferenceMap, switchesOf } from '../domain/preferences';
import type { Caller, NotificationContext } from './context';

export async function preferencesOf(ctx: NotificationContext, caller: Caller): Promise<NotificationPreferences> {
  const switches = await readSwitches(ctx.pool, caller.user.id);
  return { preferences: preferenceMap(switches), required: [...REQUIRED_CHANNELS] };
}

/** Applies the switches given, all or none (required mail switched off refuses the whole update). */
export async function updatePreferences(
  ctx: NotificationContext,
  caller: Caller,
  update: UpdatePreferencesRequest,
): Promise<NotificationPreferences> {
  const switches = switchesOf(update);
  const now = ctx.clock.now();
  return withTransaction(ctx.pool, async (tx) => {
    await writeSwitches(tx, caller.user.id, switches, now);
    return { preferences: preferenceMap(await readSwitches(tx, caller.user.id)), required: [...REQUIRED_CHANNELS] };
  });
}
