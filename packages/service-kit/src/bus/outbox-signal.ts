// The in-process wake-up of the outbox relay: publishers signal after their transaction commits,
// and the relay sends at once instead of at its next poll. An in-process signal rather than a
// NOTIFY, because PostgreSQL serialises every committing transaction that sent a NOTIFY behind
// one global lock (a few hundred commits per second on these machines); rows written by another
// process are picked up by the relay's poll.
export interface OutboxSignal {
  /** New outbox rows are committed. */
  written(): void;
  /** Calls `listener` on every signal; returns the unsubscribe. */
  subscribe(listener: () => void): () => void;
}

export function createOutboxSignal(): OutboxSignal {
  const listeners = new Set<() => void>();
  return {
    written() {
      for (const listener of listeners) listener();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
