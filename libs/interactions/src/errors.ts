/**
 * The kinds of failure the bridge knows. Connectors and the HTTP client throw these; one exception filter at the
 * edge turns them into the status codes of docs/contract.md, "When things go wrong".
 */
export type BridgeErrorKind =
  | 'unknown_connector'
  | 'credentials'
  | 'not_found'
  | 'rate_limited'
  | 'circuit_open'
  | 'forbidden'
  | 'deadline'
  | 'upstream'
  | 'internal';

export abstract class BridgeError extends Error {
  abstract readonly kind: BridgeErrorKind;
  /** Seconds the caller should wait before trying again, when the CRM or the breaker says so. */
  readonly retryAfterSeconds?: number;
  /** How many CRM calls were made before giving up, when the HTTP client knows. */
  attempts?: number;

  constructor(message: string, options?: { cause?: unknown; retryAfterSeconds?: number }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.retryAfterSeconds = options?.retryAfterSeconds;
  }
}

export class UnknownConnectorError extends BridgeError {
  readonly kind = 'unknown_connector';
}

/** Credentials missing, malformed, or rejected by the CRM (its 401; a tenant that does not exist). */
export class CredentialsError extends BridgeError {
  readonly kind = 'credentials';
}

/**
 * The CRM accepted the credentials but refused this call for want of a permission or scope (its 403). Not a
 * credentials problem: a refreshed token has the same scopes, so Talkdesk must never see a 401 for it.
 * `permission` is what the CRM says is missing, when it says so in a form safe to repeat (a scope name).
 */
export class ForbiddenError extends BridgeError {
  readonly kind = 'forbidden';
  readonly permission?: string;

  constructor(message: string, options?: { cause?: unknown; permission?: string }) {
    super(message, options);
    this.permission = options?.permission;
  }
}

/** The CRM has no such record. Connectors turn it into "no contact"; it never reaches Talkdesk as such. */
export class NotFoundError extends BridgeError {
  readonly kind = 'not_found';
}

/** The CRM answered 429 and waiting would not fit in the deadline (or retries ran out). */
export class RateLimitedError extends BridgeError {
  readonly kind = 'rate_limited';
}

/** Recent calls to this CRM host and credential kept failing; the bridge answers at once instead of piling on. */
export class CircuitOpenError extends BridgeError {
  readonly kind = 'circuit_open';
}

/** The request's deadline passed before the CRM answered. */
export class DeadlineExceededError extends BridgeError {
  readonly kind = 'deadline';
}

/** The CRM failed: 5xx, a dropped connection, a body that is not what its API documents. */
export class UpstreamError extends BridgeError {
  readonly kind = 'upstream';
}

/** A bug in the bridge: something threw that is not one of the kinds above. Its details stay in the log. */
export class InternalError extends BridgeError {
  readonly kind = 'internal';
}

/** Thrown by the service when every asked type failed; the edge picks the status from the causes. */
export class AllInteractionTypesFailedError extends Error {
  constructor(readonly failures: { type: string; error: BridgeError }[]) {
    super(`every asked interaction type failed: ${failures.map((f) => `${f.type} (${f.error.kind})`).join(', ')}`);
    this.name = 'AllInteractionTypesFailedError';
  }

  /**
   * The failure that best explains the whole: credentials first, then deadline, rate limits, breaker, a missing
   * permission, upstream.
   */
  get decisive(): BridgeError {
    const order: BridgeErrorKind[] = [
      'credentials',
      'deadline',
      'rate_limited',
      'circuit_open',
      'forbidden',
      'upstream',
    ];
    const byRank = [...this.failures].sort((a, b) => rank(a.error.kind) - rank(b.error.kind));
    return byRank[0]!.error;
    function rank(kind: BridgeErrorKind): number {
      const index = order.indexOf(kind);
      return index === -1 ? order.length : index;
    }
  }
}

/**
 * Anything thrown that is not a BridgeError is a bug (the HTTP client classifies every CRM failure): an internal
 * error, answered 500 when it is all there is, never passed off as the CRM's fault.
 */
export function asBridgeError(error: unknown): BridgeError {
  if (error instanceof BridgeError) return error;
  return new InternalError(error instanceof Error ? error.message : 'unexpected failure', { cause: error });
}
