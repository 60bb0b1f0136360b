// A process with an error nobody caught is in a state nobody planned for: log it through the
// logger (so it reaches the same place as every other line), give the log a bounded moment to
// flush, and exit 1 so the supervisor (the launcher, Docker, Kubernetes) starts a clean one.
import type { Logger } from 'pino';

export interface FatalErrorOptions {
  /** How long the log may take to flush before the process exits anyway. */
  flushTimeoutMs?: number;
  exit?: (code: number) => void;
  target?: Pick<NodeJS.Process, 'on'>;
}

export function exitOnFatalErrors(
  logger: Logger,
  { flushTimeoutMs = 1_000, exit = (code) => process.exit(code), target = process }: FatalErrorOptions = {},
): void {
  let exiting = false;
  const fatal = (what: string) => (error: unknown) => {
    if (exiting) return;
    exiting = true;
    logger.fatal({ err: error }, `${what}: exiting`);
    const timer = setTimeout(() => exit(1), flushTimeoutMs);
    timer.unref?.();
    logger.flush((flushError) => {
      clearTimeout(timer);
      if (flushError) process.stderr.write(`log flush failed: ${flushError.message}\n`);
      exit(1);
    });
  };
  target.on('uncaughtException', fatal('uncaught exception'));
  target.on('unhandledRejection', fatal('unhandled promise rejection'));
}
