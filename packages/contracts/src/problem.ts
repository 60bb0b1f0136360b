// RFC 9457 problem details: the one error body every Azora service returns.
import { z } from 'zod';

export const ProblemIssue = z.object({
  path: z.string(),
  message: z.string(),
  code: z.string().optional(),
});
export type ProblemIssue = z.infer<typeof ProblemIssue>;

export const Problem = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int().min(400).max(599),
    detail: z.string().optional(),
    instance: z.string().optional(),
    code: z.string().optional(),
    requestId: z.string().optional(),
    issues: z.array(ProblemIssue).optional(),
  })
  .loose();
export type Problem = z.infer<typeof Problem>;

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';
