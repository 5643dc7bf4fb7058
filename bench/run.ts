/**
 * `npm run bench`: the bridge's own cost per screen pop, against a bare reference (bench/reference/server.ts), each
 * in its own process, both calling the sandbox CRM (its own process, BENCH_CRM_LATENCY_MS of added latency) for
 * examples/zendesk-request.json, with load from this process (autocannon). Bridge and reference are measured in
 * alternating rounds of the same run, so a busy machine weighs on both; the ratios are the result, the absolute
 * figures only describe this machine at this moment. Loopback only; it stops by itself after BENCH_ROUNDS rounds,
 * and gives up after BENCH_MAX_SECONDS whatever happens.
 */
import autocannon from 'autocannon';
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { resolve as resolvePath } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { request } from 'undici';
import { countCallsPerPop } from './calls-per-pop.js';
import { DEPLOYMENT_NODE_FLAGS } from './node-flags.js';
import { INBOUND_LIMITS_OFF, SHARING_OFF } from '../apps/bridge/src/bridge-config.js';
import { Child, killChildren } from './processes/parent.js';

const LATENCY_MS = Number(process.env.BENCH_CRM_LATENCY_MS ?? 40);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const LOADED_POPS = Number(process.env.BENCH_LOADED_POPS ?? 500);
const UNLOADED_POPS = Number(process.env.BENCH_UNLOADED_POPS ?? 25);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 25);
// Steady state, as a replica serving for hours runs: the bridge has far more code than the reference for V8 to
// optimise (in background threads, counted in its CPU), and after only 300 warm-up pops its first measured round
// still cost up to 1.8 times its later ones. Both servers get the same warm-up.
const WARMUP_POPS = Number(process.env.BENCH_WARMUP_POPS ?? 2000);
const MAX_SECONDS = Number(process.env.BENCH_MAX_SECONDS ?? 600);
// The deployment's V8 flags that bear on CPU, for both servers alike (bench/node-flags.ts says why each).
const NODE_FLAGS = (process.env.BENCH_NODE_FLAGS ?? DEPLOYMENT_NODE_FLAGS.join(' ')).split(' ').filter(Boolean);

const here = new URL('.', import.meta.url);
const example = readFileSync(new URL('../../examples/zendesk-request.json', here), 'utf8');

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function median(values: number[]): number {
  return percentile(values, 50);
}

async function pop(url: string): Promise<unknown> {
  const { statusCode, body } = await request(`${url}/zendesk/interactions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: example,
  });
  if (statusCode !== 200) throw new Error(`${url} answered ${statusCode}: ${await body.text()}`);
  return body.json();
}

interface Load {
  pops: number;
  seconds: number;
  latencies: number[];
  cpuMs: number;
  crmCalls: number;
}

/** autocannon against one server; CPU and CRM calls are the server's and the sandbox's own counts around it. */
// A fixed number of pops, not a duration: every pop counted has finished, so the CPU and CRM calls counted around
// the load belong to exactly those pops.
async function load(target: Child, sandbox: Child, options: { connections: number; amount: number }): Promise<Load> {
  const latencies: number[] = [];
  let lastAnswer = 0;
  const [before, sandboxBefore] = await Promise.all([target.ask(), sandbox.ask()]);
  const started = performance.now();
  // autocannon's instance is an EventEmitter that is also a promise of the result; its types show only the latter.
  const instance = autocannon({
    url: `${target.url}/zendesk/interactions`,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: example,
    ...options,
    timeout: 10,
  }) as unknown as Promise<autocannon.Result> & NodeJS.EventEmitter;
  void instance.on('response', (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
    if (statusCode === 200) latencies.push(responseTime);
    lastAnswer = performance.now();
  });
  const result = await instance;
  // Up to the last answer: autocannon notices that it is done only on its next one-second tick.
  const seconds = (lastAnswer - started) / 1000;
  const [after, sandboxAfter] = await Promise.all([target.ask(), sandbox.ask()]);
  if (result.non2xx > 0 || result.errors > 0 || result.timeouts > 0) {
    throw new Error(
      `${target.name}: ${result.non2xx} non-2xx answers, ${result.errors} errors, ${result.timeouts} timeouts`,
    );
  }
  return {
    pops: latencies.length,
    seconds,
    latencies,
    cpuMs: after.cpuMs - before.cpuMs,
    crmCalls: sandboxAfter.stats.served! - sandboxBefore.stats.served!,
  };
}

interface Figures {
  cpuMsPerPop: number;
  popsPerSecond: number;
  p50: number;
  p99: number;
  unloadedP50: number;
  crmCallsPerPop: number;
}

function summarise(loaded: Load[], unloaded: Load[]): Figures {
  const pops = loaded.reduce((sum, round) => sum + round.pops, 0);
  const all = loaded.flatMap((round) => round.latencies);
  return {
    cpuMsPerPop: loaded.reduce((sum, round) => sum + round.cpuMs, 0) / pops,
    popsPerSecond: pops / loaded.reduce((sum, round) => sum + round.seconds, 0),
    p50: percentile(all, 50),
    p99: percentile(all, 99),
    unloadedP50: median(unloaded.flatMap((round) => round.latencies)),
    crmCallsPerPop: loaded.reduce((sum, round) => sum + round.crmCalls, 0) / pops,
  };
}

async function main(): Promise<void> {
  const giveUp = setTimeout(() => {
    console.error(`bench: still running after ${MAX_SECONDS} s; giving up`);
    killChildren();
    process.exit(1);
  }, MAX_SECONDS * 1000);
  giveUp.unref();

  const sandbox = await Child.start('sandbox', new URL('./processes/sandbox.js', here), {
    BENCH_CRM_LATENCY_MS: String(LATENCY_MS),
  });
  const env = { BENCH_SANDBOX_URL: sandbox.url };
  // The bridge as deployed (the image logs JSON lines through pino; LOG_FORMAT=text overrides), and always at full
  // cost: a cache hit would spare the bridge CRM calls the reference makes, and this compares the cost of the same work.
  const bridgeEnv = { ...env, LOG_FORMAT: process.env.LOG_FORMAT ?? 'json', ...SHARING_OFF, ...INBOUND_LIMITS_OFF };
  const profile = process.env.BENCH_PROFILE_DIR
    ? [`--cpu-prof`, `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`]
    : [];
  const against = process.env.BENCH_AGAINST;
  const [bridge, reference] = await Promise.all([
    Child.start('bridge', new URL('./processes/bridge.js', here), bridgeEnv, [...NODE_FLAGS, ...profile]),
    // BENCH_AGAINST: another build's dist/bench/processes/bridge.js in the reference's place, to compare two builds
    // of the bridge (before and after a change) in one interleaved run.
    against
      ? Child.start('reference', pathToFileURL(resolvePath(against)), bridgeEnv, [...NODE_FLAGS, ...profile])
      : Child.start('reference', new URL('./reference/server.js', here), env, [...NODE_FLAGS, ...profile]),
  ]);

  // Same question, same answer: otherwise the comparison means nothing.
  const [fromBridge, fromReference] = await Promise.all([pop(bridge.url), pop(reference.url)]);
  if (!isDeepStrictEqual(fromBridge, fromReference))
    throw new Error('the bridge and the reference answer the example differently');

  // One CRM round trip, for scale.
  const roundTrips: number[] = [];
  for (let i = 0; i < 20; i++) {
    const started = performance.now();
    const { body } = await request(`${sandbox.url}/zendesk/acme/api/v2/users/me`, {
      headers: {
        authorization: `Basic ${Buffer.from('agent@acme.example/token:acme-sandbox-api-token').toString('base64')}`,
      },
    });
    await body.dump();
    roundTrips.push(performance.now() - started);
  }

  console.log(
    `${cpus().length} cores, load average ${(await import('node:os'))
      .loadavg()
      .map((value) => value.toFixed(2))
      .join(' ')}; ` +
      `CRM latency ${LATENCY_MS} ms (one round trip p50 ${median(roundTrips).toFixed(1)} ms); ${ROUNDS} rounds of ` +
      `${LOADED_POPS} pops ${CONCURRENCY} at a time and ${UNLOADED_POPS} pops one at a time, alternating, after ` +
      `${WARMUP_POPS} warm-up pops each; ` +
      `node ${process.version} ${NODE_FLAGS.join(' ')}`,
  );
  for (const target of [bridge, reference])
    await load(target, sandbox, { connections: CONCURRENCY, amount: WARMUP_POPS });

  const runs = new Map<Child, { loaded: Load[]; unloaded: Load[] }>([
    [bridge, { loaded: [], unloaded: [] }],
    [reference, { loaded: [], unloaded: [] }],
  ]);
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 === 0 ? [bridge, reference] : [reference, bridge];
    for (const target of order) {
      runs.get(target)!.loaded.push(await load(target, sandbox, { connections: CONCURRENCY, amount: LOADED_POPS }));
      runs.get(target)!.unloaded.push(await load(target, sandbox, { connections: 1, amount: UNLOADED_POPS }));
    }
    const [b, r] = [bridge, reference].map((target) => runs.get(target)!.loaded.at(-1)!);
    console.log(
      `round ${round + 1}: CPU/pop ${(b!.cpuMs / b!.pops).toFixed(2)} vs ${(r!.cpuMs / r!.pops).toFixed(2)} ms, ` +
        `${(b!.pops / b!.seconds).toFixed(0)} vs ${(r!.pops / r!.seconds).toFixed(0)} pops/s`,
    );
  }

  const ours = summarise(runs.get(bridge)!.loaded, runs.get(bridge)!.unloaded);
  const floor = summarise(runs.get(reference)!.loaded, runs.get(reference)!.unloaded);
  const rows: [string, keyof Figures, number, string, 'max' | 'min'][] = [
    ['CPU ms per pop', 'cpuMsPerPop', 2, '≤ 1.5', 'max'],
    [`pops/s at ${CONCURRENCY} concurrent`, 'popsPerSecond', 0, '≥ 0.95', 'min'],
    [`p50 ms at ${CONCURRENCY} concurrent`, 'p50', 1, '', 'max'],
    [`p99 ms at ${CONCURRENCY} concurrent`, 'p99', 1, '≤ 1.3', 'max'],
    ['p50 ms one at a time', 'unloadedP50', 1, '≤ 1.05', 'max'],
    ['CRM calls per pop', 'crmCallsPerPop', 1, '', 'max'],
  ];
  const table = rows.map(([label, key, digits, target, sense]) => {
    const ratio = ours[key] / floor[key];
    const bound = Number(target.replace(/[^\d.]/g, ''));
    const verdict = !target ? '' : (sense === 'max' ? ratio <= bound : ratio >= bound) ? 'ok' : 'MISSED';
    return [label, ours[key].toFixed(digits), floor[key].toFixed(digits), ratio.toFixed(2), target, verdict];
  });
  const header = ['', 'bridge', 'reference', 'ratio', 'target', ''];
  const widths = header.map((_, column) => Math.max(...[header, ...table].map((row) => row[column]!.length)));
  for (const row of [header, ...table])
    console.log(
      row
        .map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!)))
        .join('  '),
    );
  const turns = (figures: Figures) => (figures.unloadedP50 / median(roundTrips)).toFixed(2);
  console.log(
    `one at a time, in CRM round trips: bridge ${turns(ours)}, reference ${turns(floor)} (the example's calls: user, ` +
      `tickets, then the comments, at most ${process.env.CRM_MAX_IN_FLIGHT_PER_REQUEST ?? 6} in flight at once)`,
  );

  // Anything but 200 fails the run above; this shows whether the bridge had to retry (a busy sandbox, a slow machine).
  const metrics = await (await request(`${bridge.url}/metrics`)).body.text();
  const calls = metrics.split('\n').filter((line) => /^bridge_crm_(calls|retries)_total\{/.test(line));
  console.log(`bridge's own count of CRM calls: ${calls.join(', ')}`);

  // Disconnecting lets each child exit normally (and write its CPU profile when BENCH_PROFILE_DIR asks for one).
  await Promise.all([sandbox, bridge, reference].map((child) => child.stop()));

  await countCallsPerPop();
}

main().catch((error: unknown) => {
  console.error(error);
  killChildren();
  process.exit(1);
});
