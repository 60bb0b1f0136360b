// Pure rules of AI Family: the budget's day and reset, passages cut from lesson content, the
// history window of a prompt, and what the learner's context reads like in it.
import { budgetDay, budgetResetsAt, estimatePromptTokens, fits, settledUsage } from '../src/domain/budget';
import { splitIntoPassages } from '../src/domain/passages';
import { describeLearner, historyWindow } from '../src/domain/prompt';
import { chunksAfter } from '../src/domain/views';

describe('the budget', () => {
  it('When it is late on a UTC day, then the budget is that day’s and resets at the next UTC midnight', () => {
    const now = new Date('2026-03-02T23:59:59.999Z');

    expect(budgetDay(now)).toBe('2026-03-02');
    expect(budgetResetsAt(now).toISOString()).toBe('2026-03-03T00:00:00.000Z');
    expect(budgetResetsAt(new Date('2026-12-31T10:00:00Z')).toISOString()).toBe('2027-01-01T00:00:00.000Z');
  });

  it('When a reservation is checked, then what is used and what is held both count', () => {
    expect(fits({ limit: 100, used: 40, reserved: 30 }, 30)).toBe(true);
    expect(fits({ limit: 100, used: 40, reserved: 30 }, 31)).toBe(false);
  });

  it('When the provider reports no usage, then the cost is estimated from both sides', () => {
    expect(settledUsage({ promptTokens: 5, completionTokens: 6 }, 100, 'x')).toEqual({
      promptTokens: 5,
      completionTokens: 6,
    });
    expect(settledUsage(null, 100, 'abcdefgh')).toEqual({ promptTokens: 100, completionTokens: 2 });
    expect(estimatePromptTokens([{ role: 'user', content: 'abcd' }])).toBe(5);
  });
});

describe('passages', () => {
  it('When a lesson has paragraphs, then they are packed into passages, long ones split at sentence ends', () => {
    const long = `${'A sentence that goes on. '.repeat(40)}`.trim();

    const passages = splitIntoPassages(`First.\n\nSecond.\n\n${long}`, 200);

    expect(passages[0]!.startsWith('First.\nSecond.\nA sentence')).toBe(true);
    expect(passages.every((p) => p.length <= 200)).toBe(true);
    expect(passages.join(' ').replace(/\s+/g, ' ')).toContain(long.slice(0, 50));
    expect(splitIntoPassages('  \n\n  ')).toEqual([]);
  });
});

describe('the prompt', () => {
  it('When the history is longer than the window, then the latest messages that fit are kept, oldest first', () => {
    const history = ['one', 'two', 'three', 'four'].map((content) => ({ role: 'user' as const, content }));

    expect(historyWindow(history, { maxMessages: 2, maxChars: 100 }).map((m) => m.content)).toEqual(['three', 'four']);
    expect(historyWindow(history, { maxMessages: 10, maxChars: 8 }).map((m) => m.content)).toEqual(['four']);
  });

  it('When Education could not be read or the learner has no course, then the prompt says so', () => {
    expect(describeLearner(null)).toMatch(/could not be read/);
    expect(describeLearner({ userId: 'u', enrollments: [] })).toBe('The learner is not enrolled in any course yet.');
  });
});

describe('chunks of a stored reply', () => {
  it('When a client resumes after chunk n, then it gets the chunks after n exactly', () => {
    const reply = { content: 'Hello there!', chunkEnds: [3, 5, 11, 12] };

    expect(chunksAfter(reply, 0)).toEqual(['Hel', 'lo', ' there', '!']);
    expect(chunksAfter(reply, 2)).toEqual([' there', '!']);
    expect(chunksAfter(reply, 4)).toEqual([]);
  });
});
