// serviceEnv: each service process gets its own secrets and settings, and none of the launcher's
// others: not the superuser's URL, not another role's password, not another service's key.
import { SERVICES, databaseUrlVariable, serviceUrlVariable, type ServiceInfo } from '@azora/contracts';
import { DEV_CORS_ORIGINS, declaredVariables, serviceEnv, type ServiceSecrets } from '../src';

const DATA_DIR = '/srv/azora-data';
const SUPERUSER_URL = 'postgres://postgres:superuser-password@127.0.0.1:5439/postgres';

/** Secrets the launcher provisioned, each value unique to its service. */
function secretsOf(info: ServiceInfo): ServiceSecrets {
  return {
    databaseUrl: `postgres://azora_${info.schema}:${info.schema}-role-password@127.0.0.1:5439/postgres`,
    keyFile: `${DATA_DIR}/keys/${info.name}.private.pem`,
    jwksFile: `${DATA_DIR}/keys/service-jwks.json`,
    ...(info.name === 'api-gateway' ? { keyEncryptionKeyFile: `${DATA_DIR}/keys/gateway-key-encryption.key` } : {}),
    ...(info.name === 'notification-service'
      ? {
          ownDirectory: `${DATA_DIR}/services/notification-service`,
          ownFiles: { VAPID_KEYS_FILE: `${DATA_DIR}/services/notification-service/vapid.json` },
        }
      : {}),
  };
}

/** A launcher environment holding every kind of secret a developer's shell may have. */
const LAUNCHER_ENV: Record<string, string> = {
  PATH: '/usr/bin:/bin',
  HOME: '/home/dev',
  NODE_OPTIONS: '--max-old-space-size=512',
  DATABASE_URL: SUPERUSER_URL,
  PGPASSWORD: 'superuser-password',
  AZORA_DATA_DIR: DATA_DIR,
  AZORA_PG_PORT: '5439',
  ROLE_PASSWORDS_FILE: `${DATA_DIR}/role-passwords.json`,
  SERVICE_PRIVATE_KEY: 'a-private-key-for-nobody',
  SERVICE_KEY_FILE: `${DATA_DIR}/keys/someone-else.private.pem`,
  GATEWAY_KEY_ENCRYPTION_KEY_FILE: '/somewhere/else.key',
  AWS_SECRET_ACCESS_KEY: 'cloud-secret',
  ...Object.fromEntries(SERVICES.map((s) => [databaseUrlVariable(s.schema), `postgres://elsewhere/${s.schema}`])),
  STRIPE_SECRET_KEY: 'sk_test_pay-only',
  OPENAI_API_KEY: 'sk-ai-family-only',
  SMTP_URL: 'smtp://user:notification-only@mail.example',
  ADMIN_EMAIL: 'admin@example.com',
  ADMIN_PASSWORD: 'gateway-only-password-1',
  MINT_REWARD_LESSON: '2',
  NEXUS_MAX_ATTEMPTS: '5',
  DB_POOL_MAX: '7',
};

/** Which service may see each of LAUNCHER_ENV's service-specific values. */
const OWNER_OF: Record<string, string> = {
  STRIPE_SECRET_KEY: 'azora-pay',
  OPENAI_API_KEY: 'ai-family-service',
  SMTP_URL: 'notification-service',
  ADMIN_EMAIL: 'api-gateway',
  ADMIN_PASSWORD: 'api-gateway',
  MINT_REWARD_LESSON: 'azora-mint',
  NEXUS_MAX_ATTEMPTS: 'azora-nexus',
};

function envOf(
  info: ServiceInfo,
  inherited: Record<string, string> = LAUNCHER_ENV,
  declared: readonly string[] = [],
): Record<string, string> {
  return serviceEnv({
    declared,
    info,
    inherited,
    secrets: secretsOf(info),
    port: info.port,
    host: '127.0.0.1',
    logLevel: 'info',
    peers: { AZORA_NEXUS_URL: 'http://127.0.0.1:3000' },
  });
}

describe('serviceEnv', () => {
  it.each(SERVICES.map((s) => [s.name, s] as const))(
    'When %s is given its environment, then it holds its own database URL and key and no other secret',
    (_name, info) => {
      // Act
      const env = envOf(info);

      // Assert
      const values = Object.values(env).join('\n');
      const others = SERVICES.filter((s) => s.name !== info.name).map(secretsOf);
      expect(env[databaseUrlVariable(info.schema)]).toBe(secretsOf(info).databaseUrl);
      expect(env['SERVICE_KEY_FILE']).toBe(secretsOf(info).keyFile);
      expect(env['SERVICE_JWKS_FILE']).toBe(secretsOf(info).jwksFile);
      for (const other of others) {
        expect(values).not.toContain(other.databaseUrl);
        expect(values).not.toContain(other.keyFile);
      }
      expect(values).not.toContain('superuser-password');
      expect(values).not.toContain('role-passwords.json');
      expect(values).not.toContain('a-private-key-for-nobody');
      expect(values).not.toContain('cloud-secret');
      expect(values).not.toContain('postgres://elsewhere/');
      for (const name of ['DATABASE_URL', 'PGPASSWORD', 'AZORA_DATA_DIR', 'SERVICE_PRIVATE_KEY']) {
        expect(env).not.toHaveProperty(name);
      }
    },
  );

  it("When the launcher's environment holds a provider's secret or setting, then only the service it belongs to receives it", () => {
    // Act
    const receivers = Object.fromEntries(
      Object.keys(OWNER_OF).map((name) => [
        name,
        SERVICES.filter((s) => envOf(s)[name] === LAUNCHER_ENV[name]).map((s) => s.name),
      ]),
    );

    // Assert
    expect(receivers).toEqual(Object.fromEntries(Object.entries(OWNER_OF).map(([name, owner]) => [name, [owner]])));
  });

  it('When services are given their environments, then only the gateway holds the key-encryption key file, the one the launcher made', () => {
    // Act
    const holders = SERVICES.filter((s) => 'GATEWAY_KEY_ENCRYPTION_KEY_FILE' in envOf(s)).map((s) => s.name);

    // Assert
    expect(holders).toEqual(['api-gateway']);
    expect(envOf(SERVICES.find((s) => s.name === 'api-gateway')!)['GATEWAY_KEY_ENCRYPTION_KEY_FILE']).toBe(
      `${DATA_DIR}/keys/gateway-key-encryption.key`,
    );
  });

  it("When services are given their environments, then each keeps the system's variables and the settings all services share", () => {
    // Act
    const envs = SERVICES.map((s) => envOf(s));

    // Assert
    for (const env of envs) {
      expect(env).toMatchObject({
        PATH: '/usr/bin:/bin',
        NODE_OPTIONS: '--max-old-space-size=512',
        DB_POOL_MAX: '7',
        AZORA_NEXUS_URL: 'http://127.0.0.1:3000',
        HOST: '127.0.0.1',
        LOG_LEVEL: 'info',
      });
    }
  });

  it('When tracing is configured, then every service gets the exporter settings but names itself', () => {
    // Arrange
    const inherited = {
      ...LAUNCHER_ENV,
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318',
      OTEL_TRACES_SAMPLER: 'parentbased_always_on',
      OTEL_SERVICE_NAME: 'everything',
    };

    // Act
    const envs = SERVICES.map((s) => envOf(s, inherited));

    // Assert
    for (const env of envs) {
      expect(env).toMatchObject({
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318',
        OTEL_TRACES_SAMPLER: 'parentbased_always_on',
      });
      expect(env['OTEL_SERVICE_NAME']).toBeUndefined();
    }
  });

  it('When a service declares a variable in its .env.example, then that variable reaches it and no other service', () => {
    // Arrange
    const inherited = { ...LAUNCHER_ENV, REWARD_DAILY_CAP: '300' };

    // Act
    const receivers = SERVICES.filter(
      (s) => envOf(s, inherited, s.name === 'azora-mint' ? ['REWARD_DAILY_CAP'] : [])['REWARD_DAILY_CAP'] === '300',
    ).map((s) => s.name);

    // Assert
    expect(receivers).toEqual(['azora-mint']);
  });

  it("When a service declares the superuser's URL, the data directory or inline keys, then it still does not receive the caller's", () => {
    // Arrange
    const declared = ['DATABASE_URL', 'AZORA_DATA_DIR', 'SERVICE_PRIVATE_KEY', 'SERVICE_KEY_FILE', 'PORT'];
    const mint = SERVICES.find((s) => s.name === 'azora-mint')!;

    // Act
    const env = envOf(mint, { ...LAUNCHER_ENV, PORT: '1' }, declared);

    // Assert
    expect(env).not.toHaveProperty('DATABASE_URL');
    expect(env).not.toHaveProperty('AZORA_DATA_DIR');
    expect(env).not.toHaveProperty('SERVICE_PRIVATE_KEY');
    expect(env['SERVICE_KEY_FILE']).toBe(secretsOf(mint).keyFile);
    expect(env['PORT']).toBe(String(mint.port));
  });

  it.each(SERVICES.map((s) => [s.name, s] as const))(
    "When every variable %s's .env.example declares is set, then each reaches it but those the launcher owns",
    (_name, info) => {
      // Arrange
      const declared = declaredVariables(info);
      const inherited = Object.fromEntries(declared.map((name) => [name, `caller-${name}`]));

      // Act
      const env = envOf(info, inherited, declared);

      // Assert
      const missing = declared.filter((name) => env[name] !== `caller-${name}`);
      const launcherOwned = new Set([
        ...Object.keys(envOf(info, {})),
        ...SERVICES.map((s) => serviceUrlVariable(s.name)),
        ...['DATABASE_URL', 'AZORA_DATA_DIR', 'SERVICE_PRIVATE_KEY', 'SERVICE_JWKS'],
      ]);
      expect(missing.filter((name) => !launcherOwned.has(name))).toEqual([]);
    },
  );

  it('When a service keeps files of its own, then it alone is told where, unless the caller chose the place', () => {
    // Arrange
    const notification = SERVICES.find((s) => s.name === 'notification-service')!;

    // Act
    const holders = SERVICES.filter((s) => 'VAPID_KEYS_FILE' in envOf(s)).map((s) => s.name);
    const byDefault = envOf(notification)['VAPID_KEYS_FILE'];
    const chosen = envOf(notification, { ...LAUNCHER_ENV, VAPID_KEYS_FILE: '/etc/azora/vapid.json' })[
      'VAPID_KEYS_FILE'
    ];

    // Assert
    expect(holders).toEqual(['notification-service']);
    expect(byDefault).toBe(`${DATA_DIR}/services/notification-service/vapid.json`);
    expect(chosen).toBe('/etc/azora/vapid.json');
  });

  it('When CORS_ORIGINS is unset, then the gateway allows the local dev origins; when it is set, then exactly those', () => {
    // Arrange
    const gateway = SERVICES.find((s) => s.name === 'api-gateway')!;
    const { CORS_ORIGINS: _unset, ...withoutCors } = LAUNCHER_ENV;

    // Act
    const byDefault = envOf(gateway, withoutCors)['CORS_ORIGINS'];
    const chosen = envOf(gateway, { ...withoutCors, CORS_ORIGINS: 'https://app.example.com' })['CORS_ORIGINS'];
    const elsewhere = SERVICES.filter((s) => s.name !== 'api-gateway').map((s) => envOf(s)['CORS_ORIGINS']);

    // Assert
    expect(byDefault?.split(',')).toEqual(DEV_CORS_ORIGINS);
    expect(DEV_CORS_ORIGINS).toEqual(expect.arrayContaining(['http://localhost:5173', 'http://127.0.0.1:3000']));
    expect(chosen).toBe('https://app.example.com');
    expect(elsewhere.every((value) => value === undefined)).toBe(true);
  });
});
