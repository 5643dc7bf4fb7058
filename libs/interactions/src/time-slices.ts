import { setImmediate as yieldToEventLoop } from 'node:timers/promises';

/**
 * How long a loop over a CRM answer's items runs before it lets other work in. One item costs little (a text field
 * is read up to CRM_TEXT_MAX_LENGTH, a phone number is parsed by libphonenumber), but an answer may hold many: in
 * slices, no synchronous step of a pop holds up other requests, or the liveness probe, for more than a few
 * milliseconds.
 */
export const SLICE_MS = 2;

/** Calls `visit` on each item in order, yielding to the event loop whenever a slice has passed. */
export async function forEachInSlices<T>(items: Iterable<T>, visit: (item: T) => void): Promise<void> {
  let sliceStarted = performance.now();
  for (const item of items) {
    if (performance.now() - sliceStarted >= SLICE_MS) {
      await yieldToEventLoop();
      sliceStarted = performance.now();
    }
    visit(item);
  }
}

/** The items `keep` accepts, in order, tested in slices (forEachInSlices). */
export async function filterInSlices<T>(items: Iterable<T>, keep: (item: T) => boolean): Promise<T[]> {
  const kept: T[] = [];
  await forEachInSlices(items, (item) => {
    if (keep(item)) kept.push(item);
  });
  return kept;
}
