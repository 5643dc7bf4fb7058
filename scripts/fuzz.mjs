/* global process, console */
// `npm run fuzz`: the fuzz suites (test/fuzz) at full size, one after the other, each split over FUZZ_WORKERS
// processes (default: one per CPU) with consecutive seeds, since the bridge, the sandbox and the generator share one
// event loop per process:
// - hostile requests (bridge.fuzz.spec.ts): FUZZ_RUNS cases, 100,000 by default;
// - hostile CRM answers (crm.fuzz.spec.ts): FUZZ_CRM_RUNS cases, 5,000 by default (each a pop of several CRM calls,
//   some answered with megabytes).
// Prints the number of cases run and every shrunk counterexample; exits 1 when there is one.
// FUZZ_SEED changes the first seed (a failure prints the seed that replays it).
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';

const SUITES = [
  {
    name: 'requests',
    spec: 'test/fuzz/bridge.fuzz.spec.ts',
    runsVariable: 'FUZZ_RUNS',
    resultVariable: 'FUZZ_RESULT_FILE',
    total: Number(process.env.FUZZ_RUNS ?? 100_000),
  },
  {
    name: 'CRM answers',
    spec: 'test/fuzz/crm.fuzz.spec.ts',
    runsVariable: 'FUZZ_CRM_RUNS',
    resultVariable: 'FUZZ_CRM_RESULT_FILE',
    total: Number(process.env.FUZZ_CRM_RUNS ?? 5_000),
  },
];
const workers = Math.max(1, Number(process.env.FUZZ_WORKERS ?? availableParallelism()));
const firstSeed = Number(process.env.FUZZ_SEED ?? Date.now() % 1_000_000_000);
// Each worker writes its outcome (partial ones as it goes) here: FUZZ_RESULT_DIR keeps them for a look mid-run.
const folder = process.env.FUZZ_RESULT_DIR ?? mkdtempSync(join(tmpdir(), 'bridge-fuzz-'));
let failed = false;

for (const suite of SUITES) {
  const started = Date.now();
  const runs = Array.from({ length: workers }, (_, index) => {
    const share = Math.floor(suite.total / workers) + (index < suite.total % workers ? 1 : 0);
    const seed = firstSeed + index;
    const resultFile = join(folder, `${suite.runsVariable.toLowerCase()}-worker-${index}.json`);
    const child = spawn('npx', ['vitest', 'run', suite.spec, '--project', 'suite'], {
      env: {
        ...process.env,
        [suite.runsVariable]: String(share),
        FUZZ_SEED: String(seed),
        [suite.resultVariable]: resultFile,
      },
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
  const minutes = ((Date.now() - started) / 60_000).toFixed(1);
  console.log(
    `\nfuzz (${suite.name}): ${cases} of ${suite.total} cases run by ${workers} workers (seeds ${firstSeed}…${firstSeed + workers - 1}) in ${minutes} min`,
  );
  if (failures.length === 0) console.log(`fuzz (${suite.name}): no counterexample`);
  else for (const failure of failures) console.log(`fuzz (${suite.name}): counterexample, ${failure}`);
  if (failures.length > 0 || cases !== suite.total) failed = true;
}
if (!process.env.FUZZ_RESULT_DIR) rmSync(folder, { recursive: true, force: true });
process.exit(failed ? 1 : 0);
