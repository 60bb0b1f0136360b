// The limits of replies and budgets, with their defaults (each is an environment variable, see
// config.ts and .env.example).
import type { HistoryWindow } from './prompt';

export interface ReplySettings {
  /** Tokens per user per UTC day; 0 turns AI replies off. */
  dailyTokenBudget: number;
  /** The most a reply may write (and what a reply reserves on top of its prompt). */
  maxReplyTokens: number;
  history: HistoryWindow;
  /** Lesson passages put in a prompt. */
  passages: number;
  /** A JSON reply's whole generation; below the gateway's 30 s. */
  replyTimeoutMs: number;
  /** A streamed reply's whole generation. */
  streamTimeoutMs: number;
  /** How often a reply in progress is written to the database. */
  flushMs: number;
  /** How often a quiet SSE stream gets a comment, so proxies keep it open. */
  heartbeatMs: number;
  /** A reply 'streaming' whose writer has been silent this long died with its process. */
  staleReplyMs: number;
  /** The offline tutor's pause between words. */
  offlineTokenDelayMs: number;
}

export const DEFAULT_REPLY_SETTINGS: ReplySettings = {
  dailyTokenBudget: 50_000,
  maxReplyTokens: 800,
  history: { maxMessages: 12, maxChars: 12_000 },
  passages: 3,
  replyTimeoutMs: 25_000,
  streamTimeoutMs: 180_000,
  flushMs: 250,
  heartbeatMs: 15_000,
  staleReplyMs: 60_000,
  offlineTokenDelayMs: 15,
};
