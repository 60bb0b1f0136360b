// Persona routing for conversations without a persona. The method: the message is lower-cased
// and split into words; each persona scores 1 per word that is one of its domain words or
// starts with one of its prefixes and 2 per domain phrase the message contains. The highest score answers, ties going
// to the earlier persona of the family's order. A message that touches three or more
// specialists' domains goes to Nexus, who consults them; a message that matches nothing goes
// to Elara, the teacher. Deterministic and explainable: the reply lists the words that chose it.
import { DEFAULT_PERSONA, PERSONA_IDS, type PersonaId, type Routing } from '@azora/contracts';
import { PERSONA_DOMAINS } from './persona-domains';

export interface RoutedPersona {
  personaId: PersonaId;
  routing: Routing;
}

export interface PersonaScore {
  personaId: PersonaId;
  score: number;
  matched: string[];
}

/** How many specialists a message must touch before the whole family (Nexus) answers it. */
const NEXUS_SPAN = 3;

export function wordsOf(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+(?:[-'’][\p{L}\p{N}]+)*/gu) ?? [];
}

/** Each persona's score for `text`, best first (ties in the family's order). */
export function scorePersonas(text: string): PersonaScore[] {
  const words = wordsOf(text);
  const normalised = ` ${words.join(' ')} `;
  const scores = PERSONA_IDS.map((personaId, order) => {
    const domain = PERSONA_DOMAINS[personaId];
    const matched: string[] = [];
    let score = 0;
    for (const phrase of domain.phrases) {
      if (normalised.includes(` ${wordsOf(phrase).join(' ')} `)) {
        score += 2;
        matched.push(phrase);
      }
    }
    for (const word of words) {
      if (domain.words.includes(word) || domain.prefixes.some((prefix) => word.startsWith(prefix))) {
        score += 1;
        if (!matched.includes(word)) matched.push(word);
      }
    }
    return { personaId, score, matched, order };
  });
  return scores
    .filter((s) => s.score > 0)
    .sort((a, b) => b.score - a.score || a.order - b.order)
    .map(({ personaId, score, matched }) => ({ personaId, score, matched }));
}

export function routePersona(text: string): RoutedPersona {
  const scores = scorePersonas(text);
  const specialists = scores.filter((s) => s.personaId !== 'elara' && s.personaId !== 'nexus');
  const best = scores[0];
  if (!best) return { personaId: DEFAULT_PERSONA, routing: { mode: 'default', matched: [] } };
  if (best.personaId !== 'nexus' && specialists.length >= NEXUS_SPAN) {
    return {
      personaId: 'nexus',
      routing: { mode: 'keywords', matched: specialists.flatMap((s) => s.matched) },
    };
  }
  return { personaId: best.personaId, routing: { mode: 'keywords', matched: best.matched } };
}

/** Who Nexus consults about `text`: the best-fitting specialists, then Elara, Themba and Naledi. */
export function consultedFor(text: string, count = 3): PersonaId[] {
  const ranked = scorePersonas(text)
    .map((s) => s.personaId)
    .filter((id) => id !== 'nexus');
  const chosen: PersonaId[] = [];
  for (const id of [...ranked, 'elara', 'themba', 'naledi'] as PersonaId[]) {
    if (!chosen.includes(id)) chosen.push(id);
    if (chosen.length === count) break;
  }
  return chosen;
}
