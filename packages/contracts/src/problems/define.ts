// How a group of problem codes is declared: each code once, with its HTTP status and a short
// title; the `type` URI is derived from the code so it can never disagree with it.
export interface ProblemSpec {
  readonly status: number;
  readonly title: string;
}

export interface ProblemEntry extends ProblemSpec {
  readonly code: string;
  /** RFC 9457 `type`: a stable URI naming the problem. */
  readonly type: string;
}

export const PROBLEM_TYPE_BASE = 'https://azora.dev/problems/';

/** The `type` URI of a problem code. */
export function problemTypeUri(code: string): string {
  return `${PROBLEM_TYPE_BASE}${code}`;
}

/** Declares a group of codes; TypeScript keeps every code a literal so the union stays exact. */
export function defineProblems<const T extends Record<string, ProblemSpec>>(
  specs: T,
): { readonly [K in keyof T & string]: T[K] & { readonly code: K; readonly type: string } } {
  return Object.fromEntries(
    Object.entries(specs).map(([code, spec]) => [code, { ...spec, code, type: problemTypeUri(code) }]),
  ) as never;
}
