import { SeededRandom } from '../../apps/crm-sandbox/src/population.js';

/**
 * The contact centre's peak hour: calls arriving as a Poisson process at `ratePerSecond` (agents × calls per agent-
 * hour / 3,600), a share of them from callers who already called earlier in the hour and call back, the rest from
 * customers who have not called yet. Each call carries the caller's CRM id (`byIdShare` of them) or only their
 * phone number, and makes two screen pops: one when it rings, one when the agent answers.
 */
export interface PeakHourOptions {
  seed: number;
  ratePerSecond: number;
  /** The share of calls that are a caller calling back (a caller of an earlier call this hour). */
  repeatShare: number;
  /** The share of calls that carry the caller's CRM id; the others carry only the phone number. */
  byIdShare: number;
  /** Customers who can call: indexes 0 … population-1. */
  population: number;
  /** Default 3,600. */
  seconds?: number;
}

export interface Call {
  /** Seconds into the hour. */
  at: number;
  /** The caller's population index. */
  caller: number;
  /** A caller who called earlier this hour. */
  repeat: boolean;
  byId: boolean;
}

export function peakHour(options: PeakHourOptions): Call[] {
  const seconds = options.seconds ?? 3_600;
  const random = new SeededRandom(options.seed);
  // First-time callers in a random order, without repetition (a Fisher-Yates shuffle of the population).
  const fresh = Array.from({ length: options.population }, (_, index) => index);
  for (let i = fresh.length - 1; i > 0; i--) {
    const j = random.int(0, i);
    [fresh[i], fresh[j]] = [fresh[j]!, fresh[i]!];
  }
  let nextFresh = 0;
  const calls: Call[] = [];
  // Exponential gaps of mean 1/rate: a Poisson process.
  for (
    let at = exponential(random, options.ratePerSecond);
    at < seconds;
    at += exponential(random, options.ratePerSecond)
  ) {
    const callBack = calls.length > 0 && (random.chance(options.repeatShare) || nextFresh >= fresh.length);
    const caller = callBack ? calls[random.int(0, calls.length - 1)]!.caller : fresh[nextFresh++]!;
    calls.push({ at, caller, repeat: callBack, byId: random.chance(options.byIdShare) });
  }
  return calls;
}

function exponential(random: SeededRandom, rate: number): number {
  return -Math.log(1 - random.next()) / rate;
}

export interface Pop {
  /** Seconds from the start of the played window. */
  at: number;
  call: Call;
  /** The ring pop (the first of the call) or the answer pop. */
  ring: boolean;
  /** Which bridge replica the load balancer sends it to. */
  replica: number;
  /** Sent after the warm-up: counted in the results. */
  measured: boolean;
}

export interface WindowOptions {
  seed: number;
  /** The measured slice starts this many seconds into the hour. */
  from: number;
  /** Played before the slice, not counted: the caches and budgets warm up as they would have. */
  warmup: number;
  /** The measured slice's length in seconds. */
  measure: number;
  /** The answer pop follows the ring pop by this many seconds. */
  answerDelay: number;
  replicas: number;
}

/**
 * The pops of the calls that ring within [from − warmup, from + measure), in time order, each sent to a replica at
 * random as a load balancer would. A call is counted (both its pops) when it rings within the measured slice.
 */
export function playedPops(calls: Call[], options: WindowOptions): Pop[] {
  const random = new SeededRandom(options.seed ^ 0x5eed);
  const start = options.from - options.warmup;
  const pops: Pop[] = [];
  for (const call of calls) {
    if (call.at < start || call.at >= options.from + options.measure) continue;
    const measured = call.at >= options.from;
    const at = call.at - start;
    pops.push({ at, call, ring: true, replica: random.int(0, options.replicas - 1), measured });
    pops.push({
      at: at + options.answerDelay,
      call,
      ring: false,
      replica: random.int(0, options.replicas - 1),
      measured,
    });
  }
  return pops.sort((a, b) => a.at - b.at);
}
