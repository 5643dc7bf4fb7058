import { AsyncLocalStorage } from 'node:async_hooks';
import { BridgeError } from '../errors.js';
import type { RequestContext } from '../request-context.js';

/**
 * What the HTTP client asks before each CRM call of a request (retries included): the request's tenant budget.
 * `beforeCall` throws CallShedError when the call must not be made; otherwise it returns the call's receipt, which the
 * client hands the CRM's answer (status and headers) when it arrives.
 */
export interface CrmCallGate {
  beforeCall(): Promise<CallReceipt>;
}

/** One call the gate let through: told what the CRM answered (its rate-limit headers, whether it took the credential). */
export interface CallReceipt {
  answered(status: number, headers: Record<string, unknown>): void;
}

/**
 * A CRM call the bridge chose not to make, to spare the tenant's CRM account: the account's headroom (or the
 * bridge's fixed share of it) is running low and this call was among the optional ones (notes first), or nothing is
 * left. Not the CRM's refusal: never retried, never counted by a breaker. The core answers with what it has and
 * names the types it shed; when nothing could be looked up it answers 503 with `retryAfterSeconds`.
 */
export class CallShedError extends BridgeError {
  readonly kind = 'rate_limited';
}

const gates = new WeakMap<RequestContext, CrmCallGate>();

export function bindCallGate(context: RequestContext, gate: CrmCallGate): void {
  gates.set(context, gate);
}

export function callGateOf(context: RequestContext): CrmCallGate | undefined {
  return gates.get(context);
}

/** Which interaction type the CRM calls being made belong to (undefined: contact lookups), for the budget's order. */
const typeScope = new AsyncLocalStorage<string>();

/**
 * Runs `work` (a provider's fetch for `type`) so that the request's gate sees which type each of its calls is for. A
 * request without a gate (no CRM budget: SHARING_OFF) needs no scope, and gets none: on Node 20, an AsyncLocalStorage
 * in use turns on async hooks for every promise the process makes (docs/architecture.md, "Design decisions").
 */
export function inTypeScope<T>(context: RequestContext, type: string, work: () => Promise<T>): Promise<T> {
  return gates.has(context) ? typeScope.run(type, work) : work();
}

export function currentInteractionType(): string | undefined {
  return typeScope.getStore();
}
