import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateHubspotPopulation, populationToken } from '../../apps/crm-sandbox/src/hubspot/population.js';
import { seedHubspotPortals } from '../../apps/crm-sandbox/src/hubspot/seed.js';
import { generateZendeskPopulation, populationCredentials } from '../../apps/crm-sandbox/src/zendesk/population.js';
import { seedZendeskTenants } from '../../apps/crm-sandbox/src/zendesk/seed.js';
import { hubspotCallers, zendeskCallers, type Caller, type TruthRules } from '../../bench/callcentre/ground-truth.js';
import { peakHour, playedPops } from '../../bench/callcentre/schedule.js';
import { callsPerMinute, scorePops, type PopOutcome } from '../../bench/callcentre/score.js';
import { startBridge, type BridgeHarness } from '../support/bridge-harness.js';

/**
 * The pieces of `npm run bench:callcentre` (bench/callcentre): the ground truth it scores pops against is what the
 * bridge answers through the sandbox, the arrival process has the asked rate and shares, and the scoring counts what
 * it says. Not a performance test: nothing here is timed.
 */
const zendeskTenant = generateZendeskPopulation({ seed: 3, size: 400, subdomain: 'peak' });
const hubspotPortal = generateHubspotPopulation({ seed: 3, size: 200, key: 'peak' });

describe('ground truth', () => {
  it('is deterministic, like the population it is computed from', () => {
    const again = generateZendeskPopulation({ seed: 3, size: 400, subdomain: 'peak' });
    expect(zendeskCallers(again)).toEqual(zendeskCallers(zendeskTenant));
    expect(hubspotCallers(generateHubspotPopulation({ seed: 3, size: 200, key: 'peak' }))).toEqual(
      hubspotCallers(hubspotPortal),
    );
    expect(zendeskCallers(zendeskTenant)).toHaveLength(400);
  });

  describe.each([
    ['the defaults', {}, { maxItemsPerType: 50, zendeskNoteTickets: 10 }],
    [
      'caps that bite (MAX_ITEMS_PER_TYPE=2, ZENDESK_NOTE_TICKETS=3)',
      { MAX_ITEMS_PER_TYPE: '2', ZENDESK_NOTE_TICKETS: '3' },
      { maxItemsPerType: 2, zendeskNoteTickets: 3 },
    ],
  ])('matches what the bridge answers through the sandbox, with %s', (_, env, rules: TruthRules) => {
    let bridge: BridgeHarness;

    beforeAll(async () => {
      bridge = await startBridge({
        env,
        sandbox: {
          zendesk: { tenants: [...seedZendeskTenants(), zendeskTenant] },
          hubspot: { portals: [...seedHubspotPortals(), hubspotPortal] },
          // Pops one after the other, each with a search per type at once: faster than HubSpot's 5 a second.
          hubspotSearchPerSecond: 'off',
        },
      });
    });

    afterAll(async () => {
      await bridge?.close();
    });

    /** Callers that exercise the rules: the most tickets, notes on tickets beyond the newest few, none at all. */
    function interesting(callers: Caller[]): Caller[] {
      const byRequired = [...callers].sort((a, b) => b.expected.required.length - a.expected.required.length);
      const byNotes = [...callers].sort((a, b) => b.expected.notes.length - a.expected.notes.length);
      const nothing = callers.find((caller) => caller.expected.required.length + caller.expected.notes.length === 0);
      return [...new Set([byRequired[0]!, byRequired[1]!, byNotes[0]!, callers[7]!, ...(nothing ? [nothing] : [])])];
    }

    async function popIds(connector: string, auth: Record<string, string>, types: string[], data: unknown) {
      const answer = await bridge.post(`/${connector}/interactions`, {
        auth,
        meta: { interaction_types: types },
        data,
      });
      expect(answer.status).toBe(200);
      return (answer.body as { id: string }[]).map((item) => item.id).sort();
    }

    it('zendesk: by id and by phone, exactly the cases, tasks and notes the truth lists', async () => {
      const { email, token } = populationCredentials('peak');
      const outcomes: PopOutcome[] = [];
      for (const caller of interesting(zendeskCallers(zendeskTenant, rules))) {
        const wanted = [...caller.expected.required, ...caller.expected.notes].sort();
        const auth = { subdomain: 'peak', email, token };
        for (const data of [
          { contact_external_id: caller.crmId, contact_phones: [caller.e164] },
          { contact_phones: [caller.e164] },
        ]) {
          const ids = await popIds('zendesk', auth, ['case', 'note', 'task'], data);
          expect(ids, caller.crmId).toEqual(wanted);
          outcomes.push({ ring: true, status: 200, latencyMs: 1, ids, expected: caller.expected });
        }
      }
      const score = scorePops(outcomes);
      expect(score.complete).toBe(outcomes.length);
      expect(score.notesReturned).toBe(score.notesExpected);
      expect(score.notesExpected).toBeGreaterThan(0);
      expect(score.unexpected).toBe(0);
    });

    it('hubspot: by id and by phone, exactly the cases, tasks, calls and notes the truth lists', async () => {
      for (const caller of interesting(hubspotCallers(hubspotPortal, rules))) {
        const wanted = [...caller.expected.required, ...caller.expected.notes].sort();
        for (const data of [
          { contact_external_id: caller.crmId, contact_phones: [caller.e164] },
          { contact_phones: [caller.e164] },
        ]) {
          const ids = await popIds(
            'hubspot',
            { access_token: populationToken('peak') },
            ['case', 'note', 'task', 'call'],
            data,
          );
          expect(ids, caller.crmId).toEqual(wanted);
        }
      }
    });
  });

  it('has callers whose notes the ticket rule leaves out, so the rule is exercised', () => {
    const all = zendeskCallers(zendeskTenant, { maxItemsPerType: 50, zendeskNoteTickets: 50 });
    const ruled = zendeskCallers(zendeskTenant);
    expect(ruled.some((caller, i) => caller.expected.notes.length < all[i]!.expected.notes.length)).toBe(true);
  });
});

describe('the peak hour', () => {
  const options = {
    seed: 11,
    ratePerSecond: (500 * 8.5) / 3_600,
    repeatShare: 0.2,
    byIdShare: 0.85,
    population: 20_000,
  };
  const calls = peakHour(options);

  it('arrives as a Poisson process at the asked rate', () => {
    // 4,250 expected in the hour; a Poisson count's standard deviation is its square root (65).
    expect(Math.abs(calls.length - 4_250)).toBeLessThan(4 * 65);
    const gaps = calls.slice(1).map((call, i) => call.at - calls[i]!.at);
    const mean = gaps.reduce((sum, gap) => sum + gap, 0) / gaps.length;
    const sd = Math.sqrt(gaps.reduce((sum, gap) => sum + (gap - mean) ** 2, 0) / gaps.length);
    expect(mean).toBeCloseTo(1 / options.ratePerSecond, 1);
    // Exponential gaps: standard deviation equal to the mean; a third of them shorter than 0.4 of it (1 - e^-0.4).
    expect(sd / mean).toBeGreaterThan(0.9);
    expect(sd / mean).toBeLessThan(1.1);
    expect(gaps.filter((gap) => gap < 0.4 * mean).length / gaps.length).toBeCloseTo(1 - Math.exp(-0.4), 1);
    // Per minute, counts vary as a Poisson count does (variance ≈ mean ≈ 71).
    const perMinute = Array.from(
      { length: 60 },
      (_, m) => calls.filter((call) => Math.floor(call.at / 60) === m).length,
    );
    const minuteMean = perMinute.reduce((s, n) => s + n, 0) / 60;
    const variance = perMinute.reduce((s, n) => s + (n - minuteMean) ** 2, 0) / 60;
    expect(variance / minuteMean).toBeGreaterThan(0.5);
    expect(variance / minuteMean).toBeLessThan(1.6);
  });

  it('has the asked shares of callers calling back and of pops by id; a call back is an earlier caller', () => {
    const repeats = calls.filter((call) => call.repeat);
    expect(repeats.length / calls.length).toBeCloseTo(0.2, 1);
    expect(calls.filter((call) => call.byId).length / calls.length).toBeCloseTo(0.85, 1);
    const seen = new Set<number>();
    for (const call of calls) {
      expect(seen.has(call.caller)).toBe(call.repeat);
      seen.add(call.caller);
    }
    expect(peakHour(options)).toEqual(calls);
  });

  it('plays two pops a call, the answer 3 s after the ring, and measures the calls that ring in the slice', () => {
    const pops = playedPops(calls, { seed: 11, from: 1_800, warmup: 60, measure: 300, answerDelay: 3, replicas: 2 });
    const played = calls.filter((call) => call.at >= 1_740 && call.at < 2_100);
    expect(pops).toHaveLength(2 * played.length);
    for (const call of played) {
      const [ring, answer] = pops.filter((pop) => pop.call === call);
      expect(ring!.ring && !answer!.ring).toBe(true);
      expect(answer!.at - ring!.at).toBeCloseTo(3);
      expect(ring!.at).toBeCloseTo(call.at - 1_740);
      expect(ring!.measured).toBe(call.at >= 1_800);
    }
    expect(new Set(pops.map((pop) => pop.replica))).toEqual(new Set([0, 1]));
  });
});

describe('scoring', () => {
  const expected = { required: ['case:1', 'task:2'], notes: ['note:3', 'note:4'] };

  it('counts complete pops, notes recall, empty answers, non-200s and the ring pops’ percentiles', () => {
    const score = scorePops([
      { ring: true, status: 200, latencyMs: 100, ids: ['case:1', 'task:2', 'note:3'], expected },
      { ring: false, status: 200, latencyMs: 5, ids: ['case:1', 'note:3', 'note:4', 'case:99'], expected },
      { ring: true, status: 200, latencyMs: 300, ids: [], expected },
      { ring: true, status: 503, latencyMs: 200, expected },
      { ring: false, status: 'error', latencyMs: 9_000, expected },
    ]);
    expect(score).toMatchObject({
      pops: 5,
      complete: 1,
      notesExpected: 10,
      notesReturned: 3,
      emptyForExisting: 1,
      unexpected: 1,
      notOk: { '503': 1, error: 1 },
      ringP50Ms: 200,
      ringP99Ms: 300,
    });
  });

  it('gives CRM calls a minute as the mean over the slice and the busiest 60 seconds', () => {
    const perSecond = [...Array<number>(60).fill(1), ...Array<number>(30).fill(4), ...Array<number>(90).fill(1)];
    expect(callsPerMinute(perSecond)).toEqual({ mean: (60 + 120 + 90) / 3, busiest60s: 30 + 120 });
  });
});
