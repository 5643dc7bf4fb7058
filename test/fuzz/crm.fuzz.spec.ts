import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCrmFuzz } from './crm-fuzz-run.js';

/**
 * The fuzz suite against hostile CRM answers: a short run in `npm test` (FUZZ_CRM_RUNS, default 150), 5,000 with
 * `npm run fuzz`. Prints the number of cases and, on a failure, fast-check's shrunk counterexample (replay it with
 * FUZZ_SEED and the printed path).
 */
const runs = Number(process.env.FUZZ_CRM_RUNS ?? 150);
const seed = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED);

describe('fuzzing the bridge with hostile CRM answers', () => {
  it(
    `${runs} pops answered by a hostile CRM: no 5xx but the CRM's, none late, only valid items, liveness unaffected`,
    async () => {
      const started = Date.now();
      const resultFile = process.env.FUZZ_CRM_RESULT_FILE;
      const outcome = await runCrmFuzz(runs, seed, (partial) => {
        if (resultFile) writeFileSync(resultFile, JSON.stringify({ ...partial, partial: true }));
      });
      console.log(
        `crm fuzz: ${outcome.numRuns} cases in ${Math.round((Date.now() - started) / 1000)} s, ${outcome.failed ? 'FAILED' : 'no counterexample'}; answers by status ${JSON.stringify(outcome.statuses)}, slowest liveness probe ${Math.round(outcome.slowestProbeMs)} ms`,
      );
      if (outcome.report) console.log(outcome.report);
      // scripts/fuzz.mjs (`npm run fuzz`) collects each worker's outcome from here.
      if (resultFile) writeFileSync(resultFile, JSON.stringify(outcome));
      expect(outcome.report).toBeUndefined();
      expect(outcome.numRuns).toBe(runs);
    },
    Math.max(180_000, runs * 2_000),
  );
});
