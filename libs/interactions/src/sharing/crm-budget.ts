import { Inject, Injectable, Logger, Optional, type OnApplicationBootstrap } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { InjectSharedRedis, SharedLimiter, type SharedRedis } from '#shared-state';
import { ConnectorRegistry } from '../connector-registry.js';
import { CallShedError, currentInteractionType, type CrmCallGate } from './crm-call-gate.js';
import { SharingMetrics } from './sharing-metrics.js';
import type { PlanLimit } from '../connector.js';
import { SHARING_SETTINGS, type SharingSettings } from './sharing-settings.js';

/**
 * Which calls go first when a tenant's share runs low: the share of it that must still be left for a call of this
 * type to be made. Notes go first (a Zendesk note costs a comments call per ticket), then calls and tasks, then cases;
 * contact lookups are made while anything is left, since without them nothing can be answered at all.
 */
const RESERVE_BY_TYPE: Record<string, number> = { note: 0.4, call: 0.3, task: 0.2, case: 0.1 };
const RESERVE_OF_OTHER_TYPES = 0.3;

/** Never spend the account's last few calls, whoever else spent the rest: they are the customer's other integrations'. */
const CRM_SAFETY_SHARE = 0.05;

/** The counters' own limit: never reached, the share is compared by the budget itself. */
const UNBOUNDED = Number.MAX_SAFE_INTEGER;

interface CrmReport {
  limit?: number;
  remaining: number;
  /** Until when the report says anything (the CRM's window, at most 5 minutes). */
  until: number;
}

/**
 * One budget per tenant (a CRM account): a fixed-window limiter (rate-limiter-flexible) sized to CRM_BUDGET_SHARE of
 * the account's plan limit, held in Redis when REDIS_URL is set so that every replica spends from the same count, in
 * this process's memory otherwise or while Redis is unavailable. The CRM's own rate-limit headers correct it: the
 * limit it announces replaces the configured one, and what it says is left (others' calls included) is respected.
 * Every CRM call of a request asks first (the HTTP client calls the gate); a call that must not be made fails with
 * CallShedError and the core answers with what it has.
 */
@Injectable()
export class CrmBudget implements OnApplicationBootstrap {
  private readonly logger = new Logger(CrmBudget.name);
  private readonly counters = new Map<number, SharedLimiter>();
  private readonly reports = new LRUCache<string, CrmReport>({ max: 10_000 });

  constructor(
    @Inject(SHARING_SETTINGS) private readonly settings: SharingSettings,
    private readonly metrics: SharingMetrics,
    private readonly registry: ConnectorRegistry,
    @Optional() @InjectSharedRedis() private readonly redis: SharedRedis | null,
  ) {}

  onApplicationBootstrap(): void {
    if (this.settings.budgetShare <= 0) {
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
  private planOf(connector: string): PlanLimit | undefined {
    return this.settings.planLimits[connector] ?? this.registry.get(connector)?.planLimit;
  }

  /**
   * The gate for one request's calls to `connector` for `tenant`; undefined when the connector has no plan limit or
   * the budget is off. With `prepayFirstRead` (screen pops), the first lookup also pays for the first call after it:
   * a contact found with nothing left to read its interactions was a call wasted, so in a burst the budget serves
   * fewer pops with something rather than every pop with nothing.
   */
  gate(
    connector: string,
    tenant: string,
    { prepayFirstRead, requestId }: { prepayFirstRead: boolean; requestId?: string },
  ): CrmCallGate | undefined {
    const plan = this.planOf(connector);
    if (!plan || this.settings.budgetShare <= 0) return undefined;
    const key = `${connector}:${tenant}`;
    const request = { prepaid: 0, paidFirst: !prepayFirstRead };
    return {
      beforeCall: () => this.take(connector, key, plan, currentInteractionType(), request),
      afterResponse: (status, headers) => this.observe(key, plan, status, headers, requestId),
    };
  }

  private async take(
    connector: string,
    key: string,
    plan: PlanLimit,
    type: string | undefined,
    request: { prepaid: number; paidFirst: boolean },
  ): Promise<void> {
    const reserve = type === undefined ? 0 : (RESERVE_BY_TYPE[type] ?? RESERVE_OF_OTHER_TYPES);
    const report = this.freshReport(key);
    const limit = report?.limit ?? plan.limit;
    if (report) {
      const safety = Math.max(2, Math.ceil(limit * CRM_SAFETY_SHARE));
      if (report.remaining <= safety || report.remaining < reserve * limit) {
        this.shed(connector, type, 'the CRM says the account is nearly out of calls');
      }
    }
    if (request.prepaid > 0) {
      request.prepaid--;
      if (report) report.remaining -= 1;
      return;
    }
    const points = Math.max(1, Math.floor(limit * this.settings.budgetShare));
    const cost = request.paidFirst ? 1 : 2;
    const left = points - (await this.count(plan, key, cost));
    if (left < 0 || left < reserve * points) {
      await this.refund(plan, key, cost);
      this.shed(connector, type, left < 0 ? "the tenant's share is spent" : "the tenant's share is running low");
    }
    if (!request.paidFirst) {
      request.paidFirst = true;
      request.prepaid = 1;
    }
    // Calls in flight are not in the CRM's last answer yet.
    if (report) report.remaining -= 1;
  }

  private shed(connector: string, type: string | undefined, why: string): never {
    this.metrics.shedCalls.inc({ connector, type: type ?? 'lookup' });
    throw new CallShedError(`${connector} ${type ?? 'lookup'} call not made: ${why}`);
  }

  /**
   * Counts `cost` calls in the tenant's current window and returns how many it holds now: in Redis when it answers,
   * else in this process's memory. The count does not depend on the limit, which the CRM's headers can change at
   * any call: the caller compares it with the share of the limit it knows now.
   */
  private async count(plan: PlanLimit, key: string, cost: number): Promise<number> {
    return (await this.counter(plan).run((store) => store.consume(key, cost))).consumedPoints;
  }

  private async refund(plan: PlanLimit, key: string, cost: number): Promise<void> {
    try {
      await this.counter(plan).run((store) => store.reward(key, cost));
    } catch {
      // A refund that fails leaves the budget one call stricter: harmless.
    }
  }

  /**
   * One fixed-window counter per window length, never refusing by itself (the share is compared in `take`), in one
   * key space, so every replica counts into the same key whatever limit it learnt.
   */
  private counter(plan: PlanLimit): SharedLimiter {
    let counter = this.counters.get(plan.windowSeconds);
    if (!counter) {
      counter = new SharedLimiter(
        `budget:${plan.windowSeconds}`,
        { points: UNBOUNDED, duration: plan.windowSeconds },
        this.redis,
        'budget',
      );
      this.counters.set(plan.windowSeconds, counter);
    }
    return counter;
  }

  private freshReport(key: string): CrmReport | undefined {
    const report = this.reports.get(key);
    return report && report.until > Date.now() ? report : undefined;
  }

  /** Reads what the CRM says about the account's allowance: Zendesk, HubSpot, Salesforce, or the IETF draft headers. */
  private observe(
    key: string,
    plan: PlanLimit,
    status: number,
    headers: Record<string, unknown>,
    requestId?: string,
  ): void {
    const reading = readRateLimitHeaders(headers);
    if (status === 429) {
      const request = requestId === undefined ? '' : `[${requestId}] `;
      this.logger.warn(`${request}${key.split(':')[0]} answered 429: the account is out of calls`);
    }
    if (reading.remaining === undefined) return;
    // A report says something until the CRM's window turns, or until its Retry-After when it gives one.
    const retryAfter = Number(headers['retry-after']);
    const seconds = Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : plan.windowSeconds;
    const until = Date.now() + Math.min(seconds, plan.windowSeconds, 300) * 1000;
    this.reports.set(key, { limit: reading.limit, remaining: reading.remaining, until });
  }
}

/** The account's limit and what is left of it, as the CRM's answer announces them. */
export function readRateLimitHeaders(headers: Record<string, unknown>): { limit?: number; remaining?: number } {
  const number = (name: string): number | undefined => {
    const raw = headers[name];
    const value = Number(Array.isArray(raw) ? raw[0] : raw);
    return raw === undefined || raw === null || raw === '' || !Number.isFinite(value) ? undefined : value;
  };
  // Sforce-Limit-Info: api-usage=18/5000 (REST API Developer Guide, "Limit Info Header").
  const salesforce = /api-usage=(\d+)\/(\d+)/.exec(String(headers['sforce-limit-info'] ?? ''));
  if (salesforce) {
    const limit = Number(salesforce[2]);
    return { limit, remaining: Math.max(0, limit - Number(salesforce[1])) };
  }
  const pairs: [string, string][] = [
    ['x-rate-limit', 'x-rate-limit-remaining'], // Zendesk
    ['x-hubspot-ratelimit-max', 'x-hubspot-ratelimit-remaining'], // HubSpot
    ['x-ratelimit-total', 'x-ratelimit-remaining'], // Freshdesk ("Rate Limit", developers.freshdesk.com/api/#ratelimit)
    ['ratelimit-limit', 'ratelimit-remaining'],
  ];
  for (const [limitHeader, remainingHeader] of pairs) {
    const remaining = number(remainingHeader);
    if (remaining !== undefined) return { limit: number(limitHeader), remaining };
  }
  return {};
}
