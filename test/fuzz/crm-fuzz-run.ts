import fc from 'fast-check';
import { TALKDESK_DATE_PATTERN } from '#interactions';
import { CALLER_SECRET_HEADER } from '../../apps/bridge/src/protection/caller-secret.js';
import { startBridge, type BridgeHarness } from '../support/bridge-harness.js';
import { startCrmProcess } from '../support/crm-process.js';
import { startLivenessProbe, type LivenessProbe } from '../support/liveness-probe.js';
import { TENANTS, validRequest, type Tenant } from './fuzz-inputs.js';
import { hostilePlan, type HostilePlan } from './hostile-answers.js';

/** Short, so that a hanging answer shows quickly; every time bound is expressed against it. */
const DEADLINE_MS = 2_000;
/**
 * What the bridge may take past its deadline to answer, by its own clock (Server-Timing). More than the request
 * fuzz's 100 ms: the deadline can fall while the bridge parses an answer at the body bound (CRM_MAX_RESPONSE_BYTES,
 * 5 MiB: 20 to 50 ms of JSON.parse on a quiet core, several times that on a loaded 2-core machine), which no
 * request-side input makes it do.
 */
const DEADLINE_SLACK_MS = 250;
/**
 * A liveness probe slower than this fails: Kubernetes' default timeout (`timeoutSeconds: 1`, "Configure Liveness,
 * Readiness and Startup Probes", https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/).
 */
const PROBE_TIMEOUT_MS = 1_000;
/** The CRM-failure codes of the error table (docs/contract.md): the only 5xx a pop may get, whatever the CRM answers. */
const CRM_FAILURE_CODES = new Set([502, 503, 504]);
const CALLER_SECRET = 'fuzz-caller-secret-5b1e0c7d93aa';
const TYPES = ['case', 'note', 'task', 'call'];
/** DESCRIPTION_MAX_LENGTH's default. */
const DESCRIPTION_MAX_LENGTH = 500;

export interface CrmFuzzOutcome {
  numRuns: number;
  failed: boolean;
  /** fast-check's report: the shrunk counterexample and the failure, when there is one. */
  report?: string;
  statuses: Record<number, number>;
  /** The slowest liveness probe over all cases. */
  slowestProbeMs: number;
}

interface Case {
  plan: HostilePlan;
  tenant: Tenant;
}

/**
 * Runs `numRuns` screen pops against a real bridge whose CRM is hostile (hostile-crm.ts, in a process of its own):
 * every call the connectors make is answered with the sandbox's answer rewritten by a generated plan (huge and
 * malformed texts, deep nesting, wrong types, unexpected fields, hostile dates and phone numbers, bodies at the size
 * bound). For each: no 5xx but the CRM-failure codes, no answer after the deadline + 100 ms (Server-Timing), only
 * valid Talkdesk items, and the liveness probe answering within its timeout all along. A crash fails the run.
 */
export async function runCrmFuzz(
  numRuns: number,
  seed?: number,
  onProgress?: (outcome: CrmFuzzOutcome) => void,
): Promise<CrmFuzzOutcome> {
  const crm = await startCrmProcess('test/fuzz/hostile-crm.ts');
  let bridge: BridgeHarness | undefined;
  let probe: LivenessProbe | undefined;
  const statuses: Record<number, number> = {};
  let slowestProbeMs = 0;
  let passed = 0;
  try {
    bridge = await startBridge({
      env: {
        CRM_SANDBOX_URL: crm.url,
        REQUEST_DEADLINE_MS: String(DEADLINE_MS),
        BRIDGE_CALLER_SECRET: CALLER_SECRET,
        RATE_LIMIT_PER_ADDRESS_PER_MINUTE: '100000000',
        RATE_LIMIT_PER_TENANT_PER_MINUTE: '100000000',
        CRM_BACKOFF_BASE_MS: '5',
        CRM_BACKOFF_MAX_MS: '20',
        // One case's hostile answers must not open the breaker on the next: each case stands alone.
        CRM_BREAKER_FAILURES: '1000000000',
      },
    });
    const running = bridge;
    probe = await startLivenessProbe(running.bridgeUrl);
    const watching = probe;
    const property = fc.asyncProperty(
      fc.record({ plan: hostilePlan, tenant: fc.constantFrom(...TENANTS) }),
      async ({ plan, tenant }: Case) => {
        await setPlan(crm.url, plan);
        const answer = await pop(running, tenant);
        const probes = await watching.take();
        statuses[answer.status] = (statuses[answer.status] ?? 0) + 1;
        slowestProbeMs = Math.max(slowestProbeMs, probes.slowestMs);
        check(
          answer.status < 500 || CRM_FAILURE_CODES.has(answer.status),
          `answered ${answer.status}: ${answer.text.slice(0, 300)}`,
        );
        check(answer.servedMs !== undefined, 'no Server-Timing on the answer');
        check(answer.servedMs! <= DEADLINE_MS + DEADLINE_SLACK_MS, `served in ${answer.servedMs} ms`);
        check(probes.failures.length === 0, `liveness probes failed: ${probes.failures.slice(0, 3).join(', ')}`);
        check(probes.slowestMs < PROBE_TIMEOUT_MS, `a liveness probe took ${Math.round(probes.slowestMs)} ms`);
        if (answer.status === 200) checkItems(answer.text);
        passed++;
        if (passed % 50 === 0) onProgress?.({ numRuns: passed, failed: false, statuses, slowestProbeMs });
      },
    );
    const details = await fc.check(property, { numRuns, seed, endOnFailure: false });
    // And the bridge is still itself once the CRM behaves: the tenant's pop answered in full.
    await setPlan(crm.url, undefined);
    const after = await pop(running, TENANTS[0]!);
    const afterwards =
      after.status === 200 && (JSON.parse(after.text) as unknown[]).length > 0
        ? undefined
        : `once the CRM behaved, a valid pop got ${after.status}: ${after.text.slice(0, 300)}`;
    return {
      numRuns: details.numRuns,
      failed: details.failed || afterwards !== undefined,
      report: details.failed
        ? `${fc.defaultReportMessage(details)}\nFailure: ${details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance)}`
        : afterwards,
      statuses,
      slowestProbeMs,
    };
  } finally {
    await probe?.stop();
    await bridge?.close();
    await crm.close();
  }
}

/** Every item is one Talkdesk can show: a qualified id, a subject, a date in its format, a description cut short. */
function checkItems(text: string): void {
  const items = JSON.parse(text) as Record<string, unknown>[];
  check(Array.isArray(items), `a 200 that is not an array: ${text.slice(0, 300)}`);
  for (const item of items) {
    const shown = JSON.stringify(item).slice(0, 300);
    check(typeof item.type === 'string' && TYPES.includes(item.type), `an item of another type: ${shown}`);
    check(typeof item.id === 'string' && item.id.startsWith(`${item.type}:`), `an unqualified id: ${shown}`);
    check(typeof item.subject === 'string' && item.subject.trim() !== '', `an item without a subject: ${shown}`);
    check(typeof item.date === 'string' && TALKDESK_DATE_PATTERN.test(item.date), `a date not in the format: ${shown}`);
    check(
      item.description === undefined ||
        (typeof item.description === 'string' && charactersSeen(item.description) <= DESCRIPTION_MAX_LENGTH),
      `a description longer than DESCRIPTION_MAX_LENGTH: ${shown}`,
    );
    check(item.url === undefined || (typeof item.url === 'string' && /^https?:\/\//.test(item.url)), `a url: ${shown}`);
  }
}

const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });

/** Characters as a reader counts them (an emoji sequence is one), as the bridge cuts descriptions. */
function charactersSeen(text: string): number {
  let count = 0;
  for (const _ of graphemes.segment(text)) count++;
  return count;
}

async function setPlan(crmUrl: string, plan: HostilePlan | undefined): Promise<void> {
  const response = await fetch(`${crmUrl}/__hostile/plan`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: plan ? JSON.stringify(plan) : '',
  });
  check(response.ok, `the hostile CRM refused the plan: ${response.status}`);
}

async function pop(bridge: BridgeHarness, tenant: Tenant) {
  const response = await fetch(`${bridge.bridgeUrl}/${tenant.connector}/interactions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [CALLER_SECRET_HEADER]: CALLER_SECRET },
    body: JSON.stringify(validRequest(tenant, TYPES)),
  });
  const text = await response.text();
  const servedMs = /total;dur=([\d.]+)/.exec(response.headers.get('server-timing') ?? '')?.[1];
  return { status: response.status, text, servedMs: servedMs === undefined ? undefined : Number(servedMs) };
}

function check(condition: boolean, message: string): asserts condition {
  if (!condition) throw new Error(message);
}
