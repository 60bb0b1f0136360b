// The offline tutor's answer, composed from what the reply is grounded in: the persona's voice,
// the most relevant lesson passages quoted with their course and lesson, the learner's progress,
// and a plain statement when the lessons hold nothing about the question. Pure: no I/O.
import type { LearnerContext } from '@azora/contracts';
import { bestExcerpt } from './passages';
import { PERSONA_VOICES } from './persona-voices';
import type { Grounding } from './ports';
import { wordsOf } from './routing';

function progressLine(learner: LearnerContext | null): string | null {
  if (!learner) return 'I could not read your course progress just now.';
  const current = learner.enrollments.find((e) => e.nextLesson !== null);
  if (current?.nextLesson)
    return `You are ${current.percent}% through "${current.title}"; your next lesson is "${current.nextLesson.title}".`;
  if (learner.enrollments.length > 0) return 'You have completed every lesson of your courses so far: well done.';
  return 'You are not enrolled in a course yet: the catalogue is a good place to start.';
}

function quotes(grounding: Grounding): string[] {
  const words = wordsOf(grounding.question);
  return grounding.passages.map((p) => {
    const excerpt = bestExcerpt(p.body, words);
    return `From "${p.courseTitle}", lesson "${p.lessonTitle}":\n> ${excerpt}`;
  });
}

function nothingFound(grounding: Grounding): string {
  const base = 'I found nothing about this in the lessons of your courses, so I will not guess.';
  if (grounding.suggestions.length === 0) return base;
  const titles = [...new Set(grounding.suggestions.map((s) => `"${s.courseTitle}"`))].join(', ');
  return `${base} ${titles} ${grounding.suggestions.length === 1 ? 'covers' : 'cover'} it: enrol to study it.`;
}

/** The answer of the offline tutor, in the voice of the grounding's persona. */
export function composeOfflineAnswer(grounding: Grounding): string {
  const voice = PERSONA_VOICES[grounding.persona.id];
  const parts: string[] = [voice.opening];
  if (grounding.perspectives.length > 0) {
    parts.push(grounding.perspectives.map((p) => `${p.persona.name} (${p.persona.role}): ${p.text}`).join('\n'));
  }
  const quoted = quotes(grounding);
  if (quoted.length > 0) parts.push(voice.lead, ...quoted);
  else parts.push(nothingFound(grounding));
  if (grounding.perspectives.length === 0) parts.push(voice.angle);
  const progress = progressLine(grounding.learner);
  if (progress) parts.push(progress);
  return parts.join('\n\n');
}

/** What a consulted persona contributes to Nexus's offline answer: its angle. */
export function offlinePerspective(grounding: Grounding): string {
  return PERSONA_VOICES[grounding.persona.id].angle;
}

/** The answer cut into stream tokens: each word with the space or newline that follows it. */
export function tokensOf(text: string): string[] {
  return text.match(/\S+\s*|\s+/g) ?? [];
}
