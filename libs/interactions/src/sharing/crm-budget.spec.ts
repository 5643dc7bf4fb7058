import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BridgeMetrics } from '../bridge-metrics.js';
import type { ConnectorRegistry } from '../connector-registry.js';
import type { PlanLimit } from '../connector.js';
import type { RequestContext } from '../request-context.js';
import { CrmBudget, headroomAfterCall, readRateLimitHeaders } from './crm-budget.js';
import { bindCallGate, CallShedError, inTypeScope, type CallReceipt, type CrmCallGate } from './crm-call-gate.js';
import { SharingMetrics } from './sharing-metrics.js';
import { DEFAULT_SHARING_SETTINGS, parsePlanLimits, type SharingSettings } from './sharing-settings.js';

/** A clock minute's start, as Zendesk counts them. */
const WINDOW_START = Date.UTC(2026, 0, 5, 9, 0, 0);

const PLANS: Record<string, PlanLimit> = {
  zendesk: { limit: 100, windowSeconds: 60, window: 'fixed' },
  hubspot: { limit: 100, windowSeconds: 10, window: 'rolling' },
};

function budget(overrides: Partial<SharingSettings> = {}) {
  const metrics = new SharingMetrics(new BridgeMetrics(), null);
  const connectors = Object.entries(PLANS).map(([name, planLimit]) => ({ name, planLimit }));
  const registry = {
    list: () => connectors,
    get: (name: string) => connectors.find((connector) => connector.name === name),
  } as unknown as ConnectorRegistry;
  const settings: SharingSettings = {
    ...DEFAULT_SHARING_SETTINGS,
    keySecret: Buffer.from('a-test-secret-of-at-least-thirty-two-bytes'),
    ...overrides,
  };
  return { crm: new CrmBudget(settings, metrics, registry, null), metrics };
}

/** One call of `type` (undefined: a lookup) through the gate: its receipt, or the shed error. */
async function call(gate: CrmCallGate, type?: string): Promise<CallReceipt | CallShedError> {
  const context = { requestId: 'test', connector: 'zendesk' } as RequestContext;
  bindCallGate(context, gate);
  try {
    return await (type ? inTypeScope(context, type, () => gate.beforeCall()) : gate.beforeCall());
  } catch (error) {
    if (error instanceof CallShedError) return error;
    throw error;
  }
}

const made = (outcome: CallReceipt | CallShedError) => !(outcome instanceof CallShedError);

/** What Zendesk says on every answer: its limit, what is left, and (list endpoints) when the minute ends. */
function zendesk(remaining: number, resetSeconds?: number, limit = 100): Record<string, string> {
  return {
    'x-rate-limit': String(limit),
    'x-rate-limit-remaining': String(remaining),
    ...(resetSeconds === undefined ? {} : { 'ratelimit-reset': String(resetSeconds) }),
  };
}

function hubspot(remaining: number, daily?: number): Record<string, string> {
  return {
    'x-hubspot-ratelimit-max': '100',
    'x-hubspot-ratelimit-remaining': String(remaining),
    ...(daily === undefined
      ? {}
      : { 'x-hubspot-ratelimit-daily': '1000', 'x-hubspot-ratelimit-daily-remaining': String(daily) }),
  };
}

/** Calls of `type` until the gate sheds one; how many were made. */
async function callsUntilShed(gate: CrmCallGate, type?: string, most = 1_000): Promise<number> {
  let count = 0;
  while (count < most && made(await call(gate, type))) count++;
  return count;
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(WINDOW_START);
});

afterEach(() => {
  vi.useRealTimers();
});

describe('reading the CRMs’ rate-limit headers', () => {
  it('reads Zendesk, HubSpot, Salesforce and the IETF draft', () => {
    expect(readRateLimitHeaders({ 'x-rate-limit': '700', 'x-rate-limit-remaining': '699' })).toEqual({
      limit: 700,
      remaining: 699,
    });
    expect(
      readRateLimitHeaders({ 'x-rate-limit': '700', 'x-rate-limit-remaining': '699', 'ratelimit-reset': '41' }),
    ).toEqual({ limit: 700, remaining: 699, resetSeconds: 41 });
    expect(readRateLimitHeaders(hubspot(42, 900))).toEqual({
      limit: 100,
      remaining: 42,
      daily: { limit: 1000, remaining: 900 },
    });
    expect(readRateLimitHeaders({ 'sforce-limit-info': 'api-usage=18/5000' })).toEqual({
      limit: 5000,
      remaining: 4982,
    });
    expect(
      readRateLimitHeaders({ 'ratelimit-limit': '60', 'ratelimit-remaining': '6', 'ratelimit-reset': '9' }),
    ).toEqual({ limit: 60, remaining: 6, resetSeconds: 9 });
    expect(readRateLimitHeaders({ 'content-type': 'application/json' })).toEqual({});
    expect(readRateLimitHeaders({ 'x-rate-limit-remaining': 'lots' })).toEqual({});
  });

  it('parses CRM_PLAN_LIMITS and refuses what is not calls/seconds', () => {
    expect(parsePlanLimits('zendesk=400/60, hubspot=190/10')).toEqual({
      zendesk: { limit: 400, windowSeconds: 60 },
      hubspot: { limit: 190, windowSeconds: 10 },
    });
    expect(() => parsePlanLimits('zendesk=400')).toThrow(/CRM_PLAN_LIMITS/);
    expect(() => parsePlanLimits('zendesk=0/60')).toThrow(/CRM_PLAN_LIMITS/);
  });
});

describe('the headroom rule', () => {
  const fixed = { limit: 100, windowSeconds: 60, window: 'fixed' as const };
  const rolling = { limit: 100, windowSeconds: 10, window: 'rolling' as const };
  const at = (seconds: number) => WINDOW_START + seconds * 1000;
  /** What Zendesk said `elapsed` seconds into its minute, after the bridge's `bridgeCalls` in it. */
  const report = (remaining: number, elapsed: number, bridgeCalls = 0, othersPerSecondBefore?: number) => ({
    limit: 100,
    remaining,
    at: at(elapsed),
    sentCount: 1_000 + bridgeCalls,
    windowStartCount: 1_000,
    resetAt: WINDOW_START + 60_000,
    othersPerSecondBefore,
  });

  it('gives the bridge what an idle account leaves, at once, but the reserve', () => {
    expect(headroomAfterCall(report(100, 0), 1, at(0), fixed, 0.1).left).toBe(89);
    expect(headroomAfterCall(report(100, 30), 1, at(30), fixed, 0.1).left).toBe(89);
    expect(headroomAfterCall(report(11, 59, 89), 1, at(59), fixed, 0.1).left).toBe(0);
    expect(headroomAfterCall(report(10, 59, 90), 1, at(59), fixed, 0.1).left).toBe(-1);
  });

  it('leaves the others what they will still spend before the minute ends, at their pace', () => {
    // Half way, the others have used 30 and the bridge 15: 30 more are theirs, 10 the reserve, 14 the bridge's.
    expect(headroomAfterCall(report(55, 30, 15), 1, at(30), fixed, 0.1).left).toBe(14);
    // Whatever the bridge takes, others who spend 60 % of the plan every minute find it until its end, and the
    // reserve: from the minute's start (their pace in the one before), and later (their pace in this one).
    for (let second = 0; second <= 55; second += 5) {
      const othersSoFar = 0.6 * second;
      const now = report(100 - othersSoFar, second, 0, 0.6);
      const bridge = Math.max(0, headroomAfterCall(now, 0, at(second), fixed, 0.1).left);
      expect(100 - othersSoFar - bridge).toBeGreaterThanOrEqual(0.6 * (60 - second) + 10);
    }
  });

  it('lets lookups, cases and tasks spend the bridge’s part at once, optional types what those will not need', () => {
    // Half way through an idle minute, the bridge made 60 essential calls: 75 more (with a quarter to spare) are
    // kept for them until the minute ends, and notes may have the rest.
    const essentials = (at: number, before?: number) => ({
      windowStartEssential: 500,
      essentialPerSecondBefore: before,
      at,
    });
    const idle = { ...report(100, 30), ...essentials(WINDOW_START + 30_000) };
    expect(headroomAfterCall(idle, 1, at(30), fixed, 0.1, { essentialNow: 560 })).toMatchObject({
      left: 89,
      leftAtPace: 14,
    });
    // With the others at 60 %: 10 essential calls in 30 s, 12.5 kept of the 14 left.
    const busy = { ...report(55, 30, 15), ...essentials(WINDOW_START + 30_000) };
    expect(headroomAfterCall(busy, 1, at(30), fixed, 0.1, { essentialNow: 510 })).toMatchObject({
      left: 14,
      leftAtPace: 1,
    });
    // At the minute's start, the pace of the minute before: 1 a second.
    const early = { ...report(100, 1), ...essentials(WINDOW_START + 1_000, 1) };
    expect(headroomAfterCall(early, 1, at(1), fixed, 0.1, { essentialNow: 500 })).toMatchObject({
      left: 89,
      leftAtPace: 15,
    });
    const rollingReport = { limit: 100, remaining: 30, at: at(0), sentCount: 0 };
    expect(headroomAfterCall(rollingReport, 1, at(0), rolling, 0.1, { essentialNow: 9 })).toMatchObject({
      left: 19,
      leftAtPace: 19,
    });
  });

  it('takes the others’ pace in the window before when it was higher, and measures over 6 s at least', () => {
    expect(headroomAfterCall(report(100, 1, 0, 0.6), 1, at(1), fixed, 0.1).left).toBe(53); // 35.4 are theirs
    expect(headroomAfterCall(report(97, 0.5, 0), 1, at(0.5), fixed, 0.1).left).toBe(56); // 3 calls in 6 s: 29.75
  });

  it('keeps only the reserve when it cannot tell the other replicas’ calls from the others’ (Redis lost)', () => {
    expect(headroomAfterCall(report(55, 30, 15), 1, at(30), fixed, 0.1, { othersKnown: false }).left).toBe(44);
  });

  it('counts the calls made since the report, on every replica', () => {
    expect(headroomAfterCall(report(60, 30, 40), 1, at(30), fixed, 0.1).left).toBe(49);
    expect(headroomAfterCall(report(60, 30, 40), 50, at(30), fixed, 0.1).left).toBe(0);
  });

  it('keeps only the reserve in a rolling window, where what is left already spreads everyone’s calls', () => {
    const rollingReport = { limit: 100, remaining: 30, at: at(0), sentCount: 0 };
    expect(headroomAfterCall(rollingReport, 1, at(0), rolling, 0.1).left).toBe(19);
    expect(headroomAfterCall(rollingReport, 1, at(0), rolling, 0).left).toBe(27); // the last 2 are never the bridge's
  });

  it('says when room comes back: when a fixed window starts again, or as a rolling one’s calls leave it', () => {
    expect(headroomAfterCall(report(10, 50), 1, at(50), fixed, 0.1).secondsUntil(1)).toBe(10);
    const rollingReport = { limit: 100, remaining: 10, at: at(0), sentCount: 0 };
    expect(headroomAfterCall(rollingReport, 1, at(0), rolling, 0.1).secondsUntil(30)).toBe(4);
  });
});

describe('CrmBudget (in memory)', () => {
  it('spends what the account leaves, following each answer: nothing shed while headroom lasts', async () => {
    const { crm } = budget();
    const gate = crm.gate('zendesk', 'acme', {})!;
    vi.setSystemTime(WINDOW_START + 30_000);
    let left = 100;
    // 40 pops' worth of calls half way through an idle minute, each answered before the next: none is shed.
    for (const type of Array.from({ length: 40 }, (_, index) => ['case', 'task', 'note', undefined][index % 4])) {
      const outcome = await call(gate, type);
      expect(made(outcome)).toBe(true);
      (outcome as CallReceipt).answered(200, zendesk(--left, 30));
    }
  });

  it('before any answer, spends a probe’s worth (the larger of the reserve and 10 % of the plan), then what the CRM says', async () => {
    const { crm } = budget();
    const gate = crm.gate('zendesk', 'acme', {})!;
    // Nothing known: 10 calls of a 100 plan.
    const first = await call(gate, 'case');
    expect(1 + (await callsUntilShed(gate, 'case'))).toBe(10);
    // The CRM answers: its Enterprise account allows 700, of which 690 are left, 30 s into its minute.
    vi.setSystemTime(WINDOW_START + 30_000);
    (first as CallReceipt).answered(200, zendesk(690, 30, 700));
    expect(await callsUntilShed(gate, 'case')).toBeGreaterThan(300);
  });

  it('keeps the reserve for the others, and starts again when the fixed window does', async () => {
    const { crm } = budget();
    const gate = crm.gate('zendesk', 'acme', {})!;
    vi.setSystemTime(WINDOW_START + 59_000);
    const first = (await call(gate, 'case')) as CallReceipt;
    first.answered(200, zendesk(50, 1)); // the others used most of this minute
    // They spent 49 in 59 s: one more is theirs before the minute ends, 10 are the reserve, 39 the bridge's.
    expect(await callsUntilShed(gate, 'case')).toBe(39);
    const shed = (await call(gate, 'case')) as CallShedError;
    expect(shed.retryAfterSeconds).toBe(1); // the minute ends in a second
    vi.setSystemTime(WINDOW_START + 60_500);
    expect(made(await call(gate, 'case'))).toBe(true);
  });

  it('remembers how fast the others spent in the minute before, for the start of the next', async () => {
    const { crm } = budget();
    const gate = crm.gate('zendesk', 'acme', {})!;
    vi.setSystemTime(WINDOW_START + 50_000);
    ((await call(gate, 'case')) as CallReceipt).answered(200, zendesk(70, 10)); // the others: 29 in 50 s
    vi.setSystemTime(WINDOW_START + 61_000);
    ((await call(gate, 'case')) as CallReceipt).answered(200, zendesk(99, 59));
    // 59 s more at 0.58 a second are theirs (34.2), 10 the reserve: 54 more for the bridge, not 88.
    expect(await callsUntilShed(gate, 'case')).toBe(54);
  });

  it('takes only the minute just before as the others’ pace, never an older one carried forward', async () => {
    const { crm } = budget();
    const gate = crm.gate('zendesk', 'acme', {})!;
    vi.setSystemTime(WINDOW_START + 50_000);
    ((await call(gate, 'case')) as CallReceipt).answered(200, zendesk(70, 10)); // busy others: 29 in 50 s
    vi.setSystemTime(WINDOW_START + 110_000);
    ((await call(gate, 'case')) as CallReceipt).answered(200, zendesk(99, 10)); // then idle for a minute
    vi.setSystemTime(WINDOW_START + 121_000);
    ((await call(gate, 'case')) as CallReceipt).answered(200, zendesk(99, 59));
    expect(await callsUntilShed(gate, 'case')).toBe(89); // all but the reserve, as the minute before was idle
  });

  it('infers the minute from the clock until the CRM says when it ends (list endpoints), then believes the CRM', async () => {
    const { crm } = budget();
    const gate = crm.gate('zendesk', 'acme', {})!;
    vi.setSystemTime(WINDOW_START + 10_000);
    ((await call(gate, 'case')) as CallReceipt).answered(200, zendesk(100)); // a user shown: no ratelimit-reset
    // Its minute is not the clock's: it ends in 5 s, and the others have used 48 of it.
    ((await call(gate, 'case')) as CallReceipt).answered(200, zendesk(50, 5));
    // 10 are the reserve, 4.4 the others' for the 5 s left: 35 more for the bridge (not the 88 an idle minute would).
    expect(await callsUntilShed(gate, 'case')).toBe(35);
  });

  it('sheds notes first, then calls, then new lookups, then tasks; cases last', async () => {
    const room: Record<string, number> = {};
    for (const type of ['note', 'call', undefined, 'task', 'case']) {
      const gate = budget({ reserveShare: 0.3 }).crm.gate('hubspot', 'token', {})!;
      ((await call(gate, 'case')) as CallReceipt).answered(200, hubspot(60));
      room[type ?? 'lookup'] = await callsUntilShed(gate, type);
    }
    // Rolling: 70 may be used and 40 are, so 30 more; each type keeps its margin of those 30 free.
    expect(room).toEqual({ note: 18, call: 21, lookup: 24, task: 27, case: 29 });
  });

  it('keeps tenants apart', async () => {
    const { crm } = budget();
    const acme = crm.gate('zendesk', 'acme', { credential: 'a' })!;
    ((await call(acme, 'case')) as CallReceipt).answered(200, zendesk(10, 30));
    expect(made(await call(acme, 'case'))).toBe(false);
    expect(made(await call(crm.gate('zendesk', 'globex', { credential: 'g' })!, 'case'))).toBe(true);
  });

  it('never takes the account’s last calls, with no reserve at all', async () => {
    const { crm } = budget({ reserveShare: 0 });
    const gate = crm.gate('hubspot', 'token', {})!;
    ((await call(gate, 'case')) as CallReceipt).answered(200, hubspot(5));
    expect(await callsUntilShed(gate, 'case')).toBe(3);
  });

  it('keeps the reserve of a daily allowance too (HubSpot)', async () => {
    const { crm } = budget();
    const gate = crm.gate('hubspot', 'token', {})!;
    ((await call(gate, 'case')) as CallReceipt).answered(200, hubspot(99, 105));
    expect(await callsUntilShed(gate, 'case')).toBe(5); // 100 of the day's 1,000 are the reserve
  });

  it('probes a stale rolling report that left no room, once in a while', async () => {
    const { crm } = budget();
    const gate = crm.gate('hubspot', 'token', {})!;
    vi.setSystemTime(WINDOW_START);
    ((await call(gate, 'case')) as CallReceipt).answered(429, hubspot(0));
    expect(made(await call(gate, 'case'))).toBe(false);
    vi.setSystemTime(WINDOW_START + 9_000); // HubSpot's window is 10 s: the report still holds
    expect(made(await call(gate, 'case'))).toBe(false);
    vi.setSystemTime(WINDOW_START + 10_500); // too old to say anything: a probe's worth again
    expect(made(await call(gate, 'case'))).toBe(true);
  });

  it('charges credentials the CRM has not accepted to their own allowance, never the valid ones’ room', async () => {
    const { crm, metrics } = budget({ planLimits: { zendesk: { limit: 1000, windowSeconds: 60 } } });
    vi.setSystemTime(WINDOW_START + 30_000);
    const good = crm.gate('zendesk', 'acme', { credential: 'good' })!;
    ((await call(good)) as CallReceipt).answered(200, zendesk(950, 30, 1000)); // accepted: verified from now on
    // One bad token: 10 tries a minute, each rejected by the CRM.
    const bad = crm.gate('zendesk', 'acme', { credential: 'bad' })!;
    for (let attempt = 0; attempt < 10; attempt++) {
      ((await call(bad)) as CallReceipt).answered(401, zendesk(940, 30, 1000));
    }
    const refused = (await call(bad)) as CallShedError;
    expect(refused).toBeInstanceOf(CallShedError);
    expect(refused.retryAfterSeconds).toBe(60); // its minute began with its first try
    // Many bad tokens: a tenth of the plan a minute for every unverified credential together (100 here: the valid
    // credential's first call was one, the bad token's tries ten more), then nothing.
    let tried = 0;
    for (let token = 0; token < 100; token++) {
      if (made(await call(crm.gate('zendesk', 'acme', { credential: `bad-${token}` })!))) tried++;
    }
    expect(tried).toBe(89);
    // The valid credential spends as before, and the authorization validator verifies a new one whatever was spent.
    expect(await callsUntilShed(good, 'note', 50)).toBe(50);
    const validator = crm.gate('zendesk', 'acme', { credential: 'new-and-good', essential: true })!;
    ((await call(validator)) as CallReceipt).answered(200, zendesk(800, 30, 1000));
    expect(made(await call(crm.gate('zendesk', 'acme', { credential: 'new-and-good' })!, 'case'))).toBe(true);
    const shed = (await metrics.shedCalls.get()).values.filter(({ labels }) => labels.reason === 'unverified');
    expect(shed.reduce((sum, { value }) => sum + value, 0)).toBe(1 + 11);
  });

  it('forgets a credential the CRM rejects, and a shed call costs nothing', async () => {
    const { crm } = budget();
    vi.setSystemTime(WINDOW_START + 30_000);
    const gate = crm.gate('zendesk', 'acme', { credential: 'revoked' })!;
    ((await call(gate, 'case')) as CallReceipt).answered(200, zendesk(90, 30));
    ((await call(gate, 'case')) as CallReceipt).answered(401, zendesk(89, 30)); // revoked since
    // Unverified again: its own allowance (one try was its first, accepted call) is spent after nine more.
    for (let attempt = 0; attempt < 9; attempt++) ((await call(gate)) as CallReceipt).answered(401, zendesk(88, 30));
    expect(made(await call(gate))).toBe(false);
  });

  it('with CRM_BUDGET_SHARE, also caps the bridge’s own calls, and a rejected credential spends none of it', async () => {
    const { crm } = budget({ budgetShare: 0.3 });
    const good = crm.gate('zendesk', 'acme', { credential: 'good' })!;
    vi.setSystemTime(WINDOW_START + 50_000);
    ((await call(good, 'case')) as CallReceipt).answered(200, zendesk(99, 10));
    for (let token = 0; token < 5; token++) {
      ((await call(crm.gate('zendesk', 'acme', { credential: `bad-${token}` })!)) as CallReceipt).answered(
        401,
        zendesk(98 - token, 10),
      );
    }
    // 30 of 100 are the bridge's: the first call spent one, the rejected ones got theirs back; cases keep one free.
    expect(await callsUntilShed(good, 'case')).toBe(28);
  });

  it('is off when CRM_BUDGET_SHARE is 0, and for a connector without a plan', () => {
    expect(budget({ budgetShare: 0 }).crm.gate('zendesk', 'acme', {})).toBeUndefined();
    expect(budget().crm.gate('unknown', 'tenant', {})).toBeUndefined();
  });

  it('uses CRM_PLAN_LIMITS over the plan a connector declares, keeping how the vendor counts its window', async () => {
    const { crm } = budget({ planLimits: { zendesk: { limit: 20, windowSeconds: 60 } } });
    // 10 % of 20 before any answer: 2 calls.
    const gate = crm.gate('zendesk', 'acme', {})!;
    expect(await callsUntilShed(gate, 'case')).toBe(2);
    // Fixed, as Zendesk declares: in the next minute, a probe's worth again.
    vi.setSystemTime(WINDOW_START + 60_000);
    expect(await callsUntilShed(gate, 'case')).toBe(2);
  });
});
