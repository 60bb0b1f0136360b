// Bodies of /health and /ready, the same on every service.
import { z } from 'zod';

export const HealthBody = z.object({ status: z.literal('ok'), service: z.string(), version: z.string() });
export type HealthBody = z.infer<typeof HealthBody>;

export const ReadyCheck = z.object({
  name: z.string(),
  status: z.enum(['ok', 'failing']),
  latencyMs: z.number().nonnegative(),
  error: z.string().optional(),
});
export const ReadyBody = z.object({
  status: z.enum(['ready', 'not_ready']),
  service: z.string(),
  checks: z.array(ReadyCheck),
});
export type ReadyBody = z.infer<typeof ReadyBody>;
