import { ConfigError, loadConfig } from '@azora/service-kit';
import { configSchema } from '../src/config';

const DATABASE = { GATEWAY_DATABASE_URL: 'postgres://azora_gateway:secret@127.0.0.1:5432/azora' };

describe('Configuration', () => {
  it('When nothing optional is set, then the documented defaults apply and each service is at its catalog port', () => {
    const config = loadConfig(configSchema, DATABASE);

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
  });

  it('When service URLs, timeouts, limits and origins are set, then they are used', () => {
    const config = loadConfig(configSchema, {
      ...DATABASE,
      AZORA_MINT_URL: 'http://10.0.0.5:9002/',
      PROXY_TIMEOUT_MS: '5000',
      PROXY_TIMEOUT_MS_AI: '120000',
      AUTH_RATE_LIMIT_PER_IP: '7',
      CORS_ORIGINS: 'https://app.example, http://localhost:5173',
      ACCESS_TOKEN_TTL_SECONDS: '300',
    });

    expect(config.gateway.upstreams.find((u) => u.prefix === 'mint')?.url).toBe('http://10.0.0.5:9002');
    expect(config.gateway.settings.proxy).toMatchObject({ timeoutMs: 5000, timeouts: { ai: 120_000 } });
    expect(config.gateway.settings.rateLimit.perIp).toBe(7);
    expect(config.gateway.settings.corsOrigins).toEqual(['https://app.example', 'http://localhost:5173']);
    expect(config.gateway.settings.accessTokenTtlSeconds).toBe(300);
  });

  it('When the administrator is configured, then the email is normalised and the password kept', () => {
    const config = loadConfig(configSchema, {
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
    expect(() => loadConfig(configSchema, { ...DATABASE, ...env })).toThrow(ConfigError);
    expect(() => loadConfig(configSchema, { ...DATABASE, ...env })).toThrow(name);
  });
});
