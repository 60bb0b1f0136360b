// Wake-ups on append over NATS: a core subscription to the stream's `appended` subject, held only
// while anyone listens. Every instance's appends reach every instance's readers; after a
// reconnection every listener is called once, since a wake-up may have been missed meanwhile.
import type { Subscription } from 'nats';
import type { ListeningSignal } from '../domain/ports';
import type { NatsStream } from './stream';

export function createNatsSignal(stream: Pick<NatsStream, 'nc' | 'appendedSubject' | 'onReconnect'>): ListeningSignal {
  const listeners = new Set<() => void>();
  let subscription: Subscription | undefined;
  let stopHearingReconnects: (() => void) | undefined;

  const wakeAll = () => {
    for (const listener of [...listeners]) listener();
  };

  function open(): void {
    if (subscription || listeners.size === 0 || stream.nc.isClosed()) return;
    subscription = stream.nc.subscribe(stream.appendedSubject, { callback: wakeAll });
    stopHearingReconnects = stream.onReconnect(wakeAll);
  }

  function drop(): void {
    if (subscription && !stream.nc.isClosed()) subscription.unsubscribe();
    subscription = undefined;
    stopHearingReconnects?.();
    stopHearingReconnects = undefined;
  }

  return {
    subscribe(onAppended) {
      listeners.add(onAppended);
      open();
      return () => {
        listeners.delete(onAppended);
        if (listeners.size === 0) drop();
      };
    },
    async close() {
      listeners.clear();
      drop();
    },
  };
}
