// Input every route refuses before its own schema runs: text with a NUL character (PostgreSQL
// cannot store it, and no field of ours means it), and query parameters sent as arrays or
// objects (`?limit[]=1`, `?limit=1&limit=2`), which a schema of single values would otherwise
// silently drop or misread. Each becomes an issue naming the field.
import type { ProblemIssue } from '@azora/contracts';

const NUL = '\u0000';
const MAX_DEPTH = 32;

function nulIssues(value: unknown, path: string, issues: ProblemIssue[], depth: number): void {
  if (typeof value === 'string') {
    if (value.includes(NUL))
      issues.push({ path, message: 'must not contain the NUL character (\\u0000)', code: 'nul_character' });
    return;
  }
  if (typeof value !== 'object' || value === null || depth > MAX_DEPTH) return;
  if (Array.isArray(value)) {
    value.forEach((item, index) => nulIssues(item, `${path}.${index}`, issues, depth + 1));
    return;
  }
  for (const [key, item] of Object.entries(value)) {
    const child = `${path}.${key.replaceAll(NUL, '\\u0000')}`;
    if (key.includes(NUL))
      issues.push({
        path: child,
        message: 'a key must not contain the NUL character (\\u0000)',
        code: 'nul_character',
      });
    nulIssues(item, child, issues, depth + 1);
  }
}

/** Whether a NUL character is anywhere in `value`: the common answer, no, without building a path. */
function hasNul(value: unknown, depth: number): boolean {
  if (typeof value === 'string') return value.includes(NUL);
  if (typeof value !== 'object' || value === null || depth > MAX_DEPTH) return false;
  if (Array.isArray(value)) {
    for (const item of value) if (hasNul(item, depth + 1)) return true;
    return false;
  }
  for (const key of Object.keys(value)) {
    if (key.includes(NUL) || hasNul((value as Record<string, unknown>)[key], depth + 1)) return true;
  }
  return false;
}

/** Issues for NUL characters anywhere in `value` (strings and object keys), under `where`. */
export function unstorableTextIssues(value: unknown, where: string): ProblemIssue[] {
  const issues: ProblemIssue[] = [];
  if (hasNul(value, 0)) nulIssues(value, where, issues, 0);
  return issues;
}

/** Issues for query parameters that are not single values. */
export function queryShapeIssues(query: unknown): ProblemIssue[] {
  if (typeof query !== 'object' || query === null) return [];
  const issues: ProblemIssue[] = [];
  for (const [key, value] of Object.entries(query)) {
    const bracket = key.indexOf('[');
    const name = bracket > 0 ? key.slice(0, bracket) : key;
    if (bracket >= 0 || Array.isArray(value) || (typeof value === 'object' && value !== null)) {
      issues.push({
        path: `query.${name}`,
        message: 'must be given once, as a single value',
        code: 'not_a_single_value',
      });
    }
  }
  return issues;
}

/** Every hostile-input issue of a request's params, query and body. */
export function hostileInputIssues(parts: { params?: unknown; query?: unknown; body?: unknown }): ProblemIssue[] {
  return [
    ...unstorableTextIssues(parts.params, 'params'),
    ...queryShapeIssues(parts.query),
    ...unstorableTextIssues(parts.query, 'query'),
    ...unstorableTextIssues(parts.body, 'body'),
  ];
}
