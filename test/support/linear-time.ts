/**
 * Whether work grows linearly with its input, measured so that a loaded machine cannot decide it: the work is timed
 * on an input and on one 4 times as large, on the same machine, in the same test, interleaved, each time the fastest
 * of several, and in CPU time (process.cpuUsage), which other processes taking the CPU do not lengthen. Linear work
 * takes about 4 times as long on the larger input, quadratic work 16 times; no absolute duration is compared with
 * anything.
 */

/** Linear work is about 4 times slower on an input 4 times as large; quadratic about 16. */
export const SIZE_FACTOR = 4;
/** The most a linear step may grow by with SIZE_FACTOR: room for caches and noise, well below quadratic (16). */
export const MAX_LINEAR_GROWTH = 9;

const REPETITIONS = 3;
/** A batch is repeated until it takes this long, so that the timer's resolution does not matter. */
const MIN_BATCH_MS = 2;

/** How many times slower `work` is on `large` than on `small` (fastest of REPETITIONS interleaved batches each). */
export function growth<T>(work: (input: T) => unknown, small: T, large: T): number {
  work(small); // warm-up: compiled before it is timed
  work(large);
  let iterations = 1;
  while (timeBatch(work, small, iterations) < MIN_BATCH_MS && iterations < 1 << 20) iterations *= 2;
  let fastestSmall = Infinity;
  let fastestLarge = Infinity;
  for (let repetition = 0; repetition < REPETITIONS; repetition++) {
    fastestSmall = Math.min(fastestSmall, timeBatch(work, small, iterations));
    fastestLarge = Math.min(fastestLarge, timeBatch(work, large, iterations));
  }
  return fastestLarge / fastestSmall;
}

/** The CPU time (ms) of `iterations` runs of `work`. */
function timeBatch<T>(work: (input: T) => unknown, input: T, iterations: number): number {
  const started = process.cpuUsage();
  for (let iteration = 0; iteration < iterations; iteration++) work(input);
  const { user, system } = process.cpuUsage(started);
  return (user + system) / 1000;
}

/** `unit` repeated to exactly `length` characters. */
export function repeatedTo(unit: string, length: number): string {
  return unit.repeat(Math.ceil(length / unit.length)).slice(0, length);
}
