// How well proven skills cover a job's skills. The ranking in SQL and the explanation here use
// the same measure: matched / the job's skill count, 0 to 1.
import type { SkillMatch } from '@azora/contracts';

/** The job's skills split into those the person proved and those they have not, in the job's order. */
export function matchSkills(jobSkills: readonly string[], proven: Iterable<string>): SkillMatch {
  const have = new Set(proven);
  const matched = jobSkills.filter((s) => have.has(s));
  const missing = jobSkills.filter((s) => !have.has(s));
  const score = jobSkills.length === 0 ? 0 : Math.round((matched.length / jobSkills.length) * 1000) / 1000;
  return { score, matched, missing };
}
