// AI Family's configuration: the offline tutor by default, OpenAI (or a compatible server) with a
// key, and a bad value stopping the start naming the variable.
import { loadConfig } from '@azora/service-kit';
import { providerFor } from '../src/app';
import { configSchema } from '../src/config';

const BASE = { DATABASE_URL: 'postgres://u:p@127.0.0.1:5432/azora' };

describe('configuration', () => {
  it('When no OPENAI_API_KEY is set, then the offline tutor answers with the default limits', () => {
    const config = loadConfig(configSchema, BASE);

    expect(config.openai).toBeUndefined();
    expect(providerFor(config)).toMatchObject({ name: 'offline', model: 'azora-offline-tutor' });
    expect(config.settings).toMatchObject({ dailyTokenBudget: 50_000, maxReplyTokens: 800, replyTimeoutMs: 25_000 });
    expect(config.education).toEqual({ url: 'http://127.0.0.1:3001', timeoutMs: 3_000 });
  });

  it('When OPENAI_API_KEY is set, then OpenAI answers, at OPENAI_BASE_URL with OPENAI_MODEL when given', () => {
    const config = loadConfig(configSchema, {
      ...BASE,
      OPENAI_API_KEY: 'sk-test',
      OPENAI_BASE_URL: 'http://127.0.0.1:11434/v1',
      OPENAI_MODEL: 'llama3.2',
    });

    expect(config.openai).toMatchObject({ apiKey: 'sk-test', baseUrl: 'http://127.0.0.1:11434/v1', model: 'llama3.2' });
    expect(providerFor(config)).toMatchObject({ name: 'openai', model: 'llama3.2' });
  });

  it('When a JSON reply could outlast the gateway’s 30 s or a value is not a number, then the start stops naming it', () => {
    expect(() => loadConfig(configSchema, { ...BASE, AI_REPLY_TIMEOUT_MS: '30000' })).toThrow(/AI_REPLY_TIMEOUT_MS/);
    expect(() => loadConfig(configSchema, { ...BASE, AI_DAILY_TOKEN_BUDGET: 'lots' })).toThrow(/AI_DAILY_TOKEN_BUDGET/);
    expect(() => loadConfig(configSchema, { ...BASE, OPENAI_BASE_URL: 'not a url' })).toThrow(/OPENAI_BASE_URL/);
  });
});
