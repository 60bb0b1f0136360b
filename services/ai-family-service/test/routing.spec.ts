// Persona routing, the rule: a message goes to the persona whose domain words it uses most
// (phrases count double), to Nexus when it spans three specialists or asks for the whole family,
// and to Elara, the teacher, when nothing fits.
import type { PersonaId } from '@azora/contracts';
import { PERSONA_DOMAINS } from '../src/domain/persona-domains';
import { consultedFor, routePersona } from '../src/domain/routing';

const EXAMPLES: Array<[PersonaId, string]> = [
  ['elara', 'Can you explain this concept step by step with an example?'],
  ['sankofa', 'What is the history of the Mali empire and its ancient traditions?'],
  ['themba', 'I keep procrastinating and cannot focus on studying for my exams'],
  ['naledi', 'How do I write a cover letter for my first job interview?'],
  ['jabari', 'I got a suspicious email asking for my password, is it phishing?'],
  ['amara', 'My teammate and I had an argument during our group project'],
  ['kofi', 'How should I budget my money and save the AZR tokens I earn?'],
  ['zola', 'How do I calculate the median of a dataset in a spreadsheet?'],
  ['abeni', 'Tell me a story with a metaphor about learning'],
  ['thembo', 'How do I balance my studies with my family and chores at home?'],
  ['nexus', 'I want every perspective: ask the whole family what they think'],
];

describe('persona routing', () => {
  it.each(EXAMPLES)('When a message is in the domain of %s ("%s"), then that persona answers', (persona, message) => {
    const routed = routePersona(message);

    expect(routed.personaId).toBe(persona);
    expect(routed.routing.mode).toBe('keywords');
    expect(routed.routing.matched.length).toBeGreaterThan(0);
  });

  it('When a message fits no domain, then Elara, the default, answers', () => {
    expect(routePersona('Hello, good morning!')).toEqual({
      personaId: 'elara',
      routing: { mode: 'default', matched: [] },
    });
  });

  it('When a message spans three specialists, then Nexus answers, naming the words of each', () => {
    const routed = routePersona('How do I budget money while revising for exams and looking for a job?');

    expect(routed.personaId).toBe('nexus');
    expect(routed.routing.matched).toEqual(expect.arrayContaining(['budget', 'money', 'exams', 'job']));
  });

  it('When "example" is used, then it is no exam: whole words are not prefixes', () => {
    expect(routePersona('Give me an example').personaId).toBe('elara');
  });

  it('When "example" comes with two specialists\' words, then it does not count as a third (Themba\'s exams)', () => {
    const routed = routePersona('Give me an example of a budget for a job interview');

    expect(routed).toEqual({ personaId: 'naledi', routing: { mode: 'keywords', matched: ['job', 'interview'] } });
  });

  it('When Nexus consults, then the best-fitting specialists are asked first, padded with Elara, Themba and Naledi', () => {
    expect(consultedFor('Is my password safe and how much does it cost?')).toEqual(['jabari', 'kofi', 'elara']);
    expect(consultedFor('I want every perspective, please')).toEqual(['elara', 'themba', 'naledi']);
  });

  it('When a domain lists a word or prefix, then none of its own prefixes already covers it', () => {
    const covered = Object.entries(PERSONA_DOMAINS).flatMap(([persona, { prefixes, words }]) =>
      [
        ...prefixes.filter((entry) => prefixes.some((prefix) => prefix !== entry && entry.startsWith(prefix))),
        ...words.filter((word) => prefixes.some((prefix) => word.startsWith(prefix))),
      ].map((entry) => `${persona}: ${entry}`),
    );

    expect(covered).toEqual([]);
  });
});
