// Config: a bad environment is refused with a message naming each variable and what it expects.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { z } from 'zod';
import { baseServiceConfig, ConfigError, loadConfig, portVar, urlVar } from '../src';

const KIT_DIST = path.resolve(__dirname, '..', 'dist');
const MINT_URL = 'postgres://azora_mint:secret@127.0.0.1:5432/azora';
const SHARED_URL = 'postgres://shared:secret@127.0.0.1:5432/azora';

function configErrorOf(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError, but the configuration was accepted');
}

interface Exited {
  code: number | null;
  stderr: string;
}

function runNode(script: string, env: NodeJS.ProcessEnv): Promise<Exited> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', script], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => (stderr += chunk));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stderr }));
  });
}

describe('loadConfig', () => {
  const schema = z.object({ API_URL: urlVar(), PORT: portVar(3000) });

  it('When every variable is valid, then it returns the typed config with defaults applied', () => {
    // Arrange
    const env = { API_URL: 'http://127.0.0.1:4000' };

    // Act
    const config = loadConfig(schema, env);

    // Assert
    expect(config).toEqual({ API_URL: 'http://127.0.0.1:4000', PORT: 3000 });
  });

  it('When one variable is missing and another malformed, then the ConfigError names each with what was expected', () => {
    // Arrange
    const env = { PORT: 'eighty' };

    // Act
    const error = configErrorOf(() => loadConfig(schema, env));

    // Assert
    expect(error.problems).toHaveLength(2);
    expect(error.message).toContain('API_URL: expected a URL such as http://127.0.0.1:3000 (it is not set)');
    expect(error.message).toContain('PORT: expected a port number (the value given is not valid)');
    expect(error.message).not.toContain('eighty');
  });
});

describe('baseServiceConfig', () => {
  it('When both MINT_DATABASE_URL and DATABASE_URL are set, then the service uses its own URL', () => {
    // Arrange
    const env = { MINT_DATABASE_URL: MINT_URL, DATABASE_URL: SHARED_URL };

    // Act
    const config = loadConfig(baseServiceConfig('mint', 3002), env);

    // Assert
    expect(config.databaseUrl).toBe(MINT_URL);
  });

  it('When only DATABASE_URL is set, then the service falls back to it', () => {
    // Arrange
    const env = { DATABASE_URL: SHARED_URL };

    // Act
    const config = loadConfig(baseServiceConfig('mint', 3002), env);

    // Assert
    expect(config.databaseUrl).toBe(SHARED_URL);
  });

  it('When PORT and the other settings are not set, then they take their defaults', () => {
    // Arrange
    const env = { MINT_DATABASE_URL: MINT_URL };

    // Act
    const config = loadConfig(baseServiceConfig('mint', 3002), env);

    // Assert
    expect(config).toMatchObject({
      port: 3002,
      host: '127.0.0.1',
      logLevel: 'info',
      databaseUrl: MINT_URL,
      dbPoolMax: 10,
      shutdownTimeoutMs: 10_000,
      version: '0.1.0',
    });
  });

  it('When neither database URL is set, then the ConfigError names MINT_DATABASE_URL', () => {
    // Arrange
    const env = { PORT: '3002' };

    // Act
    const error = configErrorOf(() => loadConfig(baseServiceConfig('mint', 3002), env));

    // Assert
    expect(error.problems).toEqual([
      expect.stringMatching(/^MINT_DATABASE_URL: required: set MINT_DATABASE_URL .* or DATABASE_URL/),
    ]);
  });

  it('When MINT_DATABASE_URL is not a postgres URL, then the ConfigError names it and never prints the value', () => {
    // Arrange: a connection string holds a password.
    const env = { MINT_DATABASE_URL: 'mysql://admin:s3cret@127.0.0.1/azora' };

    // Act
    const error = configErrorOf(() => loadConfig(baseServiceConfig('mint', 3002), env));

    // Assert
    expect(error.problems).toEqual([
      'MINT_DATABASE_URL: expected a postgres:// connection string (the value given is not valid)',
    ]);
    expect(error.message).not.toContain('s3cret');
  });
});

describe('readConfigOrExit', () => {
  it('When a process starts with a bad environment, then it exits 1 with stderr naming the variable', async () => {
    // Arrange
    const script = `
      const kit = require(${JSON.stringify(KIT_DIST)});
      kit.readConfigOrExit(kit.baseServiceConfig('mint', 3002));
      process.stdout.write('started anyway');
    `;
    const env = { PATH: process.env['PATH'] ?? '', PORT: 'not-a-port' };

    // Act
    const exited = await runNode(script, env);

    // Assert
    expect(exited.code).toBe(1);
    expect(exited.stderr).toContain('Invalid configuration');
    expect(exited.stderr).toContain('PORT: expected a port number (the value given is not valid)');
    expect(exited.stderr).not.toContain('not-a-port');
  });

  it('When a process starts without any database URL, then it exits 1 with stderr naming MINT_DATABASE_URL', async () => {
    // Arrange
    const script = `
      const kit = require(${JSON.stringify(KIT_DIST)});
      kit.readConfigOrExit(kit.baseServiceConfig('mint', 3002));
    `;
    const env = { PATH: process.env['PATH'] ?? '' };

    // Act
    const exited = await runNode(script, env);

    // Assert
    expect(exited.code).toBe(1);
    expect(exited.stderr).toContain('MINT_DATABASE_URL: required');
  });
});
