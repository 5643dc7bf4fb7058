import type { PlanLimit } from '../connector.js';

/**
 * Cache, coalescing and CRM budget knobs (CACHE_*, CRM_BUDGET_SHARE, CRM_RESERVE_SHARE, CRM_PLAN_LIMITS), validated
 * at boot.
 */
export interface SharingSettings {
  /** The HMAC key for credentials and queries in cache keys: CACHE_KEY_SECRET, else random per process. */
  keySecret: Buffer;
  /** False when keySecret is this process's random one: replicas then share no key (warned at boot with Redis). */
  keySecretConfigured?: boolean;
  /** Contact resolution (query → contacts) lives this long; 0 turns the tier off. */
  contactTtlSeconds: number;
  /** A contact's interactions of one type live this long; 0 turns the tier off. */
  interactionsTtlSeconds: number;
  /** Identical pops in flight are done once (in this process, and across replicas with Redis). */
  coalesce: boolean;
  /** The in-memory cache's bounds: entries, bytes in all, bytes per entry (larger answers are not cached). */
  maxEntries: number;
  maxBytes: number;
  maxEntryBytes: number;
  /**
   * CRM_BUDGET_SHARE: undefined (the default) lets the bridge spend whatever headroom the account leaves; a share
   * (≤ 1) also caps the bridge's own calls at that share of each account's allowance per window; 0 turns the whole
   * CRM budget off (no headroom rule either).
   */
  budgetShare?: number;
  /**
   * CRM_RESERVE_SHARE: the share of each account's allowance the bridge leaves to the account's other integrations
   * (it never brings what the CRM says is left below it, and paces fixed windows so that it is left at their end).
   */
  reserveShare: number;
  /**
   * CRM_PLAN_LIMITS: per connector name, over the allowance each connector declares (`@Connector({ planLimit })`);
   * a connector with neither has no budget (and a warning at boot).
   */
  planLimits: Record<string, PlanLimit>;
}

export const SHARING_SETTINGS = Symbol('SHARING_SETTINGS');

export const DEFAULT_SHARING_SETTINGS: Omit<SharingSettings, 'keySecret'> = {
  contactTtlSeconds: 600,
  interactionsTtlSeconds: 30,
  maxEntries: 10_000,
  coalesce: true,
  maxBytes: 64 * 1024 * 1024,
  maxEntryBytes: 1024 * 1024,
  reserveShare: 0.1,
  planLimits: {},
};

/** Parses CRM_PLAN_LIMITS, e.g. `zendesk=400/60,hubspot=190/10`: calls/seconds per connector; throws on bad input. */
export function parsePlanLimits(value: string): Record<string, PlanLimit> {
  const limits: Record<string, PlanLimit> = {};
  for (const part of value
    .split(',')
    .map((piece) => piece.trim())
    .filter(Boolean)) {
    const match = /^([a-z0-9-]+)=(\d+)\/(\d+)$/.exec(part);
    if (!match || Number(match[2]) < 1 || Number(match[3]) < 1) {
      throw new Error('CRM_PLAN_LIMITS must look like zendesk=200/60,hubspot=100/10 (calls/seconds per connector)');
    }
    limits[match[1]!] = { limit: Number(match[2]), windowSeconds: Number(match[3]) };
  }
  return limits;
}
