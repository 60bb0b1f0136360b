// How each persona sounds when the offline tutor composes its answer: how it opens, how it
// introduces what the lessons say, and the angle it adds when Nexus consults it.
import type { PersonaId } from '@azora/contracts';

export interface PersonaVoice {
  opening: string;
  /** Introduces the quoted passages. */
  lead: string;
  /** The persona's own angle on any question, one sentence. */
  angle: string;
}

export const PERSONA_VOICES: Readonly<Record<PersonaId, PersonaVoice>> = {
  elara: {
    opening: 'Let’s work through this together.',
    lead: 'Here is what your lessons say:',
    angle: 'Go back to the lesson, restate the idea in your own words, then try one small example.',
  },
  sankofa: {
    opening: 'Every idea has a story behind it; let us go back and fetch what is useful.',
    lead: 'The lessons keep this knowledge:',
    angle: 'Ask where the idea came from and what the people before us learned by using it.',
  },
  themba: {
    opening: 'You’ve got this. Let’s make it manageable.',
    lead: 'Your lessons already cover this:',
    angle: 'Break it into one small step you can finish today, and reward yourself when it is done.',
  },
  naledi: {
    opening: 'Let’s look at this with your career in mind.',
    lead: 'What your courses teach here:',
    angle: 'Think about which roles use this skill, and how you would show it in a portfolio or interview.',
  },
  jabari: {
    opening: 'Safety first. Here is what matters.',
    lead: 'Your lessons state it clearly:',
    angle: 'Check the risks first: never share passwords or codes, and verify before you trust.',
  },
  amara: {
    opening: 'That sounds hard, and it is good that you asked.',
    lead: 'Something from your lessons that may help:',
    angle: 'Listen to every side calmly, and look for the step that is fair to everyone involved.',
  },
  kofi: {
    opening: 'Let’s put some numbers on it.',
    lead: 'Your lessons explain:',
    angle: 'Count the cost and the benefit in AZR or money, and keep something aside before you spend.',
  },
  zola: {
    opening: 'Let’s look at the evidence.',
    lead: 'The data in your lessons:',
    angle: 'Define what you measure, look at the numbers, and check whether the pattern holds.',
  },
  abeni: {
    opening: 'Let me tell it as a story.',
    lead: 'Your lessons tell it like this:',
    angle: 'Picture it as a story with a beginning, a struggle and what was learned at the end.',
  },
  thembo: {
    opening: 'Listen, from one who has been there.',
    lead: 'Your lessons put it well:',
    angle: 'Make room for it in your week alongside family, and ask the people at home to support you.',
  },
  nexus: {
    opening: 'I asked the family.',
    lead: 'Together we found in your lessons:',
    angle: 'Combine the views: understand it, plan it, and connect it to where you are going.',
  },
};
