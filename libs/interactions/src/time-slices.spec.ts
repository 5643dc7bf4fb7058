import { describe, expect, it } from 'vitest';
import { filterInSlices, forEachInSlices, SLICE_MS } from './time-slices.js';

/** Keeps the CPU busy for `ms`, as cleaning a long text does. */
function busy(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until);
}

describe('work in slices', () => {
  it('lets other work in between slices of a long loop, and runs every item in order', async () => {
    let otherWorkRan = false;
    setImmediate(() => (otherWorkRan = true));
    const seen: number[] = [];
    const sawOtherWork: boolean[] = [];
    await forEachInSlices([0, 1, 2, 3, 4, 5, 6, 7], (item) => {
      seen.push(item);
      sawOtherWork.push(otherWorkRan);
      busy(SLICE_MS);
    });
    expect(seen).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    // Each item takes a slice: the other work ran after the first, not after the last.
    expect(sawOtherWork.indexOf(true)).toBeGreaterThan(0);
    expect(sawOtherWork.indexOf(true)).toBeLessThan(4);
  });

  it('filters in order', async () => {
    expect(await filterInSlices([1, 2, 3, 4], (item) => item % 2 === 0)).toEqual([2, 4]);
  });
});
