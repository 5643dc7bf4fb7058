import { Inject, Injectable, Logger, Optional, type OnApplicationBootstrap } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { InjectSharedRedis, SharedLimiter, type SharedRedis } from '#shared-state';
import { ConnectorRegistry } from '../connector-registry.js';
import type { PlanLimit } from '../connector.js';
import { AccountLedger, type AccountReport, type CountedCall } from './account-ledger.js';
import { CallShedError, currentInteractionType, type CallReceipt, type CrmCallGate } from './crm-call-gate.js';
import { SharingMetrics, type ShedReason } from './sharing-metrics.js';
import { SHARING_SETTINGS, type SharingSettings } from './sharing-settings.js';

/**
 * Which calls go first when the room runs low: the share of the budget's scale that must still be free after a call
 * of this type for it to be made. Notes go first (a Zendesk note costs a comments call per ticket), then calls, then
 * new contact lookups, then tasks and cases: the reads of a pop already under way are the last to be shed, so that a
 * pop the budget lets start ends complete, and one it cannot serve is refused whole (503) rather than answered half.
 */
const MARGIN_BY_TYPE: Record<string, number> = { note: 0.4, call: 0.3, task: 0.1, case: 0.05 };
const MARGIN_OF_OTHER_TYPES = 0.3;
const MARGIN_OF_LOOKUPS = 0.2;

/** What a pop must have (with its contact lookups); every other type is optional, and paced (headroomAfterCall). */
const ESSENTIAL_TYPES = new Set(['case', 'task']);

/** The account's last calls are never the bridge's, whatever the reserve: a CRM 429 would hit every integration. */
const LAST_CALLS = 2;

/** The scale of the type margins in headroom mode, as a share of the limit, when the reserve is smaller. */
const MIN_MARGIN_SCALE_SHARE = 0.05;

/**
 * Before the CRM has told a replica anything about an account (a new tenant, a window the replica has no answer of
 * yet, Redis unavailable), it spends at most this share of the plan (or the reserve, if larger): the first answer's
 * headers then tell it the truth, so a fresh replica never sheds a pop for want of knowledge.
 */
const PROBE_SHARE = 0.1;

/**
 * With a rolling window, a report that left no room is kept until the window has passed (Salesforce: a day). Past
 * this age one call may go, so that the next answer says whether room came back.
 */
const PROBE_STALE_REPORT_AFTER_MS = 10_000;

/**
 * Credentials the CRM has not accepted yet (no 2xx answer in the last day) spend from their own small allowance per
 * minute: a pop's first calls per credential, and a share of the plan for all of a tenant's unverified credentials together.
 * A rejected token thus never spends what valid credentials may spend; Talkdesk's authorization validator, whose
 * one call is what verifies a credential, is exempt.
 */
const UNVERIFIED_CALLS_PER_CREDENTIAL = 10;
const UNVERIFIED_SHARE = 0.1;
const MIN_UNVERIFIED_CALLS = 10;

/** Retry-After for a shed pop: at least a second, at most a minute (the CRM's own window when it is shorter). */
const MAX_RETRY_AFTER_SECONDS = 60;

/** The counters' own limit: never reached, the budget compares the counts itself. */
const UNBOUNDED = Number.MAX_SAFE_INTEGER;

type Plan = Required<PlanLimit>;

interface Guess {
  /** The tenant's count just before the first call made without a report. */
  fromCount: number;
  until: number;
  shared: boolean;
}

/**
 * What the rule leaves after one more call: `left` calls in all, `leftAtPace` of them for optional types (notes,
 * calls) now, and when `needed` more would fit.
 */
export interface Room {
  left: number;
  leftAtPace: number;
  secondsUntil(needed: number): number;
}

/**
 * In a fixed window, optional types spend only what the bridge's own contact lookups, cases and tasks will not need
 * before it ends, at the pace the bridge has been making them, with this much to spare: a burst of notes early in a
 * minute must not leave the pops later in it without their cases.
 */
const ESSENTIAL_SLACK = 1.25;

/**
 * Early in a fixed window the others' pace is measured over at least this share of it, so that a few calls in its
 * first instant do not look like a flood (the previous window's pace covers a flood that really starts there).
 */
const MIN_MEASURED_SHARE_OF_WINDOW = 0.1;

/**
 * How fast the account's other integrations spend in the fixed window a report describes (calls a millisecond): what
 * the account has used less the bridge's own calls in the window, over the time elapsed, and never less than their
 * pace in the window before.
 */
/**
 * How fast the bridge makes essential calls (contact lookups, cases, tasks) in the fixed window a report describes,
 * calls a millisecond, from the tenant's essential count now; never less than in the window before.
 */
export function essentialPerMs(
  report: AccountReport,
  essentialNow: number,
  now: number,
  plan: Plan,
  { withWindowBefore = true } = {},
): number {
  const windowMs = plan.windowSeconds * 1000;
  if (report.resetAt === undefined || report.windowStartEssential === undefined) return 0;
  const calls = Math.max(0, essentialNow - report.windowStartEssential);
  const elapsedMs = windowMs - Math.min(windowMs, Math.max(0, report.resetAt - now));
  const measured = calls / Math.max(elapsedMs, windowMs * MIN_MEASURED_SHARE_OF_WINDOW);
  return withWindowBefore ? Math.max(measured, (report.essentialPerSecondBefore ?? 0) / 1000) : measured;
}

/**
 * `withWindowBefore: false` gives this window's pace alone: what the next window takes as its window before, so
 * that a pace measured once too high does not carry from window to window.
 */
export function othersPerMs(report: AccountReport, plan: Plan, { withWindowBefore = true } = {}): number {
  const windowMs = plan.windowSeconds * 1000;
  if (report.resetAt === undefined) return 0;
  const bridgeCalls = report.windowStartCount === undefined ? 0 : report.sentCount - report.windowStartCount;
  const othersCalls = Math.max(0, report.limit - report.remaining - bridgeCalls);
  const elapsedMs = windowMs - Math.min(windowMs, Math.max(0, report.resetAt - report.at));
  const measured = othersCalls / Math.max(elapsedMs, windowMs * MIN_MEASURED_SHARE_OF_WINDOW);
  return withWindowBefore ? Math.max(measured, (report.othersPerSecondBefore ?? 0) / 1000) : measured;
}

/**
 * The headroom rule (docs/cache-and-budget.md). The CRM's last report said `remaining` of `limit` were left; the
 * bridge has made `callsSince` calls since the call that brought it (this one included), on every replica. The
 * bridge leaves the account's other integrations the reserve (`reserveShare` of the limit, and never fewer than the
 * account's last calls) and, in a fixed window, what they will still spend before it ends at the pace they have
 * been spending (othersPerMs): the rest is the bridge's part of the window. Contact lookups, cases and tasks may
 * spend it at once; optional types only what those will not need before the window ends at the bridge's pace
 * (essentialPerMs, with ESSENTIAL_SLACK), so that pops later in it still find room for theirs. In a rolling window what the CRM says is left already spreads everyone's calls
 * over the window, so the reserve is all it keeps. `othersKnown: false` (a replica that lost Redis, and counts only
 * its own calls, so that the other replicas' look like the other integrations') keeps only the reserve too.
 */
export function headroomAfterCall(
  report: AccountReport,
  callsSince: number,
  now: number,
  plan: Plan,
  reserveShare: number,
  { othersKnown = true, essentialNow }: { othersKnown?: boolean; essentialNow?: number } = {},
): Room {
  const { limit } = report;
  const windowMs = plan.windowSeconds * 1000;
  const reserve = Math.max(LAST_CALLS, Math.ceil(limit * reserveShare));
  let othersStill = 0;
  let resetInMs: number | undefined;
  if (plan.window === 'fixed' && report.resetAt !== undefined) {
    resetInMs = Math.min(windowMs, Math.max(0, report.resetAt - now));
    // Their calls since the report are not in it yet: counted from the report's time.
    if (othersKnown)
      othersStill = othersPerMs(report, plan) * Math.min(windowMs, Math.max(0, report.resetAt - report.at));
  }
  const left = Math.floor(report.remaining - callsSince - reserve - othersStill);
  let leftAtPace = left;
  if (resetInMs !== undefined && essentialNow !== undefined) {
    const essentialsStill = ESSENTIAL_SLACK * essentialPerMs(report, essentialNow, now, plan) * resetInMs;
    leftAtPace = Math.floor(left - essentialsStill);
  }
  return {
    left,
    leftAtPace,
    secondsUntil: (needed) =>
      clampRetryAfter(
        // A fixed window's room comes back when it starts again (until then the others spend what was kept for
        // them); a rolling window's, as calls leave it, about as fast as a full window's calls entered it.
        resetInMs === undefined ? (needed - left) / (limit / plan.windowSeconds) : resetInMs / 1000,
        plan,
      ),
  };
}

/**
 * One budget per tenant (a CRM account, or a credential where the CRM names no account), in front of every CRM call
 * (the HTTP client calls the gate, retries included). By default it follows the account's real headroom: what the
 * CRM's rate-limit headers say is left, less what the bridge has called since, less the reserve for the account's
 * other integrations and, in a fixed window, what they will still spend in it at their pace (headroomAfterCall).
 * With CRM_BUDGET_SHARE the bridge's own calls are also capped at that share of the allowance per window (a fixed
 * cap, counted by rate-limiter-flexible). Counts and reports are shared through Redis when REDIS_URL is set
 * (AccountLedger), in this process's memory otherwise or while Redis is down. A call that must not be made fails
 * with CallShedError; the core answers with what it has, or 503 when that is nothing (docs/cache-and-budget.md).
 */
@Injectable()
export class CrmBudget implements OnApplicationBootstrap {
  private readonly logger = new Logger(CrmBudget.name);
  private readonly ledger: AccountLedger;
  private readonly shareCounters = new Map<number, SharedLimiter>();
  private readonly unverifiedCounters = new Map<number, SharedLimiter>();
  private readonly guesses = new LRUCache<string, Guess>({ max: 10_000 });
  private readonly probes = new LRUCache<string, number>({ max: 10_000 });

  constructor(
    @Inject(SHARING_SETTINGS) private readonly settings: SharingSettings,
    private readonly metrics: SharingMetrics,
    private readonly registry: ConnectorRegistry,
    @Optional() @InjectSharedRedis() private readonly redis: SharedRedis | null,
  ) {
    this.ledger = new AccountLedger(redis ?? null);
  }

  onApplicationBootstrap(): void {
    if (this.settings.budgetShare === 0) {
      this.logger.warn('CRM_BUDGET_SHARE=0: CRM calls are not budgeted; only the CRMs’ own 429s limit them');
      return;
    }
    for (const { name } of this.registry.list()) {
      if (!this.planOf(name)) {
        this.logger.warn(`${name} has no CRM plan limit (CRM_PLAN_LIMITS): its calls are not budgeted`);
      }
    }
  }

  /** CRM_PLAN_LIMITS for this connector, else the vendor default its `@Connector` declares. */
  private planOf(connector: string): Plan | undefined {
    const declared = this.registry.get(connector)?.planLimit;
    const plan = this.settings.planLimits[connector] ?? declared;
    if (!plan) return undefined;
    return { ...plan, window: plan.window ?? declared?.window ?? 'fixed' };
  }

  /**
   * The gate for one request's calls to `connector` for `tenant`; undefined when the connector has no plan limit or
   * the budget is off. `credential`: a keyed hash of the request's credentials. `essential` (the authorization
   * validator's one call) is refused only when the account itself is out of calls.
   */
  gate(
    connector: string,
    tenant: string,
    { credential, essential = false, requestId }: { credential?: string; essential?: boolean; requestId?: string },
  ): CrmCallGate | undefined {
    const plan = this.planOf(connector);
    if (!plan || this.settings.budgetShare === 0) return undefined;
    const key = `${connector}:${tenant}`;
    return {
      beforeCall: () => this.beforeCall({ connector, key, plan, credential, essential, requestId }),
    };
  }

  private async beforeCall(request: GatedRequest): Promise<CallReceipt> {
    const { key, plan, credential, essential } = request;
    const type = currentInteractionType();
    const essentialCall = type === undefined || ESSENTIAL_TYPES.has(type);
    const call = await this.ledger.count(key, credential, plan.windowSeconds * 1000, essentialCall);
    const refunds: (() => Promise<void>)[] = [];
    let refundShare: (() => Promise<void>) | undefined;
    try {
      const limit = this.checkHeadroom(request, call, type);
      if (credential !== undefined && !call.verified && !essential) {
        refunds.push(...(await this.chargeUnverified(request, credential, limit, type)));
      }
      if (this.settings.budgetShare !== undefined && !essential) {
        refundShare = await this.chargeShare(request, limit, type);
      }
    } catch (error) {
      this.ledger.uncount(key, call);
      await Promise.all(refunds.map((refund) => refund()));
      throw error;
    }
    return { answered: (status, headers) => this.answered(request, call, status, headers, refundShare) };
  }

  /** Throws CallShedError when the account's headroom has no room for this call; returns the limit it knows. */
  private checkHeadroom(request: GatedRequest, call: CountedCall, type: string | undefined): number {
    const { key, plan, essential } = request;
    const now = Date.now();
    const report = this.usable(call, plan, now);
    if (!report) {
      // Nothing known of the account now: spend a little, and the first answer says what is left.
      const limit = call.report?.limit ?? plan.limit;
      const guessKey = `${key}:${call.shared}`;
      let guess = this.guesses.get(guessKey);
      if (!guess || guess.until <= now || call.count <= guess.fromCount) {
        guess = { fromCount: call.count - 1, until: this.windowEnd(plan, call.report, now), shared: call.shared };
        this.guesses.set(guessKey, guess);
      }
      const allowance = Math.max(LAST_CALLS, Math.ceil(limit * Math.max(this.settings.reserveShare, PROBE_SHARE)));
      const left = allowance - (call.count - guess.fromCount);
      if (!essential && left < this.margin(type, limit * Math.max(this.settings.reserveShare, PROBE_SHARE))) {
        this.shed(request, type, 'headroom', 'no answer from the CRM yet says what the account has left', {
          retryAfterSeconds: clampRetryAfter((guess.until - now) / 1000, plan),
        });
      }
      return limit;
    }
    const since = call.count - report.sentCount;
    if (
      report.daily &&
      report.daily.remaining - since < Math.max(1, Math.ceil(report.daily.limit * this.settings.reserveShare))
    ) {
      this.shed(request, type, 'headroom', "the account's daily allowance is down to its reserve", {
        retryAfterSeconds: MAX_RETRY_AFTER_SECONDS,
      });
    }
    const room = headroomAfterCall(report, since, now, plan, this.settings.reserveShare, {
      othersKnown: call.shared || !this.redis,
      essentialNow: call.essentialCount,
    });
    const scale = report.limit * Math.max(this.settings.reserveShare, MIN_MARGIN_SCALE_SHARE);
    const needed = essential ? 0 : this.margin(type, scale);
    const lastCallsLeft = report.remaining - since >= LAST_CALLS;
    const available = type === undefined || ESSENTIAL_TYPES.has(type) ? room.left : room.leftAtPace;
    if (essential ? lastCallsLeft : available >= needed) return report.limit;
    if (this.mayProbe(key, plan, report, now)) return report.limit;
    this.shed(request, type, 'headroom', "the account's headroom is running low", {
      retryAfterSeconds: room.secondsUntil(Math.max(1, needed)),
    });
  }

  /** The report kept beside the call's count, if it still describes the account now. */
  private usable(call: CountedCall, plan: Plan, now: number): AccountReport | undefined {
    const report = call.report;
    if (!report || report.sentCount > call.count) return undefined; // the count was lost since (Redis flushed)
    if (plan.window === 'fixed') return report.resetAt !== undefined && report.resetAt > now ? report : undefined;
    return report.at + plan.windowSeconds * 1000 > now ? report : undefined;
  }

  /** A rolling window's stale report that leaves no room is checked by one call every so often, per process. */
  private mayProbe(key: string, plan: Plan, report: AccountReport, now: number): boolean {
    if (plan.window !== 'rolling' || now - report.at < PROBE_STALE_REPORT_AFTER_MS) return false;
    const last = this.probes.get(key) ?? 0;
    if (now - last < PROBE_STALE_REPORT_AFTER_MS) return false;
    this.probes.set(key, now);
    return true;
  }

  /** Whole calls that must stay free after a call of this type. */
  private margin(type: string | undefined, scale: number): number {
    const share = type === undefined ? MARGIN_OF_LOOKUPS : (MARGIN_BY_TYPE[type] ?? MARGIN_OF_OTHER_TYPES);
    return Math.floor(share * scale);
  }

  /** The fixed cap (CRM_BUDGET_SHARE): the bridge's own calls in the window, against its share of the limit. */
  private async chargeShare(
    request: GatedRequest,
    limit: number,
    type: string | undefined,
  ): Promise<() => Promise<void>> {
    const { key, plan } = request;
    const counter = this.counter(this.shareCounters, 'budget', plan.windowSeconds);
    const points = Math.max(1, Math.floor(limit * this.settings.budgetShare!));
    const counted = await counter.run((store) => store.consume(key, 1));
    const refund = () => refundOne(counter, key);
    const left = points - counted.consumedPoints;
    if (left < 0 || left < this.margin(type, points)) {
      await refund();
      this.shed(
        request,
        type,
        'share',
        left < 0 ? "the bridge's share is spent" : "the bridge's share is running low",
        {
          retryAfterSeconds: clampRetryAfter(counted.msBeforeNext / 1000, plan),
        },
      );
    }
    return refund;
  }

  /** Credentials the CRM has not accepted yet: their own allowance, never the valid credentials' room. */
  private async chargeUnverified(
    request: GatedRequest,
    credential: string,
    limit: number,
    type: string | undefined,
  ): Promise<(() => Promise<void>)[]> {
    const { key, plan } = request;
    const seconds = Math.min(plan.windowSeconds, 60);
    const counter = this.counter(this.unverifiedCounters, 'budget-unverified', seconds);
    const pool = Math.max(MIN_UNVERIFIED_CALLS, Math.ceil((limit * UNVERIFIED_SHARE * seconds) / plan.windowSeconds));
    const [own, all] = await Promise.all([
      counter.run((store) => store.consume(`${key}:${credential}`, 1)),
      counter.run((store) => store.consume(key, 1)),
    ]);
    const refunds = [() => refundOne(counter, `${key}:${credential}`), () => refundOne(counter, key)];
    if (own.consumedPoints > UNVERIFIED_CALLS_PER_CREDENTIAL || all.consumedPoints > pool) {
      await Promise.all(refunds.map((refund) => refund()));
      this.shed(request, type, 'unverified', 'credentials the CRM has not accepted yet have spent their allowance', {
        retryAfterSeconds: clampRetryAfter(Math.max(own.msBeforeNext, all.msBeforeNext) / 1000, plan),
      });
    }
    return refunds;
  }

  /** One fixed-window counter per window length, never refusing by itself, in one key space for every replica. */
  private counter(counters: Map<number, SharedLimiter>, name: string, seconds: number): SharedLimiter {
    let counter = counters.get(seconds);
    if (!counter) {
      counter = new SharedLimiter(`${name}:${seconds}`, { points: UNBOUNDED, duration: seconds }, this.redis, 'budget');
      counters.set(seconds, counter);
    }
    return counter;
  }

  private shed(
    { connector }: GatedRequest,
    type: string | undefined,
    reason: ShedReason,
    why: string,
    { retryAfterSeconds }: { retryAfterSeconds: number },
  ): never {
    this.metrics.shedCalls.inc({ connector, type: type ?? 'lookup', reason });
    throw new CallShedError(`${connector} ${type ?? 'lookup'} call not made: ${why}`, { retryAfterSeconds });
  }

  /** What the CRM's answer says: the account's allowance (kept for every replica), and whether it took the credential. */
  private answered(
    request: GatedRequest,
    call: CountedCall,
    status: number,
    headers: Record<string, unknown>,
    refundShare: (() => Promise<void>) | undefined,
  ): void {
    const { key, plan, credential, requestId, connector } = request;
    if (status === 429) {
      const prefix = requestId === undefined ? '' : `[${requestId}] `;
      this.logger.warn(`${prefix}${connector} answered 429: the account is out of calls`);
    }
    if (credential !== undefined) {
      // Known here too, for when Redis is unavailable; written to Redis only when it did not know yet.
      if (status >= 200 && status < 300) this.ledger.verified(key, credential, true, !call.verified);
      if (status === 401) {
        this.ledger.verified(key, credential, false);
        // Rejected: the bridge's share gets the call back (the unverified allowance keeps it: it limits tries).
        void refundShare?.();
      }
    }
    const reading = readRateLimitHeaders(headers);
    if (reading.remaining === undefined) return;
    const now = Date.now();
    const windowMs = plan.windowSeconds * 1000;
    let resetAt: number | undefined;
    let resetKnown: boolean | undefined;
    if (plan.window === 'fixed') {
      const resetSeconds =
        reading.resetSeconds ?? (status === 429 ? retryAfterSeconds(headers['retry-after']) : undefined);
      resetKnown = resetSeconds !== undefined || call.report?.resetKnown === true;
      resetAt =
        resetSeconds === undefined
          ? this.windowEnd(plan, call.report, now)
          : now + Math.min(resetSeconds, plan.windowSeconds) * 1000;
    }
    const reported = {
      limit: reading.limit ?? call.report?.limit ?? plan.limit,
      remaining: reading.remaining,
      at: now,
      resetAt,
      resetKnown,
      daily: reading.daily,
    };
    this.ledger.record(
      key,
      call,
      (kept, counts) =>
        withWindow({ ...reported, sentCount: counts.sent, essentialSent: counts.essential }, kept, plan, counts),
      windowMs,
    );
  }

  /**
   * When the fixed window holding `now` ends: as the last report's window, carried forward a whole number of windows,
   * else at the next multiple of the window on the clock (Zendesk counts "the current minute").
   */
  private windowEnd(plan: Plan, last: AccountReport | undefined, now: number): number {
    const windowMs = plan.windowSeconds * 1000;
    if (plan.window === 'rolling') return now + windowMs;
    const known = last?.resetAt;
    if (known === undefined) return (Math.floor(now / windowMs) + 1) * windowMs;
    if (known > now) return known;
    return known + (Math.floor((now - known) / windowMs) + 1) * windowMs;
  }
}

/**
 * A fixed window's report carries where the bridge's counts stood when the window began (kept from the report of the
 * same window, else this call's), and, from the previous window's last report, how fast the others spent in it and
 * how fast the bridge made essential calls.
 */
function withWindow(
  report: AccountReport,
  kept: AccountReport | undefined,
  plan: Plan,
  counts: { essential: number; essentialCall: boolean },
): AccountReport {
  if (report.resetAt === undefined) return report;
  const windowMs = plan.windowSeconds * 1000;
  if (kept?.resetAt !== undefined && Math.abs(report.resetAt - kept.resetAt) <= windowMs / 2) {
    return {
      ...report,
      windowStartCount: kept.windowStartCount,
      othersPerSecondBefore: kept.othersPerSecondBefore,
      windowStartEssential: kept.windowStartEssential,
      essentialPerSecondBefore: kept.essentialPerSecondBefore,
    };
  }
  const previous = kept?.resetAt !== undefined && Math.abs(report.resetAt - windowMs - kept.resetAt) <= windowMs / 2;
  if (!previous) {
    return {
      ...report,
      windowStartCount: report.sentCount - 1,
      windowStartEssential: counts.essential - (counts.essentialCall ? 1 : 0),
    };
  }
  // The calls counted since the previous window's last report are the bridge's in this one (a few of them were still
  // the last window's, in flight): never taken for the others', whose pace early in a window they would inflate.
  return {
    ...report,
    windowStartCount: Math.min(report.sentCount - 1, kept.sentCount),
    windowStartEssential: Math.min(counts.essential - (counts.essentialCall ? 1 : 0), kept.essentialSent ?? Infinity),
    othersPerSecondBefore: othersPerMs(kept, plan, { withWindowBefore: false }) * 1000,
    essentialPerSecondBefore:
      essentialPerMs(kept, kept.essentialSent ?? 0, kept.at, plan, { withWindowBefore: false }) * 1000,
  };
}

interface GatedRequest {
  connector: string;
  key: string;
  plan: Plan;
  credential?: string;
  essential: boolean;
  requestId?: string;
}

async function refundOne(counter: SharedLimiter, key: string): Promise<void> {
  try {
    await counter.run((store) => store.reward(key, 1));
  } catch {
    // A refund that fails leaves the budget one call stricter: harmless.
  }
}

function clampRetryAfter(seconds: number, plan: Plan): number {
  const most = Math.min(MAX_RETRY_AFTER_SECONDS, Math.max(1, plan.windowSeconds));
  return Math.min(most, Math.max(1, Math.ceil(Number.isFinite(seconds) ? seconds : most)));
}

function retryAfterSeconds(raw: unknown): number | undefined {
  const value = Number(Array.isArray(raw) ? raw[0] : raw);
  return Number.isFinite(value) && value >= 0 ? value : undefined;
}

/** What a CRM's answer says about the account's allowance. */
export interface RateLimitReading {
  limit?: number;
  remaining?: number;
  /** Seconds until a fixed window starts again (`ratelimit-reset`). */
  resetSeconds?: number;
  daily?: { limit: number; remaining: number };
}

/**
 * Reads the account's limit and what is left of it from a CRM's answer:
 * - Zendesk: `X-Rate-Limit` / `X-Rate-Limit-Remaining`, and on list endpoints `ratelimit-limit` / `-remaining` /
 *   `-reset` ("Best practices for avoiding rate limiting",
 *   https://developer.zendesk.com/documentation/api-basics/best-practices/best-practices-for-avoiding-rate-limiting);
 * - HubSpot: `X-HubSpot-RateLimit-Max` / `-Remaining` (the rolling ten seconds) and `X-HubSpot-RateLimit-Daily` /
 *   `-Daily-Remaining` ("API usage guidelines and limits",
 *   https://developers.hubspot.com/docs/developer-tooling/platform/usage-guidelines);
 * - Salesforce: `Sforce-Limit-Info: api-usage=used/limit` ("Limit Info Header", REST API Developer Guide,
 *   https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/headers_api_usage.htm);
 * - anyone else: the IETF draft's `RateLimit-Limit` / `-Remaining` / `-Reset`.
 */
export function readRateLimitHeaders(headers: Record<string, unknown>): RateLimitReading {
  const number = (name: string): number | undefined => {
    const raw = headers[name];
    const value = Number(Array.isArray(raw) ? raw[0] : raw);
    return raw === undefined || raw === null || raw === '' || !Number.isFinite(value) || value < 0 ? undefined : value;
  };
  const salesforce = /api-usage=(\d+)\/(\d+)/.exec(String(headers['sforce-limit-info'] ?? ''));
  if (salesforce) {
    const limit = Number(salesforce[2]);
    return { limit, remaining: Math.max(0, limit - Number(salesforce[1])) };
  }
  const hubspotRemaining = number('x-hubspot-ratelimit-remaining');
  if (hubspotRemaining !== undefined) {
    const dailyLimit = number('x-hubspot-ratelimit-daily');
    const dailyRemaining = number('x-hubspot-ratelimit-daily-remaining');
    return {
      limit: number('x-hubspot-ratelimit-max'),
      remaining: hubspotRemaining,
      ...(dailyLimit !== undefined && dailyRemaining !== undefined
        ? { daily: { limit: dailyLimit, remaining: dailyRemaining } }
        : {}),
    };
  }
  // Freshdesk: X-Ratelimit-Total / X-Ratelimit-Remaining per minute ("Rate Limit", developers.freshdesk.com/api/#ratelimit).
  const freshdeskRemaining = number('x-ratelimit-remaining');
  if (freshdeskRemaining !== undefined) return { limit: number('x-ratelimit-total'), remaining: freshdeskRemaining };
  const resetSeconds = number('ratelimit-reset');
  const zendeskRemaining = number('x-rate-limit-remaining');
  if (zendeskRemaining !== undefined) {
    return { limit: number('x-rate-limit') ?? number('ratelimit-limit'), remaining: zendeskRemaining, resetSeconds };
  }
  const remaining = number('ratelimit-remaining');
  return remaining === undefined ? {} : { limit: number('ratelimit-limit'), remaining, resetSeconds };
}
