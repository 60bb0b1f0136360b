// Forge's configuration: defaults for everything but the database, and a bad value named.
import { loadConfig } from '@azora/service-kit';
import { configSchema } from '../src/config';

const DATABASE = { FORGE_DATABASE_URL: 'postgres://forge:secret@127.0.0.1:5432/azora' };

describe("Forge's configuration", () => {
  it('When only the database is set, then Mint and the reconciler take their defaults', () => {
    const config = loadConfig(configSchema(), DATABASE);

    expect(config.port).toBe(3003);
    expect(config.forge).toEqual({
      mintUrl: 'http://127.0.0.1:3002',
      mintTimeoutMs: 5_000,
      reconcile: { intervalMs: 30_000, minAgeMs: 5_000, batch: 50 },
    });
  });

  it('When Forge variables are set, then they are read', () => {
    const config = loadConfig(configSchema(), {
      ...DATABASE,
      AZORA_MINT_URL: 'http://mint.internal:3002',
      FORGE_RECONCILE_INTERVAL_MS: '1000',
    });

    expect(config.forge.mintUrl).toBe('http://mint.internal:3002');
    expect(config.forge.reconcile.intervalMs).toBe(1_000);
  });

  it('When values are bad, then every bad variable is named', () => {
    expect(() =>
      loadConfig(configSchema(), { ...DATABASE, AZORA_MINT_URL: 'not a url', FORGE_MINT_TIMEOUT_MS: 'soon' }),
    ).toThrow(/AZORA_MINT_URL[\s\S]*FORGE_MINT_TIMEOUT_MS|FORGE_MINT_TIMEOUT_MS[\s\S]*AZORA_MINT_URL/);
  });
});
