// A gate a fake server waits at, opened by the test one step at a time: so a test can hold a
// reply mid-stream without sleeping.
export interface Gate {
  /** What the server awaits before each held step. */
  wait(): Promise<void>;
  /** Lets `steps` waiting (or future) steps pass. */
  open(steps?: number): void;
  /** Lets every step pass from now on. */
  openAll(): void;
}

export function createGate(): Gate {
  let credits = 0;
  let all = false;
  const waiting: Array<() => void> = [];
  const release = () => {
    while (waiting.length > 0 && (all || credits > 0)) {
      if (!all) credits--;
      waiting.shift()!();
    }
  };
  return {
    wait() {
      return new Promise<void>((resolve) => {
        waiting.push(resolve);
        release();
      });
    },
    open(steps = 1) {
      credits += steps;
      release();
    },
    openAll() {
      all = true;
      release();
    },
  };
}
