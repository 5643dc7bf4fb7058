import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { RateLimiterRes } from 'rate-limiter-flexible';
import { InjectSharedRedis, SharedLimiter, type SharedRedis } from '#shared-state';
import { BridgeMetrics } from '#interactions';
import { Counter } from 'prom-client';
import { CallerSecret } from './caller-secret.js';
import { KnownCredentials } from './known-credentials.js';
import { PROTECTION_SETTINGS, type ProtectionSettings } from './protection-config.js';

/** Why the edge turned a request away, for the metric's label (a fixed set). */
export type RejectionReason = 'caller_secret' | 'address_limit' | 'tenant_limit' | 'lockout';

/** Over a limit, or locked out: when to try again. */
export interface Refusal {
  retryAfterSeconds: number;
}

/**
 * The edge's counters (rate-limiter-flexible): requests per client address, requests per tenant, and rejected
 * credentials per tenant and address; and the credentials a CRM accepted recently (KnownCredentials), which decide
 * what the per-tenant limit counts. In memory by default; with a Redis client, in Redis so that every replica
 * shares them, each with an in-memory stand-in (SharedLimiter): when Redis fails, the limits hold per replica and no
 * request fails because of Redis.
 */
@Injectable()
export class EdgeLimiters {
  private readonly logger = new Logger('EdgeLimiters');
  readonly callerSecret: CallerSecret;
  private readonly perAddress?: SharedLimiter;
  private readonly perTenant?: SharedLimiter;
  private readonly failures?: SharedLimiter;
  /** Only when something is counted per tenant: the per-tenant limit, or the lockout. */
  private readonly known?: KnownCredentials;
  private readonly rejections: Counter<'reason'>;

  constructor(
    @Inject(PROTECTION_SETTINGS) private readonly settings: ProtectionSettings,
    metrics: BridgeMetrics,
    // The process's one Redis client (REDIS_URL, libs/shared-state); null: counters in this process's memory.
    @Optional() @InjectSharedRedis() shared?: SharedRedis | null,
  ) {
    this.callerSecret = new CallerSecret(settings.callerSecrets);
    const make = (name: string, options: { points: number; duration: number }) =>
      new SharedLimiter(`edge:${name}`, options, shared, 'rate_limit');
    if (settings.perAddressPerMinute > 0) {
      this.perAddress = make('address', { points: settings.perAddressPerMinute, duration: 60 });
    }
    if (settings.perTenantPerMinute > 0) {
      this.perTenant = make('tenant', { points: settings.perTenantPerMinute, duration: 60 });
    }
    if (settings.lockout.maxFailures > 0) {
      this.failures = make('rejected-credentials', {
        points: settings.lockout.maxFailures,
        duration: settings.lockout.windowSeconds,
      });
    }
    if (this.perTenant || this.failures) {
      this.known = new KnownCredentials(settings.keySecret ?? randomBytes(32), shared);
    }
    this.rejections = new Counter({
      name: 'bridge_inbound_rejections_total',
      help: 'Requests the edge turned away before any CRM call: missing caller secret, rate limits, credential lockout.',
      labelNames: ['reason'] as const,
      registers: [metrics.registry],
    });
  }

  rejected(reason: RejectionReason): void {
    this.rejections.inc({ reason });
  }

  /** One request from this client address; a Refusal when it is over the limit. */
  takeAddress(address: string): Promise<Refusal | undefined> {
    return this.take(this.perAddress, address);
  }

  /**
   * The keyed hash of a request's credentials, when anything is counted per tenant (else undefined, and nothing of
   * the below costs a lookup).
   */
  credentialKey(connector: string, auth: Record<string, unknown>): string | undefined {
    return this.known?.keyOf(connector, auth);
  }

  /** Whether a CRM accepted these credentials recently (any replica, with Redis). */
  async knownGood(credential: string | undefined): Promise<boolean> {
    return credential !== undefined && this.known !== undefined && (await this.known.has(credential));
  }

  /**
   * The per-tenant limit, before the work. A known-good credential's request is one of the tenant's own: it is
   * charged, and refused once the tenant is over its limit. Any other is not charged (a stranger's junk must not
   * spend it), only refused while the tenant is over its limit; it is charged afterwards if the CRM accepts it
   * (`credentialsAccepted`), so a holder of valid credentials gains nothing by varying them.
   */
  async admitTenant(tenant: string, knownGood: boolean): Promise<Refusal | undefined> {
    if (knownGood) return this.take(this.perTenant, tenant);
    const limiter = this.perTenant;
    if (!limiter) return undefined;
    try {
      const counted = await limiter.run((store) => store.get(tenant));
      if (counted && counted.consumedPoints >= this.settings.perTenantPerMinute) {
        return { retryAfterSeconds: seconds(counted.msBeforeNext) };
      }
    } catch (error) {
      this.failOpen(error);
    }
    return undefined;
  }

  /**
   * A CRM accepted these credentials (an answer it gave, or one the cache kept for them): they are known good from
   * now on, and the request is charged to its tenant if `admitTenant` did not charge it already.
   */
  async credentialsAccepted(tenant: string, credential: string, wasKnownGood: boolean): Promise<void> {
    this.known?.accepted(credential);
    if (wasKnownGood || !this.perTenant) return;
    try {
      await this.perTenant.run((store) => store.penalty(tenant, 1));
    } catch (error) {
      this.failOpen(error);
    }
  }

  /** A Refusal while this tenant and address are locked out. */
  async lockedOut(tenant: string, address: string): Promise<Refusal | undefined> {
    if (!this.failures) return undefined;
    try {
      const key = lockoutKey(tenant, address);
      const counted = await this.failures.run((store) => store.get(key));
      if (counted && counted.consumedPoints >= this.settings.lockout.maxFailures) {
        return { retryAfterSeconds: seconds(counted.msBeforeNext) };
      }
    } catch (error) {
      this.failOpen(error);
    }
    return undefined;
  }

  /**
   * This tenant's credentials were refused from this address (by the CRM, or as malformed before any call); the Nth
   * refusal in the window locks the pair out. Credentials that were known good are forgotten.
   */
  async credentialsRejected(tenant: string, address: string, credential?: string): Promise<void> {
    if (credential !== undefined) this.known?.forget(credential);
    if (!this.failures) return;
    const key = lockoutKey(tenant, address);
    try {
      const counted = await this.failures.run((store) => store.consume(key));
      if (counted.consumedPoints >= this.settings.lockout.maxFailures) {
        await this.failures.run((store) => store.block(key, this.settings.lockout.lockSeconds));
      }
    } catch (thrown) {
      // Already past the limit (a request that was in flight when the lockout began): renew nothing.
      if (!(thrown instanceof RateLimiterRes)) this.failOpen(thrown);
    }
  }

  private async take(limiter: SharedLimiter | undefined, key: string): Promise<Refusal | undefined> {
    if (!limiter) return undefined;
    try {
      await limiter.run((store) => store.consume(key));
      return undefined;
    } catch (thrown) {
      if (thrown instanceof RateLimiterRes) return { retryAfterSeconds: seconds(thrown.msBeforeNext) };
      this.failOpen(thrown);
      return undefined;
    }
  }

  /** The in-memory stand-in failed too: let the request through rather than fail a screen pop. */
  private failOpen(error: unknown): void {
    this.logger.warn(`limiter store failed; request let through: ${error instanceof Error ? error.message : 'error'}`);
  }
}

function lockoutKey(tenant: string, address: string): string {
  return `${tenant}|${address}`;
}

function seconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}
