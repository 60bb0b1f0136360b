// RFC 9457 problem details: the one error body every Azora service returns. Its `code` is one
// of the catalog's (./problems), and so are its `status`, `title` and `type`.
import { z } from 'zod';
import { PROBLEM_CODES, type ProblemCode } from './problems';

export * from './problems';

export const ProblemIssue = z.object({
  path: z.string(),
  message: z.string(),
  code: z.string().optional(),
});
export type ProblemIssue = z.infer<typeof ProblemIssue>;

export const ProblemCodeSchema = z.enum(PROBLEM_CODES as [ProblemCode, ...ProblemCode[]]);

export const Problem = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int().min(400).max(599),
    detail: z.string().optional(),
    instance: z.string().optional(),
    code: ProblemCodeSchema,
    requestId: z.string().optional(),
    issues: z.array(ProblemIssue).optional(),
  })
  .loose();
export type Problem = z.infer<typeof Problem>;

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';
