import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, generateUserSigningKey } from '@azora/service-kit';
import { parseConfig } from '../src/config';

const KEY = Buffer.alloc(32, 7).toString('base64');
const DATABASE = {
  GATEWAY_DATABASE_URL: 'postgres://azora_gateway:secret@127.0.0.1:5432/azora',
  GATEWAY_KEY_ENCRYPTION_KEY: KEY,
};

describe('Configuration', () => {
  it('When nothing optional is set, then the documented defaults apply and each service is at its catalog port', () => {
    const config = parseConfig(DATABASE);

    expect(config).toMatchObject({ port: 4000, databaseUrl: DATABASE.GATEWAY_DATABASE_URL });
    expect(config.gateway.settings).toMatchObject({
      accessTokenTtlSeconds: 900,
      refreshTokenTtlSeconds: 2_592_000,
      signingKeyMaxAgeSeconds: 2_592_000,
      corsOrigins: [],
    });
    expect(config.gateway.settings.proxy).toMatchObject({ timeoutMs: 30_000, bodyLimitBytes: 10 * 1024 * 1024 });
    expect(config.gateway.upstreams.find((u) => u.prefix === 'mint')).toEqual({
      name: 'azora-mint',
      title: 'Mint',
      prefix: 'mint',
      url: 'http://127.0.0.1:3002',
    });
    expect(config.gateway.upstreams.map((u) => u.prefix).sort()).toEqual([
      'ai',
      'analytics',
      'education',
      'forge',
      'mint',
      'monitoring',
      'notifications',
      'pay',
    ]);
    expect(config.gateway.admin).toBeUndefined();
    expect(config.gateway.settings.trustProxy).toEqual(['loopback']);
    expect(config.gateway.settings.rateLimit).toMatchObject({ windowSeconds: 900, perIp: 300, perAccount: 5 });
  });

  it('When service URLs, timeouts, limits and origins are set, then they are used', () => {
    const config = parseConfig({
      ...DATABASE,
      AZORA_MINT_URL: 'http://10.0.0.5:9002/',
      PROXY_TIMEOUT_MS: '5000',
      PROXY_TIMEOUT_MS_AI: '120000',
      AUTH_RATE_LIMIT_PER_IP: '7',
      CORS_ORIGINS: 'https://app.example, http://localhost:5173',
      ACCESS_TOKEN_TTL_SECONDS: '300',
      TRUST_PROXY: '10.0.0.0/8, 192.0.2.1',
      AUTH_LOGIN_MAX_DELAY_SECONDS: '60',
    });

    expect(config.gateway.upstreams.find((u) => u.prefix === 'mint')?.url).toBe('http://10.0.0.5:9002');
    expect(config.gateway.settings.proxy).toMatchObject({ timeoutMs: 5000, timeouts: { ai: 120_000 } });
    expect(config.gateway.settings.rateLimit.perIp).toBe(7);
    expect(config.gateway.settings.corsOrigins).toEqual(['https://app.example', 'http://localhost:5173']);
    expect(config.gateway.settings.accessTokenTtlSeconds).toBe(300);
    expect(config.gateway.settings.trustProxy).toEqual(['10.0.0.0/8', '192.0.2.1']);
    expect(config.gateway.settings.rateLimit.maxDelaySeconds).toBe(60);
  });

  it('When TRUST_PROXY is none, then no proxy is trusted', () => {
    expect(parseConfig({ ...DATABASE, TRUST_PROXY: 'none' }).gateway.settings.trustProxy).toEqual([]);
  });

  it('When the key-encryption key is given in a file, then it is read from there', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'gateway-kek-'));
    const file = path.join(dir, 'gateway-key-encryption.key');
    writeFileSync(file, `${KEY}\n`);
    const { GATEWAY_KEY_ENCRYPTION_KEY: _unused, ...withoutKey } = DATABASE;

    const config = parseConfig({ ...withoutKey, GATEWAY_KEY_ENCRYPTION_KEY_FILE: file });

    expect(config.gateway.keyEncryptionKey?.key).toEqual(Buffer.from(KEY, 'base64'));
  });

  it('When neither key-encryption variable is set, then start-up stops naming GATEWAY_KEY_ENCRYPTION_KEY, unless a signing key file is used', () => {
    const { GATEWAY_KEY_ENCRYPTION_KEY: _unused, ...withoutKey } = DATABASE;
    const dir = mkdtempSync(path.join(os.tmpdir(), 'gateway-signing-'));
    const pem = path.join(dir, 'signing.pem');
    writeFileSync(pem, generateUserSigningKey().privateKeyPem);

    expect(() => parseConfig(withoutKey)).toThrow(/GATEWAY_KEY_ENCRYPTION_KEY/);
    expect(parseConfig({ ...withoutKey, GATEWAY_SIGNING_KEY_FILE: pem }).gateway.signingKeyPem).toContain(
      'PRIVATE KEY',
    );
  });

  it.each([
    ['ADMIN_PASSWORD', { ADMIN_EMAIL: 'root@azora.dev', ADMIN_PASSWORD: 'hunter' }, 'hunter'],
    [
      'GATEWAY_KEY_ENCRYPTION_KEY',
      { GATEWAY_KEY_ENCRYPTION_KEY: 'c2VjcmV0LWJ1dC1zaG9ydA==' },
      'c2VjcmV0LWJ1dC1zaG9ydA',
    ],
    ['GATEWAY_SIGNING_KEY_FILE', { GATEWAY_SIGNING_KEY_FILE: '/nonexistent/secret-place.pem' }, 'secret-place'],
    ['TRUST_PROXY', { TRUST_PROXY: 'proxy.internal.example' }, 'proxy.internal.example'],
  ])('When %s fails validation, then the error names it and never prints its value', (name, env, value) => {
    let error: unknown;
    try {
      parseConfig({ ...DATABASE, ...env });
    } catch (caught) {
      error = caught;
    }

    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toContain(name);
    expect((error as Error).message).not.toContain(value);
  });

  it('When the administrator is configured, then the email is normalised and the password kept', () => {
    const config = parseConfig({
      ...DATABASE,
      ADMIN_EMAIL: 'Root@Azora.Dev',
      ADMIN_PASSWORD: 'admin-password-1',
    });

    expect(config.gateway.admin).toEqual({
      email: 'root@azora.dev',
      password: 'admin-password-1',
      name: 'Administrator',
    });
  });

  it.each([
    [{ ADMIN_EMAIL: 'root@azora.dev' }, /ADMIN_PASSWORD/],
    [{ ADMIN_EMAIL: 'root@azora.dev', ADMIN_PASSWORD: 'weak' }, /ADMIN_PASSWORD/],
    [{ PROXY_TIMEOUT_MS_AI: 'soon' }, /PROXY_TIMEOUT_MS_AI/],
    [{ AZORA_MINT_URL: 'not a url' }, /AZORA_MINT_URL/],
    [{ GATEWAY_SIGNING_KEY_FILE: '/nonexistent/key.pem' }, /GATEWAY_SIGNING_KEY_FILE/],
  ])('When %o is set, then the error names the variable', (env, name) => {
    expect(() => parseConfig({ ...DATABASE, ...env })).toThrow(ConfigError);
    expect(() => parseConfig({ ...DATABASE, ...env })).toThrow(name);
  });
});
