// The prompt sent to a provider: the persona's system prompt, what the learner is enrolled in
// and how far they are, the lesson passages most relevant to the question, a bounded window of
// the conversation so far, and the question.
import type { LearnerContext } from '@azora/contracts';
import type { PersonaDefinition } from './personas';
import type { ChatTurn, Grounding } from './ports';
import type { CourseSuggestion, PassageRecord } from './records';

export interface HistoryWindow {
  /** At most this many earlier messages... */
  maxMessages: number;
  /** ...and at most this many characters of them, the most recent kept. */
  maxChars: number;
}

export interface HistoryMessage {
  role: 'user' | 'assistant';
  content: string;
}

/** The most recent messages that fit the window, oldest first. */
export function historyWindow(history: readonly HistoryMessage[], window: HistoryWindow): HistoryMessage[] {
  const kept: HistoryMessage[] = [];
  let chars = 0;
  for (let i = history.length - 1; i >= 0 && kept.length < window.maxMessages; i--) {
    const message = history[i]!;
    if (message.content === '') continue;
    if (chars + message.content.length > window.maxChars) break;
    chars += message.content.length;
    kept.unshift(message);
  }
  return kept;
}

export function describeLearner(learner: LearnerContext | null): string {
  if (!learner) return 'The learner’s course records could not be read just now: do not guess their progress.';
  if (learner.enrollments.length === 0) return 'The learner is not enrolled in any course yet.';
  const lines = learner.enrollments.map((e) => {
    const next = e.nextLesson ? `; next lesson: "${e.nextLesson.title}"` : '; every lesson completed';
    return `- "${e.title}": ${e.completedLessons} of ${e.totalLessons} lessons (${e.percent}%)${next}`;
  });
  return `The learner’s courses and progress:\n${lines.join('\n')}`;
}

export function describePassages(passages: readonly PassageRecord[], suggestions: readonly CourseSuggestion[]): string {
  const parts: string[] = [];
  if (passages.length === 0) parts.push('No passage of the learner’s lessons matches this question.');
  else {
    parts.push('Passages from the learner’s lessons, most relevant first (cite course and lesson when you use one):');
    passages.forEach((p, i) =>
      parts.push(`[${i + 1}] Course "${p.courseTitle}", lesson "${p.lessonTitle}":\n${p.body}`),
    );
  }
  if (suggestions.length > 0) {
    parts.push(
      `Courses the learner is not enrolled in that cover it: ${suggestions.map((s) => `"${s.courseTitle}"`).join(', ')}.`,
    );
  }
  return parts.join('\n\n');
}

function describePerspectives(perspectives: Grounding['perspectives']): string {
  return [
    'What the family members you consulted answered:',
    ...perspectives.map((p) => `${p.persona.name} (${p.persona.role}):\n${p.text}`),
  ].join('\n\n');
}

export interface PromptParts {
  persona: PersonaDefinition;
  grounding: Grounding;
  history: readonly HistoryMessage[];
}

export function buildTurns({ persona, grounding, history }: PromptParts): ChatTurn[] {
  const turns: ChatTurn[] = [
    { role: 'system', content: persona.systemPrompt },
    { role: 'system', content: describeLearner(grounding.learner) },
    { role: 'system', content: describePassages(grounding.passages, grounding.suggestions) },
  ];
  if (grounding.perspectives.length > 0)
    turns.push({ role: 'system', content: describePerspectives(grounding.perspectives) });
  for (const message of history) turns.push({ role: message.role, content: message.content });
  turns.push({ role: 'user', content: grounding.question });
  return turns;
}
