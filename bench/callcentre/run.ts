/**
 * `npm run bench:callcentre`: a contact centre's peak hour against the bridge, as a reproducible simulation
 * (docs/benchmarks.md, "Contact-centre peak hour"). For each CRM and bridge configuration asked:
 *
 * - the sandbox CRM in its own process, holding a generated account (`peak`) of `--population` customers with their
 *   tickets, comments, internal notes, tasks (and, at HubSpot, calls), the account's rate limits as the vendor
 *   documents them, and `--latency-ms` on every call; it writes the ground truth of every caller (ground-truth.ts);
 * - two bridge replicas, each its own process, sharing the machine's Redis (127.0.0.1:6379) under a key prefix of
 *   their own, with the project's defaults except what the configuration sets;
 * - the peak hour's calls (schedule.ts): Poisson arrivals, callers calling back, pops by id or by phone, two pops a
 *   call, each sent to a replica at random; a slice of the hour is played in real time after a warm-up;
 * - the account's other integrations (others.ts) calling the account meanwhile.
 *
 * It prints each run's figures against the ground truth (score.ts) as a Markdown table. Loopback only; it stops by
 * itself, and gives up after BENCH_MAX_SECONDS (default: the runs' length plus 4 minutes each) whatever happens.
 */
import { Redis } from 'ioredis';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { populationToken } from '../../apps/crm-sandbox/src/hubspot/population.js';
import { populationCredentials } from '../../apps/crm-sandbox/src/zendesk/population.js';
import { DEPLOYMENT_NODE_FLAGS } from '../node-flags.js';
import { Child, killChildren } from '../processes/parent.js';
import { DEFAULT_TRUTH_RULES, type Caller, type TruthRules } from './ground-truth.js';
import {
  parseCallCentreArgs,
  PEAK,
  USAGE,
  UsageError,
  type BridgeConfiguration,
  type CallCentreOptions,
  type Crm,
  type SandboxProcessConfig,
} from './options.js';
import { startOtherIntegrations, type OthersCounts } from './others.js';
import { peakHour, playedPops, type Pop } from './schedule.js';
import { callsPerMinute, scorePops, type PopOutcome, type PopScore } from './score.js';

const REDIS_URL = 'redis://127.0.0.1:6379';
const REPLICAS = 2;
const here = new URL('.', import.meta.url);

const TYPES: Record<Crm, string[]> = { zendesk: ['case', 'note', 'task'], hubspot: ['case', 'note', 'task', 'call'] };

interface RunResult {
  crm: Crm;
  configuration: string;
  score: PopScore;
  calls: { mean: number; busiest60s: number };
  crmTooMany: number;
  others: OthersCounts;
  /** From the replicas' /metrics, over the whole run: calls the CRM budget shed, Redis fallbacks. */
  shed: number;
  redisFallbacks: number;
  loadBefore: number[];
  loadAfter: number[];
}

/** A sample of the account's cumulative counts, `second` seconds after the played window started. */
interface Sample {
  second: number;
  requests: number;
  tooMany: number;
  others: OthersCounts;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args.includes('--help')) {
    console.log(USAGE);
    return;
  }
  const options = parseCallCentreArgs(args);
  const runs = options.crms.flatMap((crm) => options.configurations.map((configuration) => ({ crm, configuration })));
  const maxSeconds = Number(
    process.env.BENCH_MAX_SECONDS ?? runs.length * (options.warmupSeconds + options.measureSeconds + 240),
  );
  const giveUp = setTimeout(() => {
    console.error(`bench:callcentre: still running after ${maxSeconds} s; giving up`);
    killChildren();
    process.exit(1);
  }, maxSeconds * 1000);
  giveUp.unref();

  await checkRedis();
  const ratePerSecond = (options.agents * options.callsPerAgentHour) / 3_600;
  console.log(describe(options, ratePerSecond));
  const results: RunResult[] = [];
  for (const { crm, configuration } of runs) {
    console.log(`\n${crm}, ${configuration.label}: starting (load average ${loadText(loadavg())})`);
    const result = await measure(crm, configuration, options, ratePerSecond);
    results.push(result);
    console.log(
      `${crm}, ${configuration.label}: done (load average ${loadText(result.loadAfter)}); ` +
        `${result.shed} CRM calls shed by the budget, ${result.redisFallbacks} Redis fallbacks, ` +
        `${result.score.unexpected} items no rule asks for`,
    );
  }
  console.log(`\n${table(results, options)}`);
}

/** One CRM, one configuration: fresh sandbox, replicas and Redis keys; the slice played; the figures. */
async function measure(
  crm: Crm,
  configuration: BridgeConfiguration,
  options: CallCentreOptions,
  ratePerSecond: number,
): Promise<RunResult> {
  const loadBefore = loadavg();
  const scratch = mkdtempSync(join(tmpdir(), 'callcentre-'));
  const prefix = `callcentre:${randomBytes(6).toString('hex')}:`;
  const children: Child[] = [];
  try {
    const sandboxConfig: SandboxProcessConfig = {
      crm,
      seed: options.seed,
      population: options.population,
      maxTickets: options.maxTickets,
      latencyMs: options.latencyMs,
      zendeskPlan: options.zendeskPlan,
      hubspotBurst: options.hubspotBurst,
      hubspotSearchPerSecond: options.hubspotSearchPerSecond,
      rules: truthRules(configuration),
      callersFile: join(scratch, 'callers.json'),
    };
    const sandbox = await Child.start(
      'sandbox',
      new URL('./sandbox-process.js', here),
      { BENCH_SANDBOX_CONFIG: JSON.stringify(sandboxConfig) },
      ['--max-semi-space-size=32'],
    );
    children.push(sandbox);
    const callers = JSON.parse(readFileSync(sandboxConfig.callersFile, 'utf8')) as Caller[];
    if (callers.length !== options.population)
      throw new Error(`the sandbox holds ${callers.length} callers, not ${options.population}`);

    const replicaEnv = {
      BENCH_SANDBOX_URL: sandbox.url,
      BENCH_BRIDGE_DEFAULTS: 'project',
      LOG_FORMAT: 'json',
      REDIS_URL,
      REDIS_KEY_PREFIX: prefix,
      // Every replica of a deployment with Redis shares one (the bridge warns at boot otherwise).
      CACHE_KEY_SECRET: randomBytes(24).toString('hex'),
      // The customer tells the bridge its plan, as the configuration guide asks.
      CRM_PLAN_LIMITS: crm === 'zendesk' ? `zendesk=${options.zendeskPlan}/60` : `hubspot=${options.hubspotBurst}/10`,
      ...configuration.env,
    };
    const replicas = await Promise.all(
      Array.from({ length: REPLICAS }, (_, index) =>
        Child.start(`replica ${index + 1}`, new URL('../processes/bridge.js', here), replicaEnv, [
          ...DEPLOYMENT_NODE_FLAGS,
        ]),
      ),
    );
    children.push(...replicas);

    const pops = playedPops(
      peakHour({
        seed: options.seed,
        ratePerSecond,
        repeatShare: options.repeatShare,
        byIdShare: options.byIdShare,
        population: options.population,
      }),
      {
        seed: options.seed,
        from: options.atMinute * 60,
        warmup: options.warmupSeconds,
        measure: options.measureSeconds,
        answerDelay: options.answerDelaySeconds,
        replicas: REPLICAS,
      },
    );

    const start = performance.now() + 1_000;
    const others = startOtherIntegrations({
      crm,
      sandboxUrl: sandbox.url,
      account: PEAK,
      share: options.others,
      zendeskPlan: options.zendeskPlan,
      hubspotSearchPerSecond: options.hubspotSearchPerSecond,
      callers,
      seed: options.seed,
    });
    const samples: Sample[] = [];
    const sample = async () => {
      const { stats } = await sandbox.ask();
      samples.push({
        second: Math.round((performance.now() - start) / 1000),
        requests: stats.requests!,
        tooMany: stats.tooManyRequests!,
        others: others.counts(),
      });
    };
    await sleepUntil(start);
    const sampler = setInterval(() => void sample(), 1_000);
    const outcomes = await Promise.all(
      pops.map(async (pop) => {
        await sleepUntil(start + pop.at * 1000);
        return { pop, outcome: await sendPop(crm, replicas[pop.replica]!.url, pop, callers[pop.call.caller]!) };
      }),
    );
    await sleepUntil(start + (options.warmupSeconds + options.measureSeconds + options.answerDelaySeconds) * 1000);
    await others.stop();
    clearInterval(sampler);
    await sample();

    const slice = sliceFigures(samples, options.warmupSeconds, options.measureSeconds);
    const metrics = await Promise.all(replicas.map((replica) => metricSums(replica.url)));
    return {
      crm,
      configuration: configuration.label,
      score: scorePops(outcomes.filter(({ pop }) => pop.measured).map(({ outcome }) => outcome)),
      calls: callsPerMinute(slice.bridgeCallsPerSecond),
      crmTooMany: slice.bridgeTooMany,
      others: slice.others,
      shed: metrics.reduce((sum, m) => sum + m.shed, 0),
      redisFallbacks: metrics.reduce((sum, m) => sum + m.redisFallbacks, 0),
      loadBefore,
      loadAfter: loadavg(),
    };
  } finally {
    await Promise.all(children.map((child) => child.stop()));
    await deleteKeys(prefix);
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** The rules the ground truth follows, as this configuration sets them for the bridge. */
function truthRules(configuration: BridgeConfiguration): TruthRules {
  return {
    maxItemsPerType: Number(configuration.env.MAX_ITEMS_PER_TYPE ?? DEFAULT_TRUTH_RULES.maxItemsPerType),
    zendeskNoteTickets: Number(configuration.env.ZENDESK_NOTE_TICKETS ?? DEFAULT_TRUTH_RULES.zendeskNoteTickets),
  };
}

/** The pop Talkdesk sends for this call: the CRM id and the phone, or the phone only. */
function popBody(crm: Crm, caller: Caller, byId: boolean): string {
  const auth =
    crm === 'zendesk'
      ? { subdomain: PEAK, email: populationCredentials(PEAK).email, token: populationCredentials(PEAK).token }
      : { access_token: populationToken(PEAK) };
  const data = byId
    ? { contact_external_id: caller.crmId, contact_phones: [caller.e164] }
    : { contact_phones: [caller.e164] };
  return JSON.stringify({ auth, meta: { interaction_types: TYPES[crm] }, data });
}

async function sendPop(crm: Crm, replicaUrl: string, pop: Pop, caller: Caller): Promise<PopOutcome> {
  const sent = performance.now();
  const base = { ring: pop.ring, expected: caller.expected };
  try {
    const { statusCode, body } = await request(`${replicaUrl}/${crm}/interactions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: popBody(crm, caller, pop.call.byId),
      headersTimeout: 60_000,
      bodyTimeout: 60_000,
    });
    const text = await body.text();
    const latencyMs = performance.now() - sent;
    if (statusCode !== 200) return { ...base, status: statusCode, latencyMs };
    const items = JSON.parse(text) as { id: string }[];
    return { ...base, status: 200, latencyMs, ids: items.map((item) => item.id) };
  } catch {
    return { ...base, status: 'error', latencyMs: performance.now() - sent };
  }
}

/**
 * The slice's figures from the samples: the bridge's calls per second (the account's requests less the other
 * integrations' answered calls), the bridge's 429s and the others' counts over [warmup, warmup + measure).
 */
function sliceFigures(samples: Sample[], warmup: number, measure: number) {
  const at = (second: number): Sample =>
    samples.reduce((best, sample) =>
      Math.abs(sample.second - second) < Math.abs(best.second - second) ? sample : best,
    );
  const bridgeRequests = (sample: Sample) => sample.requests - sample.others.answered;
  const bridgeCallsPerSecond = Array.from(
    { length: measure },
    (_, i) => bridgeRequests(at(warmup + i + 1)) - bridgeRequests(at(warmup + i)),
  );
  const first = at(warmup);
  const last = at(warmup + measure);
  return {
    bridgeCallsPerSecond,
    bridgeTooMany: last.tooMany - last.others.refused - (first.tooMany - first.others.refused),
    others: {
      answered: last.others.answered - first.others.answered,
      refused: last.others.refused - first.others.refused,
      failed: last.others.failed - first.others.failed,
    },
  };
}

async function metricSums(bridgeUrl: string): Promise<{ shed: number; redisFallbacks: number }> {
  const { body } = await request(`${bridgeUrl}/metrics`);
  const text = await body.text();
  const sum = (name: string) =>
    text
      .split('\n')
      .filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `))
      .reduce((total, line) => total + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
  return { shed: sum('bridge_crm_budget_shed_total'), redisFallbacks: sum('bridge_shared_state_fallbacks_total') };
}

async function checkRedis(): Promise<void> {
  const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 2_000 });
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    throw new UsageError(
      `bench:callcentre needs Redis at ${REDIS_URL} (the replicas share it): ${(error as Error).message}`,
    );
  } finally {
    redis.disconnect();
  }
}

/** Removes the run's keys (cache entries, locks, budget counters) from the shared Redis. */
async function deleteKeys(prefix: string): Promise<void> {
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1, connectTimeout: 2_000 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1_000);
      if (keys.length > 0) await redis.unlink(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

function sleepUntil(time: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, time - performance.now())));
}

function loadText(load: number[]): string {
  return load.map((value) => value.toFixed(2)).join(' ');
}

function describe(options: CallCentreOptions, ratePerSecond: number): string {
  return [
    `Contact-centre peak hour: ${options.agents} agents × ${options.callsPerAgentHour} calls an hour = ` +
      `${ratePerSecond.toFixed(2)} calls/s (Poisson), ${percent(options.repeatShare)} of calls a caller calling back, ` +
      `two pops a call (ring, then answer ${options.answerDelaySeconds} s later), ${percent(options.byIdShare)} by CRM id ` +
      `and the rest by phone only, two replicas sharing Redis.`,
    `Account: ${options.population} customers with 0–${options.maxTickets} tickets each (seed ${options.seed}), ` +
      `${options.latencyMs} ms per CRM call; Zendesk ${options.zendeskPlan} requests a minute (fixed one-minute ` +
      `windows), HubSpot ${options.hubspotBurst} requests per 10 s per app and ${options.hubspotSearchPerSecond} ` +
      `searches a second per account; other integrations spend ${percent(options.others)} of the account's allowance.`,
    `Played in real time: minutes ${minutes(options.atMinute * 60 - options.warmupSeconds)}–` +
      `${minutes(options.atMinute * 60 + options.measureSeconds)} of the hour, the first ${options.warmupSeconds} s a ` +
      `warm-up that is not counted; calls ringing in the ${options.measureSeconds} s after it are measured.`,
    `Bridge configurations: the project's defaults, plus the account's plan as CRM_PLAN_LIMITS (zendesk=` +
      `${options.zendeskPlan}/60, hubspot=${options.hubspotBurst}/10) and one CACHE_KEY_SECRET for both replicas, ` +
      `plus what the configuration sets.`,
    `${cpus().length} cores; node ${process.version}.`,
  ].join('\n');
}

function table(results: RunResult[], options: CallCentreOptions): string {
  const header = [
    'CRM',
    'configuration',
    'pops',
    'pops complete (every case, task, call)',
    'notes recall',
    '`[]` for a caller who exists',
    'non-200 answers',
    'CRM calls a minute: mean / busiest 60 s',
    'CRM 429s',
    'other integrations’ calls refused',
    'ring pop p50 / p99 ms',
    'load average before → after',
  ];
  const rows = results.map((result) => {
    const { score } = result;
    const notOk = Object.entries(score.notOk)
      .map(([status, count]) => `${count} × ${status}`)
      .join(', ');
    return [
      result.crm,
      result.configuration,
      String(score.pops),
      `${percent(score.complete / score.pops, 1)}`,
      score.notesExpected === 0 ? '–' : percent(score.notesReturned / score.notesExpected, 1),
      String(score.emptyForExisting),
      notOk || '0',
      `${result.calls.mean.toFixed(0)} / ${result.calls.busiest60s}`,
      String(result.crmTooMany),
      options.others > 0 ? `${result.others.refused} of ${result.others.answered}` : '–',
      `${score.ringP50Ms.toFixed(0)} / ${score.ringP99Ms.toFixed(0)}`,
      `${result.loadBefore[0]!.toFixed(1)} → ${result.loadAfter[0]!.toFixed(1)}`,
    ];
  });
  return [header, header.map(() => '---'), ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}

function percent(share: number, digits = 0): string {
  return `${(share * 100).toFixed(digits)}%`;
}

function minutes(seconds: number): string {
  return `${Math.floor(seconds / 60)}:${String(Math.round(seconds % 60)).padStart(2, '0')}`;
}

main().catch((error: unknown) => {
  console.error(error instanceof UsageError ? error.message : error);
  killChildren();
  process.exit(error instanceof UsageError ? 2 : 1);
});
