import { ConfigError } from '@azora/service-kit';
import { parseConfig } from '../src/config';

const REQUIRED = {
  GATEWAY_DATABASE_URL: 'postgres://azora_gateway:secret@127.0.0.1:5432/azora',
  GATEWAY_KEY_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
};

describe('Proxy configuration', () => {
  it('When nothing is set, then the documented proxy defaults apply', () => {
    const { proxy } = parseConfig(REQUIRED).gateway.settings;

    expect(proxy).toMatchObject({
      bodyTimeoutMs: 20_000,
      breakerFailureThreshold: 5,
      breakerProbeIntervalMs: 500,
      writeRateLimit: { points: 600, windowSeconds: 60 },
      healthCacheMs: 2_000,
    });
  });

  it('When the proxy variables are set, then the settings carry them', () => {
    const { proxy } = parseConfig({
      ...REQUIRED,
      GATEWAY_BODY_TIMEOUT_MS: '5000',
      BREAKER_PROBE_INTERVAL_MS: '250',
      GATEWAY_WRITE_RATE_LIMIT: '120',
      GATEWAY_WRITE_RATE_LIMIT_WINDOW_SECONDS: '30',
      GATEWAY_HEALTH_CACHE_MS: '0',
    }).gateway.settings;

    expect(proxy).toMatchObject({
      bodyTimeoutMs: 5_000,
      breakerProbeIntervalMs: 250,
      writeRateLimit: { points: 120, windowSeconds: 30 },
      healthCacheMs: 0,
    });
  });

  it.each([
    ['GATEWAY_BODY_TIMEOUT_MS', 'soon'],
    ['BREAKER_PROBE_INTERVAL_MS', '0'],
    ['GATEWAY_WRITE_RATE_LIMIT', '-1'],
  ])('When %s is %p, then the configuration is refused naming it', (name, value) => {
    const parse = () => parseConfig({ ...REQUIRED, [name]: value });

    expect(parse).toThrow(ConfigError);
    expect(parse).toThrow(new RegExp(name));
  });
});
