/**
 * What the bench runs the bridge with so that every pop does its full work: no cache, no coalescing, no CRM budget
 * (those have their own tests in test/replicas); a shared or shed answer would flatter the bridge. And no inbound
 * limits: the bench sends one tenant's pops from one address far faster than Talkdesk would.
 */
export const FULL_COST_ENVIRONMENT = {
  CACHE_CONTACT_TTL_SECONDS: '0',
  CACHE_INTERACTIONS_TTL_SECONDS: '0',
  CACHE_COALESCE: 'off',
  CRM_BUDGET_SHARE: '0',
  RATE_LIMIT_PER_ADDRESS_PER_MINUTE: '0',
  RATE_LIMIT_PER_TENANT_PER_MINUTE: '0',
} as const;
