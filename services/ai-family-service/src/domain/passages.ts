// Lesson content cut into passages for the offline tutor's index and for prompts: paragraphs
// joined up to a size a prompt can quote, long paragraphs split at sentence ends.
export const PASSAGE_CHARS = 800;

function sentences(paragraph: string): string[] {
  return (
    paragraph
      .match(/[^.!?]+(?:[.!?]+|$)/g)
      ?.map((s) => s.trim())
      .filter((s) => s !== '') ?? [paragraph]
  );
}

/** The passages of one lesson's content, in order; none for blank content. */
export function splitIntoPassages(content: string, maxChars = PASSAGE_CHARS): string[] {
  const pieces: string[] = [];
  for (const paragraph of content.split(/\n\s*\n/).map((p) => p.replace(/\s+/g, ' ').trim())) {
    if (paragraph === '') continue;
    if (paragraph.length <= maxChars) pieces.push(paragraph);
    else {
      for (const sentence of sentences(paragraph)) {
        // A single sentence longer than a passage is cut where it must be.
        for (let i = 0; i < sentence.length; i += maxChars) pieces.push(sentence.slice(i, i + maxChars));
      }
    }
  }
  const passages: string[] = [];
  let current = '';
  for (const piece of pieces) {
    if (current !== '' && current.length + 1 + piece.length > maxChars) {
      passages.push(current);
      current = piece;
    } else current = current === '' ? piece : `${current}\n${piece}`;
  }
  if (current !== '') passages.push(current);
  return passages;
}

/** The sentences of `passage` that share the most words with the question, in their order. */
export function bestExcerpt(passage: string, questionWords: readonly string[], maxChars = 320): string {
  const all = sentences(passage.replace(/\n/g, ' '));
  const stems = questionWords.filter((w) => w.length > 3).map((w) => w.slice(0, 5));
  const scored = all.map((sentence, index) => {
    const lower = sentence.toLowerCase();
    return { sentence, index, score: stems.filter((s) => lower.includes(s)).length };
  });
  const chosen = [...scored].sort((a, b) => b.score - a.score || a.index - b.index);
  const picked: typeof scored = [];
  let length = 0;
  for (const candidate of chosen) {
    if (picked.length > 0 && length + candidate.sentence.length > maxChars) break;
    picked.push(candidate);
    length += candidate.sentence.length + 1;
    if (length >= maxChars / 2) break;
  }
  const text = picked
    .sort((a, b) => a.index - b.index)
    .map((p) => p.sentence)
    .join(' ');
  return text.length > maxChars ? `${text.slice(0, maxChars - 1).trimEnd()}…` : text;
}
