// Reads an RFC 9457 problem body by hand instead of with the contracts' zod schema: a browser
// bundle then carries no zod, and a code this client does not know yet (a newer server's) is
// kept as it is instead of failing the whole body.
import type { Problem, ProblemIssue } from '@azora/contracts';

/** The contract's named members of a problem, without its index signature. */
type ProblemMembers = { [K in keyof Problem as string extends K ? never : K]: Problem[K] };

/** A problem body as the client reads it: the contract's members, any code, extension members. */
export type ApiProblem = Omit<ProblemMembers, 'code'> & { code: string; [member: string]: unknown };

/**
 * The problem in `body` (parsed JSON, or its text), or undefined when it is none: a problem has a
 * string `type`, `title` and `code` and an error `status`. Optional members of the wrong type are
 * left out rather than failing the body.
 */
export function readProblem(body: unknown): ApiProblem | undefined {
  const value = typeof body === 'string' ? parseJson(body) : body;
  if (!isRecord(value)) return undefined;
  const { type, title, status, code, detail, instance, requestId, issues, ...extensions } = value;
  if (typeof type !== 'string' || typeof title !== 'string' || typeof code !== 'string' || code === '')
    return undefined;
  if (typeof status !== 'number' || !Number.isInteger(status) || status < 400 || status > 599) return undefined;
  const problem: ApiProblem = { ...extensions, type, title, status, code };
  if (typeof detail === 'string') problem.detail = detail;
  if (typeof instance === 'string') problem.instance = instance;
  if (typeof requestId === 'string') problem.requestId = requestId;
  const readIssues = readIssueList(issues);
  if (readIssues) problem.issues = readIssues;
  return problem;
}

function readIssueList(value: unknown): ProblemIssue[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const issues: ProblemIssue[] = [];
  for (const item of value) {
    if (!isRecord(item) || typeof item['path'] !== 'string' || typeof item['message'] !== 'string') return undefined;
    const issue: ProblemIssue = { path: item['path'], message: item['message'] };
    if (typeof item['code'] === 'string') issue.code = item['code'];
    issues.push(issue);
  }
  return issues;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
