import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BridgeMetrics } from '#interactions';
import { ZENDESK_SANDBOX } from '../../apps/crm-sandbox/src/zendesk/fixtures.js';
import { startBridge, type BridgeHarness, type HarnessResponse } from '../support/bridge-harness.js';
import { startCrmProcess, type CrmProcess } from '../support/crm-process.js';
import { startLivenessProbe, type ProbeReport } from '../support/liveness-probe.js';

/**
 * CRM text written to cost time: a customer can plant it (an inbound e-mail becomes a ticket comment) and then call.
 * Every one of Jane's tickets holds `<li ` repeated to 64 K characters as its description and in every comment's
 * bodies, the largest a Zendesk comment holds (about 65,000 characters: docs/contract.md, "Text"). The Zendesk
 * stand-in runs in a process of its own (long-text-zendesk.ts), as a CRM would: what the probe sees is the bridge.
 */
const DEADLINE_MS = 5_000;
/** What the bridge's own clock may add past the deadline before it answers (the fuzz suite's margin). */
const DEADLINE_SLACK_MS = 100;
/**
 * A liveness probe that takes longer fails: Kubernetes' default timeout (`timeoutSeconds: 1`, "Configure Liveness,
 * Readiness and Startup Probes", https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/).
 */
const PROBE_TIMEOUT_MS = 1_000;

const { acme } = ZENDESK_SANDBOX;
const jane = acme.users.jane;
const request = {
  auth: { subdomain: 'acme', email: acme.credentials.email, token: acme.credentials.token },
  meta: { interaction_types: ['case', 'note', 'task'] },
  data: { contact_emails: [jane.email] },
};

let crm: CrmProcess;
let bridge: BridgeHarness;

beforeAll(async () => {
  crm = await startCrmProcess('test/hostile-crm/long-text-zendesk.ts');
  bridge = await startBridge({
    env: {
      CRM_SANDBOX_URL: crm.url,
      REQUEST_DEADLINE_MS: String(DEADLINE_MS),
      // The cache on, so that the second pop is a hit.
      CACHE_INTERACTIONS_TTL_SECONDS: '60',
      CACHE_CONTACT_TTL_SECONDS: '60',
    },
  });
}, 90_000);

afterAll(async () => {
  await bridge?.close();
  await crm?.close();
});

/** The pop, with /health/live probed from another thread while it runs: the answer and the slowest probe. */
async function popWhileProbing(): Promise<{ pop: HarnessResponse; probes: ProbeReport }> {
  const probe = await startLivenessProbe(bridge.bridgeUrl);
  const pop = await bridge.post('/zendesk/interactions', request);
  return { pop, probes: await probe.stop() };
}

/** The CRM calls the bridge has made so far. */
async function crmCalls(): Promise<number> {
  const { values } = await bridge.app.get(BridgeMetrics).crmCalls.get();
  return values.reduce((sum, { value }) => sum + value, 0);
}

describe('a Zendesk ticket whose description and comments are 64 K of unclosed tags', () => {
  it('is answered within the deadline, the liveness probe answers meanwhile, and the cache hit after it is quick', async () => {
    const first = await popWhileProbing();
    expect(first.pop.status).toBe(200);
    expect(first.pop.servedMs).toBeLessThanOrEqual(DEADLINE_MS + DEADLINE_SLACK_MS);
    expect(first.probes.failures).toEqual([]);
    expect(first.probes.slowestMs).toBeLessThan(PROBE_TIMEOUT_MS);
    const items = first.pop.body as { id: string; type: string; description?: string }[];
    expect(new Set(items.map((item) => item.type))).toEqual(new Set(['case', 'note', 'task']));
    for (const item of items) {
      // Markup that never closes is text, cut to DESCRIPTION_MAX_LENGTH (500) like any other.
      expect(item.description).toMatch(/^<li <li /);
      expect(item.description!.length).toBeLessThanOrEqual(500);
    }

    const callsBefore = await crmCalls();
    const second = await popWhileProbing();
    expect(second.pop.status).toBe(200);
    expect(second.pop.body).toEqual(first.pop.body);
    expect(await crmCalls()).toBe(callsBefore); // a hit: no CRM call
    // A hit cleans nothing again: it takes a fraction of the first pop's time (which read and cleaned it all).
    expect(second.pop.servedMs).toBeLessThan(Math.max(first.pop.servedMs! / 2, 100));
    expect(second.probes.failures).toEqual([]);
    expect(second.probes.slowestMs).toBeLessThan(PROBE_TIMEOUT_MS);
  });
});
