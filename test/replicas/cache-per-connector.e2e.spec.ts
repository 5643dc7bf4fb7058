import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBridge, type BridgeHarness } from '../support/bridge-harness.js';

/**
 * The cache, in one process without Redis, for every connector: a pop answered from the cache is the same answer
 * as the one fetched, and costs no CRM call. Catches a connector whose contacts or items do not survive
 * being stored (JSON) or whose providers rely on something only a live lookup sets up (Salesforce's composite).
 */
const EXAMPLES_DIR = new URL('../../examples/', import.meta.url);
/** Every connector's example request (`examples/<connector>-request.json`): a new connector is covered by adding one. */
const EXAMPLES = readdirSync(EXAMPLES_DIR)
  .flatMap((file) => /^(.+)-request\.json$/.exec(file)?.[1] ?? [])
  .map((connector) => ({
    connector,
    body: JSON.parse(readFileSync(new URL(`${connector}-request.json`, EXAMPLES_DIR), 'utf8')),
  }));

let harness: BridgeHarness;
let crmCalls = 0;

beforeAll(async () => {
  harness = await startBridge({
    env: {
      CACHE_CONTACT_TTL_SECONDS: '600',
      CACHE_INTERACTIONS_TTL_SECONDS: '30',
      CACHE_COALESCE: 'on',
      CRM_BUDGET_SHARE: '0',
    },
  });
  harness.sandbox.app.server.on('request', () => crmCalls++);
});

afterAll(async () => {
  await harness?.close();
});

describe('the cache, per connector', () => {
  for (const { connector, body } of EXAMPLES) {
    it(`${connector}: the second identical pop is the same answer, from the cache, without a CRM call`, async () => {
      const before = crmCalls;
      const fetched = await harness.post(`/${connector}/interactions`, body);
      expect(fetched.status).toBe(200);
      expect(fetched.body.length).toBeGreaterThan(0);
      expect(crmCalls).toBeGreaterThan(before);

      const afterFirst = crmCalls;
      const cached = await harness.post(`/${connector}/interactions`, body);
      expect(cached.status).toBe(200);
      expect(cached.body).toEqual(fetched.body);
      expect(crmCalls).toBe(afterFirst);
      // What the access log and Server-Timing say: no CRM call, and the cache's hits (every asked type at least).
      expect(fetched.headers.get('server-timing')).not.toContain('cache;');
      const hits = /cache;desc="hits=(\d+)"/.exec(cached.headers.get('server-timing') ?? '')?.[1];
      expect(Number(hits)).toBeGreaterThanOrEqual(body.meta.interaction_types.length);
      expect(cached.headers.get('server-timing')).toContain('crm;desc="calls=0"');

      // Another type list is another pop, but the contact lookup is reused: fewer calls than the first time.
      const fewer = await harness.post(`/${connector}/interactions`, {
        ...body,
        meta: { interaction_types: ['case'] },
      });
      expect(fewer.status).toBe(200);
      expect(fewer.body).toEqual(fetched.body.filter((item: { type: string }) => item.type === 'case'));
      expect(crmCalls - afterFirst).toBeLessThan(afterFirst - before);
    });
  }
});
