// The VAPID key file and the configuration: keys generated once with mode 0600 and read back
// on every later start; bad variables named at start-up.
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConfigError, createLogger, loadConfig } from '@azora/service-kit';
import { configSchema } from '../src/config';
import { loadOrCreateVapidKeys } from '../src/providers/vapid-keys';

const logger = createLogger({ service: 'notification-service', level: 'silent' });
const DATABASE = { NOTIFICATION_DATABASE_URL: 'postgres://u:p@127.0.0.1:5432/azora' };

describe('the VAPID key file', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'vapid-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('When no key file exists, then a pair is generated into a file only its owner can read, and read back later', () => {
    const file = path.join(dir, 'keys', 'vapid.json');

    const first = loadOrCreateVapidKeys(file, logger);
    const second = loadOrCreateVapidKeys(file, logger);

    expect(first.publicKey).toMatch(/^[A-Za-z0-9_-]{87}$/);
    expect(second).toEqual(first);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('When the key file is not a key pair, then start-up fails naming the file', () => {
    const file = path.join(dir, 'vapid.json');
    writeFileSync(file, '{"publicKey": 1}');
    expect(() => loadOrCreateVapidKeys(file, logger)).toThrow(file);
  });
});

describe('configuration', () => {
  it('When nothing is set, then mail goes to the embedded sink on any free port and keys live under .data/', () => {
    const config = loadConfig(configSchema, DATABASE);
    expect(config.mail).toMatchObject({ smtpUrl: undefined, sinkPort: 0, from: 'Azora <no-reply@azora.local>' });
    expect(config.push.keysFile).toMatch(/\.data\/keys\/vapid\.json$/);
    expect(config.settings.delivery.maxAttempts).toBe(6);
  });

  it('When AZORA_DATA_DIR is set, then the key file is under it', () => {
    const config = loadConfig(configSchema, { ...DATABASE, AZORA_DATA_DIR: '/var/tmp/azora' });
    expect(config.push.keysFile).toBe('/var/tmp/azora/keys/vapid.json');
  });

  it('When variables are malformed, then each is named', () => {
    let error: unknown;
    try {
      loadConfig(configSchema, {
        ...DATABASE,
        SMTP_URL: 'http://mail.example.test',
        MAIL_SINK_PORT: '70000',
        VAPID_PUBLIC_KEY: 'BExampleExampleExampleExample',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    expect(message).toContain('SMTP_URL');
    expect(message).toContain('MAIL_SINK_PORT');
  });

  it('When one VAPID key is set without the other, then start-up names the missing one', () => {
    expect(() => loadConfig(configSchema, { ...DATABASE, VAPID_PUBLIC_KEY: 'BExampleExampleExampleExample' })).toThrow(
      /VAPID_PRIVATE_KEY/,
    );
  });
});
