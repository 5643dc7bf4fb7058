import type { RequestContext } from '../request-context.js';

/**
 * What a connector learns about a credential and keeps for a while (a HubSpot token's portal and ticket pipelines),
 * shared by every replica: stored in the interactions cache's `metadata` tier, in this process's memory and, with
 * REDIS_URL, in Redis, under a keyed hash of the credential (never the credential). A Redis failure is counted and
 * the memory tier carries on, so the connector asks the CRM at most as often as a lone process would.
 */
export interface CredentialMetadata {
  /** The value stored under `name` for this credential (by any replica), else `load()`'s, stored for `ttlSeconds`. */
  through<T>(name: string, ttlSeconds: number, load: () => Promise<T>): Promise<T>;
  /** Stores a value learnt otherwise (a refetch, or while verifying the credential) for `ttlSeconds`. */
  set(name: string, value: unknown, ttlSeconds: number): Promise<void>;
}

const bound = new WeakMap<RequestContext, CredentialMetadata>();

/** Called by the core (PopSharing) for each request when the cache is there. */
export function bindCredentialMetadata(context: RequestContext, metadata: CredentialMetadata): void {
  bound.set(context, metadata);
}

/**
 * The shared metadata of this request's credential, or undefined when the app runs without the cache (a connector's
 * unit tests, the core's): then the connector keeps what it learns in its own memory only.
 */
export function credentialMetadataOf(context: RequestContext): CredentialMetadata | undefined {
  return bound.get(context);
}
