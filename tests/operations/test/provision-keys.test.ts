// azora-ops provision-keys: production secrets made once and kept, as files compose mounts,
// env-file lines, or Kubernetes Secrets that give each service its own and nothing more.
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SERVICES, databaseUrlVariable } from '@azora/contracts';
import { PROVIDER_SECRETS } from '../../../infrastructure/ops/service-secrets';
import { schemaProblems, unknownFieldProblems, type KubernetesObject } from './support/kubernetes-schemas';
import { envFileValues } from './support/compose';
import { azoraOps } from './support/tools';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'azora-keys-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function provision(extra: string[] = []) {
  const result = azoraOps([
    'provision-keys',
    '--dir',
    path.join(dir, 'secrets'),
    '--env',
    path.join(dir, 'env'),
    ...extra,
  ]);
  if (result.status !== 0) throw new Error(`provision-keys failed:\n${result.stderr}`);
  return result;
}

const mode = (file: string) => statSync(file).mode & 0o777;

describe('azora-ops provision-keys', () => {
  it('When run, then every service has a private key only the key directory protects, beside the public key set and the key-encryption key', () => {
    provision();
    const keys = path.join(dir, 'secrets', 'keys');
    expect(mode(keys)).toBe(0o700);
    for (const info of SERVICES) {
      const file = path.join(keys, `${info.name}.private.pem`);
      expect(readFileSync(file, 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----/);
      expect(mode(file)).toBe(0o444);
    }
    const jwks = JSON.parse(readFileSync(path.join(keys, 'service-jwks.json'), 'utf8')) as { keys: { kid: string }[] };
    expect(jwks.keys.map((k) => k.kid).sort()).toEqual(SERVICES.map((s) => s.name).sort());
    expect(
      Buffer.from(readFileSync(path.join(keys, 'gateway-key-encryption.key'), 'utf8').trim(), 'base64'),
    ).toHaveLength(32);
  });

  it('When run twice, then nothing made the first time changes', () => {
    provision();
    const keyFile = path.join(dir, 'secrets', 'keys', 'azora-mint.private.pem');
    const firstKey = readFileSync(keyFile, 'utf8');
    const firstEnv = readFileSync(path.join(dir, 'env'), 'utf8');
    const second = provision();
    expect(readFileSync(keyFile, 'utf8')).toBe(firstKey);
    expect(readFileSync(path.join(dir, 'env'), 'utf8')).toBe(firstEnv);
    expect(second.stdout).toContain('nothing missing');
  });

  it('When the env file has some values, then only the empty and missing ones are generated, in place, and the file is private', () => {
    writeFileSync(
      path.join(dir, 'env'),
      '# mine\nMINT_DB_PASSWORD=chosen-by-the-operator-123\nPOSTGRES_PASSWORD=\nSMTP_URL=\n',
    );
    provision();
    const values = envFileValues(path.join(dir, 'env'));
    expect(values['MINT_DB_PASSWORD']).toBe('chosen-by-the-operator-123');
    expect(values['POSTGRES_PASSWORD']).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(values['SMTP_URL']).toBe('');
    expect(values['PAY_SANDBOX_WEBHOOK_SECRET']).toMatch(/^whsec_[A-Za-z0-9_-]{16,}$/);
    expect(Buffer.from(values['VAPID_PUBLIC_KEY']!, 'base64url')).toHaveLength(65);
    expect(Buffer.from(values['VAPID_PRIVATE_KEY']!, 'base64url')).toHaveLength(32);
    expect(readFileSync(path.join(dir, 'env'), 'utf8').split('\n').slice(0, 3)).toEqual([
      '# mine',
      'MINT_DB_PASSWORD=chosen-by-the-operator-123',
      `POSTGRES_PASSWORD=${values['POSTGRES_PASSWORD']}`,
    ]);
    expect(mode(path.join(dir, 'env'))).toBe(0o600);
  });

  it('When asked for Kubernetes, then each service Secret holds its own role URL, key and providers, and every object is valid', () => {
    writeFileSync(
      path.join(dir, 'env'),
      'DATABASE_URL=postgres://postgres:super@db.internal:5432/azora\nSTRIPE_SECRET_KEY=sk_test_x\nSTRIPE_WEBHOOK_SECRET=whsec_x\nOPENAI_API_KEY=sk-x\n',
    );
    const result = provision(['--format', 'k8s', '--namespace', 'azora-test']);
    const list = JSON.parse(result.stdout) as { items: (KubernetesObject & { stringData?: Record<string, string> })[] };
    expect(schemaProblems(list.items)).toEqual([]);
    expect(unknownFieldProblems(list.items)).toEqual([]);
    const values = envFileValues(path.join(dir, 'env'));
    for (const info of SERVICES) {
      const secret = list.items.find((o) => o.kind === 'Secret' && o.metadata.name === `${info.name}-secrets`)!;
      expect(secret.metadata.namespace).toBe('azora-test');
      const data = secret.stringData!;
      const password = values[`${info.schema.toUpperCase()}_DB_PASSWORD`];
      expect(data[databaseUrlVariable(info.schema)]).toBe(
        `postgres://azora_${info.schema}:${password}@db.internal:5432/azora`,
      );
      expect(data['SERVICE_PRIVATE_KEY']).toBe(
        readFileSync(path.join(dir, 'secrets', 'keys', `${info.name}.private.pem`), 'utf8'),
      );
      const allowed = new Set([
        databaseUrlVariable(info.schema),
        'SERVICE_PRIVATE_KEY',
        'METRICS_TOKEN',
        ...PROVIDER_SECRETS[info.name as keyof typeof PROVIDER_SECRETS],
      ]);
      expect(Object.keys(data).filter((name) => !allowed.has(name))).toEqual([]);
    }
    const pay = list.items.find((o) => o.metadata.name === 'azora-pay-secrets')!.stringData!;
    expect(pay['STRIPE_SECRET_KEY']).toBe('sk_test_x');
    const gateway = list.items.find((o) => o.metadata.name === 'api-gateway-secrets')!.stringData!;
    expect(gateway['GATEWAY_KEY_ENCRYPTION_KEY']).toBe(
      readFileSync(path.join(dir, 'secrets', 'keys', 'gateway-key-encryption.key'), 'utf8').trim(),
    );
    const bootstrap = list.items.find((o) => o.metadata.name === 'azora-bootstrap')!.stringData!;
    expect(bootstrap['DATABASE_URL']).toBe('postgres://postgres:super@db.internal:5432/azora');
  });

  it('When asked for Kubernetes without the superuser URL, then it stops naming DATABASE_URL', () => {
    const result = azoraOps([
      'provision-keys',
      '--format',
      'k8s',
      '--dir',
      path.join(dir, 's'),
      '--env',
      path.join(dir, 'env'),
    ]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('DATABASE_URL is not set in the env file');
  });
});

describe('azora-ops bootstrap', () => {
  it('When role passwords are missing or unsafe in a URL, then it stops naming each variable', () => {
    const env = {
      PATH: process.env['PATH'],
      DATABASE_URL: 'postgres://postgres:x@127.0.0.1:1/azora',
      MINT_DB_PASSWORD: 'has spaces and @ signs!',
    };
    const result = azoraOps(['bootstrap'], { env });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('NEXUS_DB_PASSWORD is not set');
    expect(result.stderr).toContain('MINT_DB_PASSWORD must be 16 or more of A-Z a-z 0-9 _ -');
  });
});
