import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BridgeHarness } from '../support/bridge-harness.js';
import { ROUTES, janeRequest, settle, startDrillBridge } from './drill-support.js';

/**
 * 1,000 requests against a CRM that fails half the time (every other call to each route, deterministically:
 * dropped connections on the contact search, 500s on the tickets, malformed JSON on the comments), 20 at a time.
 * The process must see no unhandled rejection and no warning (e.g. a listener leak), and its heap must come back
 * to within 10% of where it started once garbage is collected.
 */
const REQUESTS = 1_000;
const CONCURRENCY = 20;
const WARM_UP = 300;
const SOAK_DEADLINE_MS = 15_000;

// `global.gc` without --expose-gc: enable the flag, then fetch gc from a fresh context.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

async function collectedHeap(): Promise<number> {
  for (let i = 0; i < 4; i++) {
    gc();
    await settle(20);
  }
  return process.memoryUsage().heapUsed;
}

let bridge: BridgeHarness;

beforeAll(async () => {
  // This drill is about leaks, not time: a roomy deadline, so that a CPU-starved CI machine cannot turn a slow
  // request into a 504 (the deadline drills live in fault-drills and hanging-crm). No fault here hangs.
  bridge = await startDrillBridge({ CRM_MAX_ATTEMPTS: '2', REQUEST_DEADLINE_MS: String(SOAK_DEADLINE_MS) });
  bridge.sandbox.faults.add({ path: ROUTES.search, fault: 'reset', every: 2 });
  bridge.sandbox.faults.add({ path: ROUTES.tickets, fault: '500', every: 2 });
  bridge.sandbox.faults.add({ path: ROUTES.comments, fault: 'malformed-json', every: 2 });
});

afterAll(async () => {
  await bridge.close();
});

async function run(count: number): Promise<Map<number, number>> {
  const statuses = new Map<number, number>();
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < count) {
        next++;
        const response = await bridge.post('/zendesk/interactions', janeRequest());
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
      }
    }),
  );
  return statuses;
}

describe('soak: a CRM failing half the time', () => {
  it(`answers ${REQUESTS} requests with no unhandled rejection, no warning, and a heap back within 10%`, async () => {
    const rejections: unknown[] = [];
    const warnings: Error[] = [];
    const onRejection = (reason: unknown) => rejections.push(reason);
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on('unhandledRejection', onRejection);
    process.on('warning', onWarning);
    try {
      await run(WARM_UP);
      bridge.sandbox.faults.resetCounters();
      const heapBefore = await collectedHeap();

      const started = performance.now();
      const statuses = await run(REQUESTS);
      const seconds = (performance.now() - started) / 1000;

      bridge.sandbox.faults.resetCounters(); // the sandbox's own request log is not the bridge's heap
      await settle(100);
      const heapAfter = await collectedHeap();

      const total = [...statuses.values()].reduce((sum, count) => sum + count, 0);
      expect(total).toBe(REQUESTS);
      // Only designed answers: the full or partial 200, or 502 when the search or every type failed.
      expect(
        [...statuses.keys()].every((status) => status === 200 || status === 502),
        JSON.stringify([...statuses]),
      ).toBe(true);
      expect(statuses.get(200) ?? 0).toBeGreaterThan(0);
      expect(statuses.get(502) ?? 0).toBeGreaterThan(0);
      expect(rejections).toEqual([]);
      expect(warnings.map((warning) => `${warning.name}: ${warning.message}`)).toEqual([]);
      const growth = (heapAfter - heapBefore) / heapBefore;
      expect(
        Math.abs(growth),
        `heap ${mb(heapBefore)} → ${mb(heapAfter)} after ${REQUESTS} requests in ${seconds.toFixed(1)} s`,
      ).toBeLessThan(0.1);
    } finally {
      process.off('unhandledRejection', onRejection);
      process.off('warning', onWarning);
    }
  }, 60_000);
});

function mb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
