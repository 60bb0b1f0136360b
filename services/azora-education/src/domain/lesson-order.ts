// Lesson positions are 1..n with no gaps: a new lesson goes where asked (at most one past the
// end, so "position 99" on a three-lesson course means 4th), and a move stays within 1..n.
export function insertionPosition(requested: number | undefined, lessonCount: number): number {
  const last = lessonCount + 1;
  return requested === undefined ? last : Math.min(requested, last);
}

export function movePosition(requested: number, lessonCount: number): number {
  return Math.max(1, Math.min(requested, lessonCount));
}

/** The neighbours a move shifts: lessons in [from, to] move by `delta` to make room. */
export function shiftForMove(current: number, target: number): { from: number; to: number; delta: 1 | -1 } | null {
  if (target === current) return null;
  return target < current ? { from: target, to: current - 1, delta: 1 } : { from: current + 1, to: target, delta: -1 };
}
