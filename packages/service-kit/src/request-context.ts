// Request context: a request id (kept from x-request-id or created), echoed in the response
// and carried on every log line of the request.
import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';
import type { Logger } from 'pino';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      id: string;
      log: Logger;
    }
  }
}

export const REQUEST_ID_HEADER = 'x-request-id';
// Probes and scrapes arrive every few seconds; they would drown the log at info.
const QUIET_PATHS = new Set(['/health', '/ready', '/metrics']);
const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export function requestContext(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const incoming = req.get(REQUEST_ID_HEADER);
    req.id = incoming !== undefined && SAFE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
    req.log = logger.child({ requestId: req.id });
    res.setHeader(REQUEST_ID_HEADER, req.id);
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const durationMs = Number(process.hrtime.bigint() - started) / 1e6;
      const line = {
        method: req.method,
        url: req.originalUrl,
        status: res.statusCode,
        durationMs: Math.round(durationMs * 10) / 10,
      };
      if (res.statusCode >= 500) req.log.error(line, 'request completed');
      else if (QUIET_PATHS.has(req.path)) req.log.debug(line, 'request completed');
      else req.log.info(line, 'request completed');
    });
    next();
  };
}
