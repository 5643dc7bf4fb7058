import { vi } from 'vitest';
import { startBridge, type BridgeHarness } from '../support/bridge-harness.js';

import { ACME_AUTH, jane } from '../support/zendesk-tenants.js';

export { acme, ACME_AUTH, globex, GLOBEX_AUTH, jane } from '../support/zendesk-tenants.js';
/** A wrong token for acme: the CRM answers 401. */
export const ACME_WRONG = { ...ACME_AUTH, token: 'guessed-token-0000' };

export function janeRequest(auth: Record<string, string> = ACME_AUTH) {
  return { auth, meta: { interaction_types: ['case'] }, data: { contact_emails: [jane.email!] } };
}

export interface CountedBridge extends BridgeHarness {
  /** Requests the sandbox CRM has received since the bridge started. */
  crmRequests(): number;
}

/**
 * A bridge in front of the sandbox, with generous limits unless `env` says otherwise, and a count of the CRM
 * requests it made (every request the sandbox starts answering).
 */
export async function startCountedBridge(env: Record<string, string> = {}): Promise<CountedBridge> {
  const bridge = await startBridge({
    env: { CRM_BREAKER_FAILURES: '100000', CRM_BACKOFF_BASE_MS: '1', ...env },
    sandbox: { zendesk: { rateLimitPerMinute: 1_000_000 } },
  });
  const entered = vi.spyOn(bridge.sandbox.inFlight, 'enter');
  return Object.assign(bridge, { crmRequests: () => entered.mock.calls.length });
}
