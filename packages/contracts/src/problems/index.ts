// The catalog of every problem an Azora service answers: each code declared once, in the
// file of the area that owns it, with its status, title and `type` URI. Services raise
// DomainError(code) and service-kit maps the code to problem+json; the client exposes the
// codes as a type so front ends can switch on them.
import { AI_PROBLEMS } from './ai';
import { ANALYTICS_PROBLEMS } from './analytics';
import { BUS_PROBLEMS } from './bus';
import { COMMON_PROBLEMS } from './common';
import { EDUCATION_PROBLEMS } from './education';
import { FORGE_PROBLEMS } from './forge';
import { IDENTITY_PROBLEMS } from './identity';
import { MINT_PROBLEMS } from './mint';
import { NOTIFICATION_PROBLEMS } from './notification';
import { PAY_PROBLEMS } from './pay';

export { defineProblems, problemTypeUri, PROBLEM_TYPE_BASE, type ProblemEntry, type ProblemSpec } from './define';

export const PROBLEMS = {
  ...COMMON_PROBLEMS,
  ...BUS_PROBLEMS,
  ...IDENTITY_PROBLEMS,
  ...EDUCATION_PROBLEMS,
  ...MINT_PROBLEMS,
  ...FORGE_PROBLEMS,
  ...AI_PROBLEMS,
  ...ANALYTICS_PROBLEMS,
  ...NOTIFICATION_PROBLEMS,
  ...PAY_PROBLEMS,
} as const;

/** Every problem code a service may answer with. */
export type ProblemCode = keyof typeof PROBLEMS;

export const PROBLEM_CODES = Object.keys(PROBLEMS) as ProblemCode[];

export function isProblemCode(code: unknown): code is ProblemCode {
  return typeof code === 'string' && Object.hasOwn(PROBLEMS, code);
}
