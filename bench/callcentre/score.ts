import type { Expected } from './ground-truth.js';

/** One pop as the bench saw it: its status (or `error` when no answer came), its latency and the items' ids. */
export interface PopOutcome {
  ring: boolean;
  status: number | 'error';
  latencyMs: number;
  /** The answer's item ids (`case:123`), when it was a 200 with a list. */
  ids?: string[];
  expected: Expected;
}

/**
 * The pops' figures against the ground truth:
 * - `complete`: answered 200 with every case, task and call the caller has (within the bridge's documented rules);
 * - notes recall: the expected notes returned over the notes expected, every pop counted (a pop not answered 200
 *   returned none);
 * - `emptyForExisting`: answered 200 with `[]` for a caller who has items;
 * - `unexpected`: items no rule asks for (another customer's, or beyond a cap): a correct bridge returns none.
 */
export interface PopScore {
  pops: number;
  complete: number;
  notesExpected: number;
  notesReturned: number;
  emptyForExisting: number;
  unexpected: number;
  /** Answers other than 200, by status (`error`: no answer). */
  notOk: Record<string, number>;
  ringP50Ms: number;
  ringP99Ms: number;
}

export function scorePops(outcomes: PopOutcome[]): PopScore {
  const score: PopScore = {
    pops: outcomes.length,
    complete: 0,
    notesExpected: 0,
    notesReturned: 0,
    emptyForExisting: 0,
    unexpected: 0,
    notOk: {},
    ringP50Ms: Number.NaN,
    ringP99Ms: Number.NaN,
  };
  for (const outcome of outcomes) {
    const { required, notes } = outcome.expected;
    score.notesExpected += notes.length;
    if (outcome.status !== 200 || !outcome.ids) {
      score.notOk[String(outcome.status)] = (score.notOk[String(outcome.status)] ?? 0) + 1;
      continue;
    }
    const returned = new Set(outcome.ids);
    if (required.every((id) => returned.has(id))) score.complete++;
    score.notesReturned += notes.filter((id) => returned.has(id)).length;
    if (returned.size === 0 && required.length + notes.length > 0) score.emptyForExisting++;
    const wanted = new Set([...required, ...notes]);
    score.unexpected += outcome.ids.filter((id) => !wanted.has(id)).length;
  }
  const ring = outcomes
    .filter((outcome) => outcome.ring)
    .map((outcome) => outcome.latencyMs)
    .sort((a, b) => a - b);
  score.ringP50Ms = percentile(ring, 50);
  score.ringP99Ms = percentile(ring, 99);
  return score;
}

/** The nearest-rank percentile of sorted values; NaN for none. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/**
 * CRM calls a minute from per-second counts: the mean over the slice, and the busiest 60 consecutive seconds.
 * `perSecond[i]` is the calls of second i of the slice.
 */
export function callsPerMinute(perSecond: number[]): { mean: number; busiest60s: number } {
  const total = perSecond.reduce((sum, calls) => sum + calls, 0);
  let window = 0;
  let busiest = 0;
  perSecond.forEach((calls, second) => {
    window += calls - (second >= 60 ? perSecond[second - 60]! : 0);
    busiest = Math.max(busiest, window);
  });
  return { mean: perSecond.length === 0 ? 0 : (total * 60) / perSecond.length, busiest60s: busiest };
}
