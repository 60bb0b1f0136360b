// The embedded mail sink: an SMTP server (smtp-server) on 127.0.0.1 that accepts any mail, parses
// it (mailparser) and hands it to be stored, so the platform's mail goes over real SMTP without
// any outside server. STARTTLS is off: the library's built-in certificate has expired, and the
// sink only listens on the loopback interface. AUTH is off too: there is nothing to log in to.
import { simpleParser } from 'mailparser';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import type { Logger } from '@azora/service-kit';
import type { ReceivedMail } from '../domain/ports';

export interface MailSinkOptions {
  port: number;
  maxBytes: number;
  logger: Logger;
  store(mail: ReceivedMail): Promise<string>;
}

export interface MailSink {
  /** Listens on 127.0.0.1; resolves with the port. */
  start(): Promise<number>;
  /** The port, once started. */
  readonly port: number | undefined;
  stop(): Promise<void>;
}

const HOST = '127.0.0.1';

async function readAll(stream: SMTPServerDataStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function parse(raw: Buffer, session: SMTPServerSession): Promise<ReceivedMail> {
  const parsed = await simpleParser(raw, { skipImageLinks: true });
  const mailFrom = session.envelope.mailFrom;
  return {
    messageId: parsed.messageId ?? null,
    from: mailFrom ? mailFrom.address : '',
    to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
    subject: parsed.subject ?? '',
    text: parsed.text ?? null,
    html: typeof parsed.html === 'string' ? parsed.html : null,
    size: raw.length,
  };
}

export function createMailSink({ port, maxBytes, logger, store }: MailSinkOptions): MailSink {
  const log = logger.child({ component: 'mail-sink' });
  let bound: number | undefined;
  const server = new SMTPServer({
    name: 'azora-mail-sink',
    banner: 'Azora mail sink: mail is kept for the /mailbox of the notification service',
    disabledCommands: ['STARTTLS', 'AUTH'],
    authOptional: true,
    disableReverseLookup: true,
    size: maxBytes,
    maxClients: 50,
    logger: false,
    onData(stream, session, callback) {
      readAll(stream)
        .then((raw) => {
          if (stream.sizeExceeded)
            throw Object.assign(new Error(`message exceeds ${maxBytes} bytes`), { responseCode: 552 });
          return parse(raw, session);
        })
        .then(store)
        .then(
          (id) => {
            log.debug({ mailId: id }, 'mail received');
            callback(null, `queued as ${id}`);
          },
          (error: unknown) => {
            log.warn({ err: error }, 'the mail sink could not keep a mail');
            callback(error as Error);
          },
        );
    },
  });
  server.on('error', (error) => log.warn({ err: error }, 'mail sink error'));

  return {
    get port() {
      return bound;
    },
    start() {
      return new Promise<number>((resolve, reject) => {
        const onError = (error: Error) => reject(error);
        server.server.once('error', onError);
        server.listen(port, HOST, () => {
          server.server.off('error', onError);
          const address = server.server.address();
          bound = typeof address === 'object' && address ? address.port : port;
          log.info(
            { host: HOST, port: bound },
            `mail sink listening on smtp://${HOST}:${bound} (read it at GET /mailbox)`,
          );
          resolve(bound);
        });
      });
    },
    stop() {
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
