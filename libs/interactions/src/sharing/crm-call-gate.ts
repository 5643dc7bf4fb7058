import { AsyncLocalStorage } from 'node:async_hooks';
import { BridgeError } from '../errors.js';
import type { RequestContext } from '../request-context.js';

/**
 * What the HTTP client asks before each CRM call of a request (retries included), and tells after each answer: the
 * request's tenant budget. `beforeCall` throws CallShedError when the call must not be made.
 */
export interface CrmCallGate {
  beforeCall(): Promise<void>;
  afterResponse(status: number, headers: Record<string, unknown>): void;
}

/**
 * A CRM call the bridge chose not to make: the tenant's share of its CRM allowance is running low and this call was
 * among the optional ones (notes first), or the share is spent. Not the CRM's refusal: never retried, never counted
 * by a breaker; the core answers with what it has.
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
