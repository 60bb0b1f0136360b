// The kinds of notification: which channels each starts with, which mail cannot be switched
// off, and the values each kind's template may use.
import type { ChannelSettings, NotificationChannel, NotificationKind, RequiredChannel } from '@azora/contracts';

interface KindRule {
  /** The channels a user has before changing anything. */
  readonly defaults: ChannelSettings;
  /** The values its template may name; any other placeholder is a template error. */
  readonly values: readonly string[];
}

const ALL_ON: ChannelSettings = { in_app: true, email: true, push: true };

export const KIND_RULES: Readonly<Record<NotificationKind, KindRule>> = {
  welcome: { defaults: ALL_ON, values: ['name'] },
  enrollment: { defaults: ALL_ON, values: ['name', 'courseTitle'] },
  course_completed: { defaults: ALL_ON, values: ['name', 'courseTitle'] },
  // Every completed lesson earns a token: a mail or a push message for each would be noise.
  tokens_earned: { defaults: { in_app: true, email: false, push: false }, values: ['name', 'amount'] },
  transfer_received: { defaults: ALL_ON, values: ['name', 'amount', 'senderName'] },
  application_status: { defaults: ALL_ON, values: ['name', 'status', 'outcome'] },
  job_completed: { defaults: ALL_ON, values: ['name', 'reward'] },
  payment_succeeded: { defaults: ALL_ON, values: ['name', 'amount', 'item'] },
  payment_failed: { defaults: ALL_ON, values: ['name', 'amount', 'item'] },
  payment_refunded: { defaults: ALL_ON, values: ['name', 'amount', 'item'] },
};

/** Security-relevant mail: the account's creation and payment receipts always reach the mailbox. */
export const REQUIRED_CHANNELS: readonly RequiredChannel[] = [
  { kind: 'welcome', channel: 'email' },
  { kind: 'payment_succeeded', channel: 'email' },
  { kind: 'payment_refunded', channel: 'email' },
];

export function isRequired(kind: NotificationKind, channel: NotificationChannel): boolean {
  return REQUIRED_CHANNELS.some((r) => r.kind === kind && r.channel === channel);
}
