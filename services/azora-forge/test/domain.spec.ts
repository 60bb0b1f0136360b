// Forge's pure rules: the application status machine and the skill match that explains a score.
import type { ApplicationStatus } from '@azora/contracts';
import { canBecome, needsOpenJob } from '../src/domain/application-status';
import { decodeScoredPosition, encodeScoredPosition } from '../src/domain/cursors';
import { matchSkills } from '../src/domain/skill-match';

describe('the application status machine', () => {
  const all: ApplicationStatus[] = ['applied', 'shortlisted', 'rejected', 'hired'];
  const legal = new Set(['applied>shortlisted', 'applied>rejected', 'shortlisted>hired', 'shortlisted>rejected']);

  it.each(all.flatMap((from) => all.map((to) => [from, to] as const)))(
    'When an application that is %s would become %s, then only the four legal steps are allowed',
    (from, to) => {
      expect(canBecome(from, to)).toBe(legal.has(`${from}>${to}`));
    },
  );

  it('When shortlisting or hiring, then the job must be open; rejecting never needs it', () => {
    expect([needsOpenJob('shortlisted'), needsOpenJob('hired'), needsOpenJob('rejected')]).toEqual([true, true, false]);
  });
});

describe('the skill match', () => {
  it("When some skills are proven, then the job's skills split into matched and missing in the job's order", () => {
    expect(matchSkills(['sql', 'rust', 'go'], ['go', 'python', 'sql'])).toEqual({
      score: 0.667,
      matched: ['sql', 'go'],
      missing: ['rust'],
    });
  });

  it('When nothing or everything is proven, then the score is 0 or 1', () => {
    expect(matchSkills(['a'], []).score).toBe(0);
    expect(matchSkills(['a', 'b'], ['b', 'a']).score).toBe(1);
  });
});

describe('recommendation cursors', () => {
  it('When a position is encoded, then it decodes to the same; a cursor of another listing is refused', () => {
    const position = { score: 333_333, at: '2026-03-02T09:00:00.123456Z', id: '0b6f7b1e-2f4c-4d8e-9a1b-3c5d7e9f1a2b' };

    expect(decodeScoredPosition(encodeScoredPosition(position))).toEqual(position);
    expect(() => decodeScoredPosition('WyJwIiwiMjAyNiJd')).toThrow();
  });
});
