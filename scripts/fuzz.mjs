/* global process, console */
// `npm run fuzz`: the fuzz suite (test/fuzz) at 100,000 cases, split over FUZZ_WORKERS processes (default: one per
// CPU) with consecutive seeds, since the bridge, the sandbox and the generator share one event loop per process.
// Prints the number of cases run and every shrunk counterexample; exits 1 when there is one.
// FUZZ_RUNS and FUZZ_SEED change the total and the first seed (a failure prints the seed that replays it).
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';

const total = Number(process.env.FUZZ_RUNS ?? 100_000);
const workers = Math.max(1, Number(process.env.FUZZ_WORKERS ?? availableParallelism()));
const firstSeed = Number(process.env.FUZZ_SEED ?? Date.now() % 1_000_000_000);
// Each worker writes its outcome (partial ones every 250 cases) here: FUZZ_RESULT_DIR keeps them for a look mid-run.
const folder = process.env.FUZZ_RESULT_DIR ?? mkdtempSync(join(tmpdir(), 'bridge-fuzz-'));
const started = Date.now();

const runs = Array.from({ length: workers }, (_, index) => {
  const share = Math.floor(total / workers) + (index < total % workers ? 1 : 0);
  const seed = firstSeed + index;
  const resultFile = join(folder, `worker-${index}.json`);
  const child = spawn('npx', ['vitest', 'run', 'test/fuzz/bridge.fuzz.spec.ts', '--project', 'suite'], {
    env: { ...process.env, FUZZ_RUNS: String(share), FUZZ_SEED: String(seed), FUZZ_RESULT_FILE: resultFile },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  return new Promise((resolve) => child.on('close', (code) => resolve({ seed, share, code, resultFile })));
});

const finished = await Promise.all(runs);
let cases = 0;
const failures = [];
for (const { seed, share, code, resultFile } of finished) {
  let outcome;
  try {
    outcome = JSON.parse(readFileSync(resultFile, 'utf8'));
  } catch {
    failures.push(`seed ${seed}: the worker (${share} cases) ended with code ${code} and no result`);
    continue;
  }
  cases += outcome.numRuns;
  if (outcome.report) failures.push(`seed ${seed}:\n${outcome.report}`);
  else if (outcome.partial)
    failures.push(`seed ${seed}: the worker stopped after ${outcome.numRuns} of ${share} cases`);
}
if (!process.env.FUZZ_RESULT_DIR) rmSync(folder, { recursive: true, force: true });
const minutes = ((Date.now() - started) / 60_000).toFixed(1);
console.log(
  `\nfuzz: ${cases} of ${total} cases run by ${workers} workers (seeds ${firstSeed}…${firstSeed + workers - 1}) in ${minutes} min`,
);
if (failures.length === 0) console.log('fuzz: no counterexample');
else for (const failure of failures) console.log(`fuzz: counterexample, ${failure}`);
process.exit(failures.length === 0 && cases === total ? 0 : 1);
