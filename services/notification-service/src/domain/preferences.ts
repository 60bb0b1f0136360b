// Preferences: the defaults of each kind, overridden by what the user switched, with the
// required mail always on. An update that tries to switch required mail off is refused whole.
import {
  NOTIFICATION_CHANNELS,
  NOTIFICATION_KINDS,
  type ChannelSettings,
  type NotificationChannel,
  type NotificationKind,
  type UpdatePreferencesRequest,
} from '@azora/contracts';
import { preferenceRequired } from './errors';
import { isRequired, KIND_RULES } from './kinds';

export interface PreferenceSwitch {
  kind: NotificationKind;
  channel: NotificationChannel;
  enabled: boolean;
}

export type PreferenceMap = Record<NotificationKind, ChannelSettings>;

/** The settings of one kind: its defaults, then the user's switches, then the required channels. */
export function settingsFor(kind: NotificationKind, switches: readonly PreferenceSwitch[]): ChannelSettings {
  const settings = { ...KIND_RULES[kind].defaults };
  for (const s of switches) if (s.kind === kind) settings[s.channel] = s.enabled;
  for (const channel of NOTIFICATION_CHANNELS) if (isRequired(kind, channel)) settings[channel] = true;
  return settings;
}

export function preferenceMap(switches: readonly PreferenceSwitch[]): PreferenceMap {
  return Object.fromEntries(NOTIFICATION_KINDS.map((kind) => [kind, settingsFor(kind, switches)])) as PreferenceMap;
}

/** The switches an update sets; throws when it would switch required mail off. */
export function switchesOf(update: UpdatePreferencesRequest): PreferenceSwitch[] {
  const switches: PreferenceSwitch[] = [];
  for (const kind of NOTIFICATION_KINDS) {
    const channels = update.preferences[kind];
    if (!channels) continue;
    for (const channel of NOTIFICATION_CHANNELS) {
      const enabled = channels[channel];
      if (enabled === undefined) continue;
      if (!enabled && isRequired(kind, channel)) throw preferenceRequired(kind, channel);
      switches.push({ kind, channel, enabled });
    }
  }
  return switches;
}
