import { Logger } from '@nestjs/common';
import { vi, type MockInstance } from 'vitest';
import { acme, ACME_AUTH, jane } from '../support/zendesk-tenants.js';
import { INBOUND_LIMITS_OFF } from '../../apps/bridge/src/bridge-config.js';
import { startBridge, type BridgeHarness } from '../support/bridge-harness.js';

/**
 * What every fault drill shares: a bridge with a short deadline in front of the sandbox CRM, Jane Doe's request,
 * the sandbox routes the Zendesk connector calls, and small readers for metrics and log lines.
 */

/** Short, so the drills stay fast; every time bound is expressed against it. */
export const DEADLINE_MS = 1_000;
/** How late after the deadline Talkdesk may get its answer. */
export const DEADLINE_SLACK_MS = 100;
/** "At once": an answer that made no CRM call, or only fast ones. */
export const AT_ONCE_MS = 300;
export const MAX_ATTEMPTS = 3;
/** CRM answers above this size are refused (the drills' CRM_MAX_RESPONSE_BYTES). */
export const MAX_RESPONSE_BYTES = 65_536;

export { acme, ACME_AUTH, globex, GLOBEX_AUTH, jane } from '../support/zendesk-tenants.js';

/** The sandbox routes behind each step of Jane's request, for fault rules. */
export const ROUTES = {
  /** Everything of the acme tenant. */
  acme: `/zendesk/${acme.subdomain}/`,
  /** Contact resolution: GET users/search. */
  search: `/zendesk/${acme.subdomain}/api/v2/users/search`,
  /** Jane's requested tickets: what `case`, `task` and (to find the tickets) `note` read. */
  tickets: `/zendesk/${acme.subdomain}/api/v2/users/${jane.id}/tickets/requested`,
  /** A ticket's comments: what `note` reads. */
  comments: new RegExp(`^/zendesk/${acme.subdomain}/api/v2/tickets/\\d+/comments`),
};

export const ALL_TYPES = ['case', 'task', 'note'];

export function janeRequest(types = ALL_TYPES, auth: Record<string, string> = ACME_AUTH) {
  return { auth, meta: { interaction_types: types }, data: { contact_emails: [jane.email!] } };
}

/**
 * Jane's email and `others` that match nobody. The connector ORs as many emails in one search as fit in Zendesk's 64
 * words (12 of these), so 20 of them are two searches at once: what drills of calls still in flight when the answer goes out need. Such a request
 * needs a bridge whose MAX_LOOKUPS_PER_REQUEST admits it (OUTSIZED_LOOKUPS).
 */
export function outsizedEmails(others = 19): string[] {
  return [jane.email!, ...Array.from({ length: others }, (_, i) => `someone.${i}@example.com`)];
}

export const OUTSIZED_LOOKUPS = { MAX_LOOKUPS_PER_REQUEST: '20' };

/** The bridge for drills: 1 s deadline, fast backoff, a breaker that stays out of the way unless a drill wants it. */
export function startDrillBridge(env: Record<string, string> = {}): Promise<BridgeHarness> {
  return startBridge({
    env: {
      REQUEST_DEADLINE_MS: String(DEADLINE_MS),
      CRM_MAX_ATTEMPTS: String(MAX_ATTEMPTS),
      CRM_BACKOFF_BASE_MS: '10',
      CRM_BACKOFF_MAX_MS: '40',
      CRM_BREAKER_FAILURES: '100000',
      CRM_MAX_RESPONSE_BYTES: String(MAX_RESPONSE_BYTES),
      // The drills are about a failing CRM; the soak sends one tenant's 1,000 pops faster than the inbound limits allow.
      ...INBOUND_LIMITS_OFF,
      ...env,
    },
    sandbox: { zendesk: { rateLimitPerMinute: 1_000_000 } },
  });
}

/** A sample of a Prometheus counter from GET /metrics (0 when absent). */
export async function metric(bridge: BridgeHarness, name: string, labels: Record<string, string>): Promise<number> {
  const { text } = await bridge.get('/metrics');
  const wanted = Object.entries(labels).map(([key, value]) => `${key}="${value}"`);
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue;
    const labelText = line.slice(name.length + 1, line.indexOf('}'));
    const present = labelText.split(',');
    if (wanted.every((pair) => present.includes(pair))) return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return 0;
}

/** Every warn/error line the bridge logs, whatever its logger settings. */
export function captureLogs(): { lines: () => string[]; restore: () => void } {
  const spies: MockInstance[] = [
    vi.spyOn(Logger.prototype, 'warn').mockImplementation(() => {}),
    vi.spyOn(Logger.prototype, 'error').mockImplementation(() => {}),
  ];
  return {
    lines: () => spies.flatMap((spy) => spy.mock.calls.map((args) => args.map(String).join(' '))),
    restore: () => spies.forEach((spy) => spy.mockRestore()),
  };
}

export const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
