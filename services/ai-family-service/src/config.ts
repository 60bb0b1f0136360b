// AI Family's configuration, parsed once from the environment at start-up: the settings every
// service has, the provider (OpenAI when OPENAI_API_KEY is set, the offline tutor otherwise),
// where Education is, the daily budget, and the limits of a reply.
import { z } from 'zod';
import { serviceInfo } from '@azora/contracts';
import { baseServiceConfig, intVar, readConfigOrExit, urlVar } from '@azora/service-kit';
import { DEFAULT_REPLY_SETTINGS, type ReplySettings } from './domain/settings';

export const SERVICE = serviceInfo('ai-family-service');
const EDUCATION = serviceInfo('azora-education');

const d = DEFAULT_REPLY_SETTINGS;

const aiVariables = z.object({
  OPENAI_API_KEY: z.string().min(1).optional(),
  OPENAI_MODEL: z.string().min(1).default('gpt-4o-mini'),
  /** Any OpenAI-compatible server, e.g. http://127.0.0.1:11434/v1 for Ollama. */
  OPENAI_BASE_URL: urlVar().optional(),
  /** Per provider attempt; JSON replies must end before the gateway's 30 s, see AI_REPLY_TIMEOUT_MS. */
  OPENAI_TIMEOUT_MS: intVar(20_000, 100, 600_000),
  OPENAI_MAX_RETRIES: intVar(1, 0, 5),
  AZORA_EDUCATION_URL: urlVar().default(`http://127.0.0.1:${EDUCATION.port}`),
  AI_EDUCATION_TIMEOUT_MS: intVar(3_000, 100, 60_000),
  AI_DAILY_TOKEN_BUDGET: intVar(d.dailyTokenBudget, 0, 100_000_000),
  AI_MAX_REPLY_TOKENS: intVar(d.maxReplyTokens, 16, 32_000),
  AI_HISTORY_MESSAGES: intVar(d.history.maxMessages, 0, 200),
  AI_HISTORY_CHARS: intVar(d.history.maxChars, 0, 400_000),
  AI_CONTEXT_PASSAGES: intVar(d.passages, 0, 20),
  /** A JSON reply's whole generation, below the gateway's 30 s wait for response headers. */
  AI_REPLY_TIMEOUT_MS: intVar(d.replyTimeoutMs, 100, 29_000),
  AI_STREAM_TIMEOUT_MS: intVar(d.streamTimeoutMs, 100, 3_600_000),
  AI_STREAM_FLUSH_MS: intVar(d.flushMs, 10, 60_000),
  AI_STREAM_HEARTBEAT_MS: intVar(d.heartbeatMs, 100, 120_000),
  AI_STALE_REPLY_MS: intVar(d.staleReplyMs, 1_000, 3_600_000),
  AI_OFFLINE_TOKEN_DELAY_MS: intVar(d.offlineTokenDelayMs, 0, 1_000),
});

export const configSchema = z
  .intersection(baseServiceConfig(SERVICE.schema, SERVICE.port), aiVariables)
  .transform((env) => {
    const settings: ReplySettings = {
      dailyTokenBudget: env.AI_DAILY_TOKEN_BUDGET,
      maxReplyTokens: env.AI_MAX_REPLY_TOKENS,
      history: { maxMessages: env.AI_HISTORY_MESSAGES, maxChars: env.AI_HISTORY_CHARS },
      passages: env.AI_CONTEXT_PASSAGES,
      replyTimeoutMs: env.AI_REPLY_TIMEOUT_MS,
      streamTimeoutMs: env.AI_STREAM_TIMEOUT_MS,
      flushMs: env.AI_STREAM_FLUSH_MS,
      heartbeatMs: env.AI_STREAM_HEARTBEAT_MS,
      staleReplyMs: env.AI_STALE_REPLY_MS,
      offlineTokenDelayMs: env.AI_OFFLINE_TOKEN_DELAY_MS,
    };
    return {
      ...env,
      openai: env.OPENAI_API_KEY
        ? {
            apiKey: env.OPENAI_API_KEY,
            model: env.OPENAI_MODEL,
            baseUrl: env.OPENAI_BASE_URL,
            timeoutMs: env.OPENAI_TIMEOUT_MS,
            maxRetries: env.OPENAI_MAX_RETRIES,
          }
        : undefined,
      education: {
        url: env.AZORA_EDUCATION_URL,
        timeoutMs: env.AI_EDUCATION_TIMEOUT_MS,
      },
      settings,
    };
  });

export function loadConfig(env: NodeJS.ProcessEnv = process.env) {
  return readConfigOrExit(configSchema, env);
}
export type AiFamilyConfig = ReturnType<typeof loadConfig>;
