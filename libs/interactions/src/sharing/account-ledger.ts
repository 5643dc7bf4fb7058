import { LRUCache } from 'lru-cache';
import type { SharedRedis } from '#shared-state';

/** What a CRM's answer said about the account's allowance (readRateLimitHeaders). */
export interface AccountReport {
  limit: number;
  /** What the CRM said was left when it answered, everyone's calls counted. */
  remaining: number;
  /** When it answered (ms since the epoch). */
  at: number;
  /** The tenant's call count (AccountLedger.count) of the call that brought this answer. */
  sentCount: number;
  /** Fixed windows: when the window this report describes ends (ms since the epoch). */
  resetAt?: number;
  /** True when the CRM said when its window ends; false when the bridge inferred it (from the clock, or before). */
  resetKnown?: boolean;
  /** A second, daily allowance (HubSpot's), when the CRM reports one. */
  daily?: { limit: number; remaining: number };
  /** Fixed windows: the tenant's count just before the bridge's first call in this window. */
  windowStartCount?: number;
  /** Fixed windows: how fast the account's other integrations spent in the window before (calls a second). */
  othersPerSecondBefore?: number;
  /** The tenant's count of essential calls (contact lookups, cases, tasks) when the call that brought it was made. */
  essentialSent?: number;
  /** Fixed windows: that count just before the bridge's first essential call in this window. */
  windowStartEssential?: number;
  /** Fixed windows: how fast the bridge made essential calls in the window before (calls a second). */
  essentialPerSecondBefore?: number;
}

/** What a CRM answer says, to be completed with what the kept report and the count of its call add. */
export type CompleteReport = (
  kept: AccountReport | undefined,
  counts: { sent: number; essential: number; essentialCall: boolean },
) => AccountReport;

/** One call counted for a tenant, with what is known of the account when it was counted. */
export interface CountedCall {
  /** The call's number in the tenant's count: in Redis (every replica's calls) when `shared`, else this process's. */
  count: number;
  /** The tenant's count of essential calls (contact lookups, cases, tasks), this one included when it is one. */
  essentialCount: number;
  essential: boolean;
  /** The latest report kept beside that count, if any. */
  report?: AccountReport;
  /** True when the CRM has accepted the request's credentials lately (a 2xx answer). */
  verified: boolean;
  shared: boolean;
  /** The same call's number in this process's own count, kept for when Redis is unavailable. */
  localCount: number;
  localEssentialCount: number;
}

/** How long a credential the CRM accepted stays known as good without another accepted call. */
const VERIFIED_TTL_MS = 24 * 3_600_000;

/**
 * Keeps a report only when it says something newer than the one kept: a later window (fixed windows), else a later
 * call. A window end the CRM stated always replaces one the bridge inferred. A kept report counted after the count
 * itself (Redis lost the count) says nothing any more and gives way.
 */
const RECORD_REPORT = `
local kept = redis.call('GET', KEYS[1])
if kept then
  local old = cjson.decode(kept)
  local resetAt = tonumber(ARGV[3])
  local oldResetAt = tonumber(old.resetAt or 0)
  local halfWindow = tonumber(ARGV[5])
  local corrects = ARGV[6] == '1' and old.resetKnown ~= true
  if resetAt + halfWindow < oldResetAt and not corrects then return 0 end
  if resetAt <= oldResetAt + halfWindow then
    local count = tonumber(redis.call('GET', KEYS[2]) or '0')
    if tonumber(ARGV[4]) <= tonumber(old.sentCount) and tonumber(old.sentCount) <= count then return 0 end
  end
end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1`;

/** The same rule as RECORD_REPORT, for this process's memory. */
export function supersedes(next: AccountReport, kept: AccountReport | undefined, windowMs: number, count: number) {
  if (!kept) return true;
  const half = windowMs / 2;
  const corrects = next.resetKnown === true && kept.resetKnown !== true;
  if ((next.resetAt ?? 0) + half < (kept.resetAt ?? 0) && !corrects) return false;
  if ((next.resetAt ?? 0) <= (kept.resetAt ?? 0) + half)
    return next.sentCount > kept.sentCount || kept.sentCount > count;
  return true;
}

/**
 * Per tenant (a CRM account): a count of the bridge's calls that only grows, the CRM's latest report on the account
 * tagged with the count of the call that brought it, and which credentials the CRM has accepted. With Redis they are
 * shared by every replica (one round trip per call: the count, the report and the credential at once), so a replica
 * that has not called the account yet knows what the others learnt, and calls made on any replica since a report
 * count against it. Every call is also counted in this process's memory, whose own reports serve while Redis is
 * unavailable (each replica then knows only its own calls, and the CRM's next answer corrects it).
 */
export class AccountLedger {
  private readonly local = new LRUCache<string, { count: number; essential: number; report?: AccountReport }>({
    max: 10_000,
  });
  private readonly verifiedLocally = new LRUCache<string, true>({ max: 50_000, ttl: VERIFIED_TTL_MS });

  constructor(private readonly redis: SharedRedis | null) {}

  /**
   * Counts one call of `tenant` (`credential`: a keyed hash of its credentials, when it has any; `essential`: a
   * contact lookup, case or task, counted as such for a credential this process has seen accepted), and reads the
   * essential calls' count beside it.
   */
  async count(
    tenant: string,
    credential: string | undefined,
    windowMs: number,
    essential: boolean,
  ): Promise<CountedCall> {
    let local = this.local.get(tenant);
    if (!local) this.local.set(tenant, (local = { count: 0, essential: 0 }));
    const localCount = ++local.count;
    const verifiedHere = credential !== undefined && this.verifiedLocally.has(`${tenant}:${credential}`);
    // The pace of essential calls tells what valid pops will need: a credential not yet seen accepted here (bad
    // tokens among them) adds nothing to it.
    essential = essential && (credential === undefined || verifiedHere);
    const localEssentialCount = essential ? ++local.essential : local.essential;
    const client = this.redis?.use('budget');
    if (this.redis && client) {
      try {
        const countKey = this.redis.key('budget', 'calls', tenant);
        const essentialKey = this.redis.key('budget', 'essential-calls', tenant);
        const batch = client
          .multi()
          .incr(countKey)
          .pexpire(countKey, countTtlMs(windowMs))
          .get(this.redis.key('budget', 'report', tenant));
        if (essential) batch.incr(essentialKey).pexpire(essentialKey, countTtlMs(windowMs));
        else batch.get(essentialKey).get(essentialKey);
        if (credential !== undefined) batch.exists(this.redis.key('budget', 'verified', tenant, credential));
        const results = await batch.exec();
        if (!results || results.some(([error]) => error))
          throw results?.find(([error]) => error)?.[0] ?? new Error('aborted');
        const report = parseReport(results[2]![1]);
        const verified = verifiedHere || (credential !== undefined && results[5]![1] === 1);
        return {
          count: Number(results[0]![1]),
          essentialCount: Number(results[3]![1] ?? 0),
          essential,
          report,
          verified,
          shared: true,
          localCount,
          localEssentialCount,
        };
      } catch (error) {
        this.redis.degraded('budget', error);
      }
    }
    return {
      count: localCount,
      essentialCount: localEssentialCount,
      essential,
      report: local.report,
      verified: verifiedHere,
      shared: false,
      localCount,
      localEssentialCount,
    };
  }

  /** Takes back a call counted but not made (shed): the count must only hold calls the CRM may have seen. */
  uncount(tenant: string, call: CountedCall): void {
    const local = this.local.get(tenant);
    if (local && local.count === call.localCount) local.count--;
    if (local && call.essential && local.essential === call.localEssentialCount) local.essential--;
    if (!call.shared) return;
    const client = this.redis?.use('budget');
    if (!this.redis || !client) return;
    const batch = client.multi().decr(this.redis.key('budget', 'calls', tenant));
    if (call.essential) batch.decr(this.redis.key('budget', 'essential-calls', tenant));
    batch.exec().catch((error: unknown) => this.redis!.degraded('budget', error));
  }

  /**
   * Keeps the CRM's report on the account, here and (when the call was counted there) in Redis, each completed
   * (`complete`) from the report kept beside that count when the call was counted and the call's own count.
   */
  record(tenant: string, call: CountedCall, complete: CompleteReport, windowMs: number): void {
    const local = this.local.get(tenant);
    if (local) {
      const mine = complete(call.shared ? local.report : call.report, {
        sent: call.localCount,
        essential: call.localEssentialCount,
        essentialCall: call.essential,
      });
      if (supersedes(mine, local.report, windowMs, local.count)) local.report = mine;
    }
    if (!call.shared) return;
    const client = this.redis?.use('budget');
    if (!this.redis || !client) return;
    const shared = complete(call.report, {
      sent: call.count,
      essential: call.essentialCount,
      essentialCall: call.essential,
    });
    const ttlMs = shared.resetAt === undefined ? 2 * windowMs : Math.max(1, shared.resetAt - shared.at) + windowMs;
    client
      .eval(
        RECORD_REPORT,
        2,
        this.redis.key('budget', 'report', tenant),
        this.redis.key('budget', 'calls', tenant),
        JSON.stringify(shared),
        String(Math.ceil(Math.min(ttlMs, countTtlMs(windowMs)))),
        String(shared.resetAt ?? 0),
        String(call.count),
        String(windowMs / 2),
        shared.resetKnown ? '1' : '0',
      )
      .catch((error: unknown) => this.redis!.degraded('budget', error));
  }

  /** The CRM accepted (`true`) or rejected (`false`) the credential: remembered here and (`shared`) in Redis. */
  verified(tenant: string, credential: string, accepted: boolean, shared = true): void {
    const key = `${tenant}:${credential}`;
    if (accepted) this.verifiedLocally.set(key, true);
    else this.verifiedLocally.delete(key);
    if (!shared) return;
    const client = this.redis?.use('budget');
    if (!this.redis || !client) return;
    const redisKey = this.redis.key('budget', 'verified', tenant, credential);
    const done = accepted ? client.set(redisKey, '1', 'PX', VERIFIED_TTL_MS) : client.del(redisKey);
    done.catch((error: unknown) => this.redis!.degraded('budget', error));
  }
}

/** The count outlives every report tagged with it: twice the window, and at least two hours. */
function countTtlMs(windowMs: number): number {
  return 2 * Math.max(windowMs, 3_600_000);
}

function parseReport(raw: unknown): AccountReport | undefined {
  if (typeof raw !== 'string') return undefined;
  try {
    const report = JSON.parse(raw) as AccountReport;
    return Number.isFinite(report.limit) && Number.isFinite(report.remaining) && Number.isFinite(report.sentCount)
      ? report
      : undefined;
  } catch {
    return undefined;
  }
}
