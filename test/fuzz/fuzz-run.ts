import type { LoggerService } from '@nestjs/common';
import fc from 'fast-check';
import { CALLER_SECRET_HEADER } from '../../apps/bridge/src/protection/caller-secret.js';
import { startBridge, type BridgeHarness } from '../support/bridge-harness.js';
import { fuzzInput, validRequest, type FuzzInput } from './fuzz-inputs.js';

/** Short, so that a hanging answer shows quickly; every time bound is expressed against it. */
export const DEADLINE_MS = 2_000;
const DEADLINE_SLACK_MS = 100;
/**
 * The CRM-failure codes of the error table (docs/contract.md, "When things go wrong"): the only 5xx a request may get
 * (the sandbox is healthy).
 */
const CRM_FAILURE_CODES = new Set([502, 503, 504]);
const CALLER_SECRET = 'fuzz-caller-secret-5b1e0c7d93aa';
/** Talkdesk calls from its own address (TRUST_PROXY), the fuzzer from others: a lockout of those spares Talkdesk. */
const TALKDESK = '198.51.100.1';

export interface FuzzOutcome {
  numRuns: number;
  failed: boolean;
  /** fast-check's report: the shrunk counterexample and the failure, when there is one. */
  report?: string;
  statuses: Record<number, number>;
  /** The tenant's valid requests after each case, by status. */
  followUps: Record<number, number>;
}

/**
 * Runs `numRuns` generated requests against a real bridge in front of the sandbox CRM and checks, for each:
 * no 5xx but the CRM-failure codes, no answer after the deadline + 100 ms (as the bridge measured it: Server-Timing),
 * no credential in the answer or in any log line, and the tenant's valid request still answered afterwards.
 */
export async function runFuzz(
  numRuns: number,
  seed?: number,
  onProgress?: (outcome: FuzzOutcome) => void,
): Promise<FuzzOutcome> {
  const lines: string[] = [];
  const keep = (...parts: unknown[]) =>
    void lines.push(parts.map((part) => (typeof part === 'object' ? JSON.stringify(part) : String(part))).join(' '));
  const capture: LoggerService = { log: keep, error: keep, warn: keep, debug: keep, verbose: keep, fatal: keep };
  const bridge = await startBridge({
    logger: capture,
    env: {
      REQUEST_DEADLINE_MS: String(DEADLINE_MS),
      BRIDGE_CALLER_SECRET: CALLER_SECRET,
      TRUST_PROXY: '127.0.0.1',
      // Limits on, but above what the fuzzer sends: a 429 would hide what the property looks for.
      RATE_LIMIT_PER_ADDRESS_PER_MINUTE: '100000000',
      RATE_LIMIT_PER_TENANT_PER_MINUTE: '100000000',
      CRM_BACKOFF_BASE_MS: '5',
      CRM_BACKOFF_MAX_MS: '20',
    },
    // The CRMs' own rate limits raised (HubSpot's search limit off): spent by the fuzzer in seconds, they would turn
    // most cases into retries that wait out the deadline.
    sandbox: {
      zendesk: { rateLimitPerMinute: 100_000_000 },
      hubspot: { burstLimit: 100_000_000 },
      hubspotSearchPerSecond: 'off',
      freshdesk: { plan: { perMinute: 100_000_000, ticketsList: 100_000_000, contactsList: 100_000_000 } },
    },
  });
  const statuses: Record<number, number> = {};
  const followUps: Record<number, number> = {};
  let passed = 0;
  try {
    const property = fc.asyncProperty(fuzzInput, async (input) => {
      lines.length = 0;
      const answer = await send(bridge, input, input.from);
      statuses[answer.status] = (statuses[answer.status] ?? 0) + 1;
      check(
        answer.status < 500 || CRM_FAILURE_CODES.has(answer.status),
        `answered ${answer.status}: ${answer.text.slice(0, 300)}`,
      );
      check(answer.servedMs !== undefined, 'no Server-Timing on the answer');
      check(answer.servedMs! <= DEADLINE_MS + DEADLINE_SLACK_MS, `served in ${answer.servedMs} ms`);
      const secrets = [...input.secrets, CALLER_SECRET];
      const leakedInAnswer = secrets.find(
        (secret) => answer.text.includes(secret) || answer.headerText.includes(secret),
      );
      check(!leakedInAnswer, 'a credential is in the answer');

      const valid = await send(
        bridge,
        {
          ...input,
          connector: input.tenant.connector,
          route: 'interactions',
          body: { json: validRequest(input.tenant, ['case']) },
          contentType: 'application/json',
        },
        TALKDESK,
      );
      // Still served: its interactions, or the CRM's own rate limit passed on (503, cause rate_limited: Salesforce's
      // stand-in keeps a daily allowance per org). A breaker opened or a lockout of Talkdesk's address by the input
      // would show here as another status or cause.
      const served =
        (valid.status === 200 && Array.isArray(JSON.parse(valid.text))) ||
        (valid.status === 503 && (JSON.parse(valid.text) as { cause?: string }).cause === 'rate_limited');
      check(served, `the tenant's valid request then got ${valid.status}: ${valid.text.slice(0, 300)}`);
      followUps[valid.status] = (followUps[valid.status] ?? 0) + 1;
      const leakedInLogs = lines.find((line) => secrets.some((secret) => line.includes(secret)));
      check(!leakedInLogs, `a credential is in a log line: ${leakedInLogs?.slice(0, 200)}`);
      passed++;
      if (passed % 250 === 0) onProgress?.({ numRuns: passed, failed: false, statuses, followUps });
    });
    const details = await fc.check(property, { numRuns, seed, endOnFailure: false });
    return {
      numRuns: details.numRuns,
      failed: details.failed,
      report: details.failed
        ? `${fc.defaultReportMessage(details)}\nFailure: ${details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance)}`
        : undefined,
      statuses,
      followUps,
    };
  } finally {
    await bridge.close();
  }
}

function check(condition: boolean, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

async function send(bridge: BridgeHarness, input: FuzzInput, from: string) {
  const headers: Record<string, string> = { 'x-forwarded-for': from, [CALLER_SECRET_HEADER]: CALLER_SECRET };
  if (input.contentType) headers['content-type'] = input.contentType;
  const body =
    'json' in input.body
      ? JSON.stringify(input.body.json)
      : 'text' in input.body
        ? input.body.text
        : new Blob([Buffer.from(input.body.bytes)]);
  const response = await fetch(`${bridge.bridgeUrl}/${encodeURIComponent(input.connector)}/${input.route}`, {
    method: 'POST',
    headers,
    body,
  });
  const text = await response.text();
  const servedMs = /total;dur=([\d.]+)/.exec(response.headers.get('server-timing') ?? '')?.[1];
  return {
    status: response.status,
    text,
    headerText: [...response.headers].map(([name, value]) => `${name}: ${value}`).join('\n'),
    servedMs: servedMs === undefined ? undefined : Number(servedMs),
  };
}
