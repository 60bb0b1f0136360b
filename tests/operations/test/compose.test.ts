// docker-compose.production.yml, validated by docker-compose itself (`config` needs no engine):
// every service of the catalog with its port and a health check, the order they start in, what is
// published, and that each service holds its own secrets and nobody else's.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { SERVICES, databaseUrlVariable } from '@azora/contracts';
import { PROVIDER_SECRETS } from '../../../infrastructure/ops/service-secrets';
import {
  COMPOSE_FILE,
  composeConfig,
  envFileValues,
  provisionedEnvFile,
  renderCompose,
  type Compose,
} from './support/compose';
import { REPO_ROOT, requireTool } from './support/tools';

let dir: string;
let envFile: string;
let compose: Compose;

beforeAll(() => {
  requireTool('docker-compose', ['version']);
  ({ dir, envFile } = provisionedEnvFile());
  compose = renderCompose(envFile);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const passwordVariable = (schema: string) => `${schema.toUpperCase()}_DB_PASSWORD`;

describe('docker-compose.production.yml', () => {
  it.each(SERVICES.map((s) => [s.name, s] as const))(
    'When %s is composed, then it listens on its catalog port and its health check asks that port for /ready',
    (_name, info) => {
      const service = compose.services[info.name];
      expect(service).toBeDefined();
      expect(service!.environment?.['PORT']).toBe(String(info.port));
      expect(service!.environment?.['HOST']).toBe('0.0.0.0');
      expect(service!.healthcheck?.test).toEqual([
        'CMD',
        'node',
        '/app/infrastructure/docker/healthcheck.js',
        `http://127.0.0.1:${info.port}/ready`,
      ]);
      expect(service!.restart).toBe('unless-stopped');
      expect(service!.read_only).toBe(true);
      expect(service!.mem_limit).toBeDefined();
      expect(service!.cpus).toBeDefined();
    },
  );

  it('When the platform comes up, then every service waits for the bootstrap, and all but Nexus for a healthy Nexus', () => {
    expect(compose.services['bootstrap']?.depends_on).toEqual({ postgres: { condition: 'service_healthy' } });
    for (const info of SERVICES) {
      const dependsOn = compose.services[info.name]!.depends_on;
      expect(dependsOn?.['bootstrap']).toEqual({ condition: 'service_completed_successfully' });
      if (info.name !== 'azora-nexus') expect(dependsOn?.['azora-nexus']).toEqual({ condition: 'service_healthy' });
    }
  });

  it('When it runs, then only the gateway, and Grafana on the loopback, are published to the host', () => {
    const published = Object.entries(compose.services).filter(([, s]) => (s.ports ?? []).length > 0);
    expect(published.map(([name]) => name).sort()).toEqual(['api-gateway', 'grafana']);
    expect(JSON.stringify(compose.services['grafana']!.ports)).toContain('127.0.0.1');
    expect(JSON.stringify(compose.services['api-gateway']!.ports)).toContain('4000');
  });

  it('When it runs, then PostgreSQL and Prometheus keep their data in volumes, and monitoring is mounted from infrastructure/', () => {
    const mounts = (name: string) => JSON.stringify(compose.services[name]?.volumes ?? []);
    expect(Object.keys(compose.volumes ?? {})).toEqual(expect.arrayContaining(['postgres-data', 'prometheus-data']));
    expect(mounts('postgres')).toContain('/var/lib/postgresql/data');
    expect(mounts('prometheus')).toContain(path.join(REPO_ROOT, 'infrastructure', 'monitoring'));
    expect(mounts('prometheus')).toContain('/prometheus');
    expect(mounts('grafana')).toContain(path.join(REPO_ROOT, 'infrastructure', 'grafana', 'provisioning'));
    expect(mounts('grafana')).toContain(path.join(REPO_ROOT, 'infrastructure', 'grafana', 'dashboards'));
  });

  it.each(SERVICES.map((s) => [s.name, s] as const))(
    'When %s is composed, then it holds its own database role, key and provider credentials, and no other',
    (_name, info) => {
      const service = compose.services[info.name]!;
      const environment = service.environment ?? {};
      const passwords = envFileValues(envFile);
      expect(environment[databaseUrlVariable(info.schema)]).toBe(
        `postgres://azora_${info.schema}:${passwords[passwordVariable(info.schema)]}@postgres:5432/azora`,
      );
      for (const other of SERVICES.filter((s) => s.name !== info.name)) {
        expect(environment).not.toHaveProperty(databaseUrlVariable(other.schema));
        expect(JSON.stringify(environment)).not.toContain(passwords[passwordVariable(other.schema)]);
        for (const secret of PROVIDER_SECRETS[other.name as keyof typeof PROVIDER_SECRETS]) {
          expect(environment).not.toHaveProperty(secret);
        }
      }
      expect(environment).not.toHaveProperty('DATABASE_URL');
      expect(JSON.stringify(environment)).not.toContain(passwords['POSTGRES_PASSWORD']);
      const secrets = (service.secrets ?? []).map((s) => (typeof s === 'string' ? s : s.source)).sort();
      const expected = [
        `${info.name}-key`,
        'service-jwks',
        ...(info.name === 'api-gateway' ? ['gateway-key-encryption-key'] : []),
      ];
      expect(secrets).toEqual(expected.sort());
    },
  );

  it('When a service is given its key, then it is the file provision-keys made for that service', () => {
    const secretsDir = path.join(dir, 'secrets', 'keys');
    for (const info of SERVICES) {
      expect(compose.secrets?.[`${info.name}-key`]?.file).toBe(path.join(secretsDir, `${info.name}.private.pem`));
    }
    expect(compose.secrets?.['service-jwks']?.file).toBe(path.join(secretsDir, 'service-jwks.json'));
  });

  it('When a generated secret is missing from the env file, then docker-compose refuses and names it', () => {
    const broken = path.join(dir, 'broken.env');
    writeFileSync(broken, readFileSync(envFile, 'utf8').replace(/^MINT_DB_PASSWORD=.*$/m, 'MINT_DB_PASSWORD='));
    const result = composeConfig(broken);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('set MINT_DB_PASSWORD in the env file');
  });

  it('When compose reads a variable, then .env.production.example documents it', () => {
    const read = new Set([...readFileSync(COMPOSE_FILE, 'utf8').matchAll(/\$\{([A-Z][A-Z0-9_]*)/g)].map((m) => m[1]));
    const documented = envFileValues(path.join(REPO_ROOT, '.env.production.example'));
    expect([...read].filter((name) => !(name! in documented))).toEqual([]);
  });

  it.each(SERVICES.map((s) => [s.name, s] as const))(
    'When %s reads a setting (its .env.example), then compose passes it on from the env file',
    (_name, info) => {
      // Set by compose itself: where it listens and its peers live, its key files, its own role's
      // URL (never DATABASE_URL), and for the gateway a key-encryption key file.
      const setOtherwise = new Set([
        'DATABASE_URL',
        'SERVICE_PRIVATE_KEY',
        'SERVICE_JWKS',
        'GATEWAY_KEY_ENCRYPTION_KEY',
        'GATEWAY_SIGNING_KEY_FILE',
        'VAPID_KEYS_FILE',
      ]);
      const example = envFileValues(path.join(REPO_ROOT, 'services', info.name, '.env.example'));
      const environment = compose.services[info.name]!.environment ?? {};
      const missing = Object.keys(example).filter((name) => !setOtherwise.has(name) && !(name in environment));
      expect(missing).toEqual([]);
    },
  );
});
