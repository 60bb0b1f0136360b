// Logging: pino JSON lines in production, pretty output on a terminal.
import pino, { type Logger } from 'pino';

export type { Logger };

export interface LoggerOptions {
  service: string;
  level?: string;
  /** Defaults to pretty output when stdout is a terminal. */
  pretty?: boolean;
}

export function createLogger({
  service,
  level = 'info',
  pretty = process.stdout.isTTY === true,
}: LoggerOptions): Logger {
  return pino({
    name: service,
    level,
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: {
      paths: ['password', '*.password', 'req.headers.authorization', 'req.headers.cookie', '*.refreshToken'],
      censor: '[redacted]',
    },
    ...(pretty ? { transport: { target: 'pino-pretty', options: { colorize: true } } } : {}),
  });
}
