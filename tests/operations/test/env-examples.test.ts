// One service by hand: each service's .env.example lists every variable its configuration reads,
// with the default it has, and `npm start` in its folder loads .env when one is there.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { SERVICES, databaseUrlVariable, serviceUrlVariable, type ServiceInfo } from '@azora/contracts';
import { baseServiceConfig } from '@azora/service-kit';
import { envFileValues } from './support/compose';
import { REPO_ROOT } from './support/tools';

const serviceDir = (info: ServiceInfo) => path.join(REPO_ROOT, 'services', info.name);

/** What every service reads beyond its config schema: its key material (service-kit). */
const KEY_VARIABLES = ['SERVICE_PRIVATE_KEY', 'SERVICE_KEY_FILE', 'SERVICE_JWKS', 'SERVICE_JWKS_FILE'];

/** Variables a configuration builds from the catalog rather than naming them one by one. */
function catalogVariables(source: string): string[] {
  const names: string[] = [];
  if (source.includes('PUBLIC_SERVICES.map((s) => [timeoutVariable')) {
    for (const s of SERVICES.filter((s) => s.publicPrefix !== null)) {
      names.push(`PROXY_TIMEOUT_MS_${s.publicPrefix!.toUpperCase()}`, serviceUrlVariable(s.name));
    }
  }
  if (source.includes('SERVICES.map((s) => [serviceUrlVariable(s.name)')) {
    names.push(...SERVICES.map((s) => serviceUrlVariable(s.name)));
  }
  return names;
}

/** Every variable name the service's configuration modules spell out. */
function variablesRead(info: ServiceInfo): string[] {
  const sources = ['config.ts', 'identity-config.ts']
    .map((file) => path.join(serviceDir(info), 'src', file))
    .flatMap((file) => {
      try {
        return [readFileSync(file, 'utf8')];
      } catch {
        return [];
      }
    })
    .join('\n');
  const spelled = [...sources.matchAll(/^\s+([A-Z][A-Z0-9_]{2,}):/gm)].map((m) => m[1] as string);
  const base = Object.keys(baseServiceConfig(info.schema, info.port).in.shape);
  return [
    ...new Set([
      ...base,
      ...spelled,
      ...KEY_VARIABLES,
      databaseUrlVariable(info.schema),
      serviceUrlVariable(info.name),
      ...catalogVariables(sources),
    ]),
  ];
}

type Loaded = { loadConfig(env: NodeJS.ProcessEnv): unknown };

/** The service's parsed configuration, or the message it would stop with. */
function parsed(info: ServiceInfo, env: Record<string, string>): unknown {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { loadConfig } = require(path.join(serviceDir(info), 'dist', 'config.js')) as Loaded;
  const exit = jest.spyOn(process, 'exit').mockImplementation(() => {
    throw new Error('the configuration was refused');
  });
  const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    return loadConfig(env);
  } finally {
    exit.mockRestore();
    stderr.mockRestore();
  }
}

/** A configuration as it acts: an unset own URL (publicUrl) means the address it listens on. */
function effective(config: unknown): unknown {
  const { publicUrl, host, port } = config as { publicUrl?: string; host: string; port: number };
  return { ...(config as object), publicUrl: publicUrl ?? `http://${host}:${port}` };
}

/** What a service needs to start at all: a database, and for the gateway a key-encryption key. */
function required(info: ServiceInfo): Record<string, string> {
  return {
    [databaseUrlVariable(info.schema)]: `postgres://azora_${info.schema}:secret@127.0.0.1:5432/azora`,
    ...(info.name === 'api-gateway' ? { GATEWAY_KEY_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString('base64') } : {}),
  };
}

describe.each(SERVICES.map((s) => [s.name, s] as const))('The .env.example of %s', (_name, info) => {
  const example = () => envFileValues(path.join(serviceDir(info), '.env.example'));

  it('When its configuration reads a variable, then the example lists it', () => {
    const listed = example();
    expect(variablesRead(info).filter((name) => !(name in listed))).toEqual([]);
  });

  it('When the example is used as it is, then the service gets exactly its defaults', () => {
    const asDocumented = parsed(info, { ...example(), ...required(info) });
    const defaults = parsed(info, required(info));
    expect(effective(asDocumented)).toEqual(effective(defaults));
  });

  it('When started by hand with npm start, then it loads .env from its folder when there is one', () => {
    const pkg = JSON.parse(readFileSync(path.join(serviceDir(info), 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    expect(pkg.scripts['start']).toBe('node --env-file-if-exists=.env dist/server.js');
  });
});
