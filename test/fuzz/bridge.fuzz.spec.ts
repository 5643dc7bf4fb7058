import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runFuzz } from './fuzz-run.js';

/**
 * The fuzz suite: a short run in `npm test` (FUZZ_RUNS, default 3,000), 100,000 with `npm run fuzz`. Prints the number
 * of cases and, on a failure, fast-check's shrunk counterexample (replay it with FUZZ_SEED and the printed path).
 */
const runs = Number(process.env.FUZZ_RUNS ?? 3_000);
const seed = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED);

describe('fuzzing the bridge with generated request bodies', () => {
  it(
    `${runs} valid, near-valid and hostile requests: no 5xx but the CRM's, none late, no credential leaked, the tenant still served`,
    async () => {
      const started = Date.now();
      const resultFile = process.env.FUZZ_RESULT_FILE;
      // Partial outcomes as it goes, so that a long run cut short still says how far it got.
      const outcome = await runFuzz(runs, seed, (partial) => {
        if (resultFile) writeFileSync(resultFile, JSON.stringify({ ...partial, partial: true }));
      });
      console.log(
        `fuzz: ${outcome.numRuns} cases in ${Math.round((Date.now() - started) / 1000)} s, ${outcome.failed ? 'FAILED' : 'no counterexample'}; answers by status ${JSON.stringify(outcome.statuses)}, the valid requests after them ${JSON.stringify(outcome.followUps)}`,
      );
      if (outcome.report) console.log(outcome.report);
      // scripts/fuzz.mjs (`npm run fuzz`) collects each worker's outcome from here.
      if (resultFile) writeFileSync(resultFile, JSON.stringify(outcome));
      expect(outcome.report).toBeUndefined();
      expect(outcome.numRuns).toBe(runs);
    },
    Math.max(120_000, runs * 500),
  );
});
