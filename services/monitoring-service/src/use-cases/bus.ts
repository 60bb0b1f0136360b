// The bus's health as the status page shows it: every publishing service's outbox (from its own
// /metrics), each subscription's backlog (from Nexus's /metrics) and the dead letters not
// delivered since (from Nexus, which lets monitoring read anyone's), counted, never shown.
import type { BusHealth } from '@azora/contracts';
import { firstValue, samplesOf } from '../domain/prometheus-text';
import type { Target } from '../domain/records';
import type { MonitoringContext } from './context';

const NEXUS = 'azora-nexus';
/** Services without an outbox relay of their own: Nexus is the bus, monitoring publishes nothing. */
const WITHOUT_RELAY = new Set([NEXUS, 'monitoring-service']);
/** Dead letters counted at most; beyond it the count says "more". */
const DEAD_LETTERS_COUNTED = 1_000;

async function outboxOf(ctx: MonitoringContext, target: Target): Promise<BusHealth['outbox'][number]> {
  try {
    const samples = samplesOf(await ctx.busSources.metricsOf(target), ['outbox_pending_events', 'outbox_lag_seconds']);
    const pending = firstValue(samples, 'outbox_pending_events');
    const lag = firstValue(samples, 'outbox_lag_seconds');
    return {
      service: target.name,
      pendingEvents: pending === null ? null : Math.max(0, Math.round(pending)),
      lagSeconds: lag === null ? null : Math.max(0, lag),
    };
  } catch {
    return { service: target.name, pendingEvents: null, lagSeconds: null };
  }
}

async function backlogs(ctx: MonitoringContext, nexus: Target): Promise<BusHealth['subscriptions'] | null> {
  try {
    const samples = samplesOf(await ctx.busSources.metricsOf(nexus), ['nexus_subscription_backlog']);
    return samples
      .filter((s) => typeof s.labels['subscriber'] === 'string')
      .map((s) => ({ subscriber: s.labels['subscriber']!, backlog: Math.max(0, Math.round(s.value)) }))
      .sort((a, b) => a.subscriber.localeCompare(b.subscriber));
  } catch {
    return null;
  }
}

async function deadLetters(ctx: MonitoringContext, nexus: Target): Promise<BusHealth['deadLetters']> {
  try {
    const letters = await ctx.busSources.deadLetters(nexus, DEAD_LETTERS_COUNTED + 1);
    if (letters === null) return null;
    const counted = letters.slice(0, DEAD_LETTERS_COUNTED);
    const bySubscriber = new Map<string, number>();
    for (const { subscriber } of counted) bySubscriber.set(subscriber, (bySubscriber.get(subscriber) ?? 0) + 1);
    return {
      count: counted.length,
      more: letters.length > DEAD_LETTERS_COUNTED,
      bySubscriber: [...bySubscriber]
        .map(([subscriber, count]) => ({ subscriber, count }))
        .sort((a, b) => b.count - a.count || a.subscriber.localeCompare(b.subscriber)),
    };
  } catch (error) {
    ctx.logger.warn({ err: error }, 'could not read the dead letters from Nexus');
    return null;
  }
}

export async function collectBusHealth(ctx: MonitoringContext): Promise<BusHealth> {
  const { targets } = ctx.settings;
  const nexus = targets.find((t) => t.name === NEXUS);
  const publishers = targets.filter((t) => !WITHOUT_RELAY.has(t.name));
  const [outbox, subscriptions, dead] = await Promise.all([
    Promise.all(publishers.map((t) => outboxOf(ctx, t))),
    nexus ? backlogs(ctx, nexus) : Promise.resolve(null),
    nexus ? deadLetters(ctx, nexus) : Promise.resolve(null),
  ]);
  const health: BusHealth = {
    checkedAt: ctx.clock.now().toISOString(),
    nexus: subscriptions === null ? 'unreachable' : 'reachable',
    outbox,
    subscriptions: subscriptions ?? [],
    deadLetters: dead,
  };
  ctx.bus.set(health);
  return health;
}
