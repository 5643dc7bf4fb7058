import { randomBytes } from 'node:crypto';
import { IsIn, IsInt, IsNumber, IsOptional, IsString, Matches, Max, Min, MinLength } from 'class-validator';
import {
  InvalidConfigurationError,
  IsHttpBaseUrl,
  parsePlanLimits,
  readValidatedEnv,
  type Environment,
  type InteractionSettings,
  type SharingSettings,
} from '#interactions';
import type { CrmHttpSettings } from '#crm-http';
import type { SharedStateSettings } from '#shared-state';
import { loadIntegrationSettings, type IntegrationSettings } from './integration/integration-settings.js';
import { loadProtectionSettings, type ProtectionSettings } from './protection/protection-config.js';

/** The bridge's own environment variables, validated at boot. Connectors validate theirs in their modules. */
export class BridgeEnv {
  @IsInt() @Min(0) @Max(65535) PORT: number = 3000;
  @IsString() HOST = '0.0.0.0';
  /**
   * Serve GET /metrics on this port (and METRICS_HOST) instead of the public listener, which then answers 404 for
   * it. Unset: /metrics is on PORT, as before.
   */
  @IsOptional() @IsInt() @Min(0) @Max(65535) METRICS_PORT?: number;
  @IsString() METRICS_HOST = '0.0.0.0';
  @IsIn(['error', 'warn', 'log', 'debug', 'verbose']) LOG_LEVEL: 'error' | 'warn' | 'log' | 'debug' | 'verbose' = 'log';
  @IsIn(['text', 'json']) LOG_FORMAT: 'text' | 'json' = 'text';
  /**
   * Talkdesk calls bridges over HTTPS only. Terminate TLS at the ingress, or give both files (PEM) and the bridge
   * serves HTTPS itself.
   */
  @IsOptional() @IsString() TLS_CERT_FILE?: string;
  @IsOptional() @IsString() TLS_KEY_FILE?: string;

  /** Largest accepted request body. Talkdesk's are a few hundred bytes. */
  @IsInt() @Min(1024) BODY_LIMIT_BYTES: number = 100 * 1024;

  /**
   * How long a client may take to send a whole request (headers and body), and its headers alone: a client that
   * sends headers, then one byte, then nothing, is cut off (Node's requestTimeout and headersTimeout).
   */
  @IsInt() @Min(100) @Max(300_000) HTTP_REQUEST_TIMEOUT_MS: number = 10_000;
  @IsInt() @Min(100) @Max(300_000) HTTP_HEADERS_TIMEOUT_MS: number = 5_000;
  /**
   * A connection silent for this long is closed (Fastify's connectionTimeout). It must exceed REQUEST_DEADLINE_MS
   * (the client is silent while the bridge waits for the CRM), so the default is above the deadline's maximum.
   */
  @IsInt() @Min(1_000) @Max(600_000) HTTP_CONNECTION_TIMEOUT_MS: number = 70_000;
  /** How long an idle kept-alive connection stays open; longer than the load balancer's idle timeout. */
  @IsInt() @Min(1_000) @Max(600_000) HTTP_KEEP_ALIVE_TIMEOUT_MS: number = 65_000;
  /**
   * Open connections the public listener holds at most; one more is closed on arrival, before any byte is read
   * (counted in bridge_refused_connections_total), and the client or load balancer goes to another replica. Sized
   * for the pod's 512 Mi: each may hold a body of up to BODY_LIMIT_BYTES while it arrives, so 2,048 of them at
   * 100 KB add about 200 MB to a replica's ~235 MB, while the load balancer in front keeps a few hundred at most.
   */
  @IsInt() @Min(16) @Max(1_000_000) HTTP_MAX_CONNECTIONS: number = 2_048;

  /**
   * On SIGTERM: readiness answers 503 at once, the bridge keeps serving this long so the load balancer notices,
   * then stops accepting, finishes what is in flight and exits. The whole must fit in SHUTDOWN_TIMEOUT_MS, after
   * which the process exits anyway (code 1); keep that well under Kubernetes' 30 s grace period, and above the drain
   * delay plus REQUEST_DEADLINE_MS so that a request accepted at the end of the drain can finish.
   */
  @IsInt() @Min(0) @Max(60_000) SHUTDOWN_DRAIN_DELAY_MS: number = 5_000;
  @IsInt() @Min(1_000) @Max(120_000) SHUTDOWN_TIMEOUT_MS: number = 20_000;

  @IsInt() @Min(100) @Max(60_000) REQUEST_DEADLINE_MS: number = 5_000;
  @IsInt() @Min(1) @Max(500) MAX_ITEMS_PER_TYPE: number = 50;
  @IsInt() @Min(1) @Max(50) MAX_CONTACTS: number = 5;
  @IsInt() @Min(20) @Max(10_000) DESCRIPTION_MAX_LENGTH: number = 500;
  /** Contact identifiers (external id, emails, phones, name) looked up per request; the rest are ignored. */
  @IsInt() @Min(1) @Max(100) MAX_LOOKUPS_PER_REQUEST: number = 10;

  @IsInt() @Min(1) @Max(10) CRM_MAX_ATTEMPTS: number = 3;
  @IsInt() @Min(0) CRM_BACKOFF_BASE_MS: number = 100;
  @IsInt() @Min(0) CRM_BACKOFF_MAX_MS: number = 2_000;
  @IsInt() @Min(1024) CRM_MAX_RESPONSE_BYTES: number = 5 * 1024 * 1024;
  @IsInt() @Min(1) CRM_BREAKER_FAILURES: number = 5;
  @IsInt() @Min(100) CRM_BREAKER_HALF_OPEN_MS: number = 10_000;
  /** CRM calls of one request in flight at once. */
  @IsInt() @Min(1) @Max(50) CRM_MAX_IN_FLIGHT_PER_REQUEST: number = 6;

  /** `embedded` starts the sandbox CRM in-process and points the connectors at it; `off` talks to the real CRMs. */
  @IsIn(['embedded', 'off']) CRM_SANDBOX: 'embedded' | 'off' = 'embedded';
  @IsInt() @Min(0) @Max(65535) SANDBOX_PORT: number = 4010;
  @IsInt() @Min(0) SANDBOX_LATENCY_MS: number = 0;
  /** Where connectors find a sandbox CRM that runs elsewhere (e.g. docker-compose). Set by main.ts when embedded. */
  @IsOptional() @IsHttpBaseUrl('http://127.0.0.1:4010') CRM_SANDBOX_URL?: string;

  /**
   * Redis shared by the replicas: cache, coalescing and CRM budgets. Unset: all in this process's memory. It may carry
   * a password (`redis://:secret@redis:6379/0`), so it is never logged or echoed.
   */
  @IsOptional()
  @Matches(/^rediss?:\/\/[^\s]+$/, { message: 'REDIS_URL must be a redis:// or rediss:// URL' })
  REDIS_URL?: string;
  @IsString() @Matches(/^[\w:.-]{1,64}$/) REDIS_KEY_PREFIX = 'bridge:';
  /** A Redis command slower than this falls back to memory: Redis never holds a pop past its deadline. */
  @IsInt() @Min(10) @Max(5_000) REDIS_COMMAND_TIMEOUT_MS: number = 250;

  /** The HMAC key for credentials and queries in cache keys; every replica needs the same one. Random when unset. */
  @IsOptional() @IsString() @MinLength(32) CACHE_KEY_SECRET?: string;
  @IsInt() @Min(0) @Max(86_400) CACHE_CONTACT_TTL_SECONDS: number = 600;
  @IsInt() @Min(0) @Max(3_600) CACHE_INTERACTIONS_TTL_SECONDS: number = 30;
  @IsInt() @Min(1) CACHE_MAX_ENTRIES: number = 10_000;
  /** `off`: identical pops in flight each do their own work (benchmarks, tests of one pop's CRM behaviour). */
  @IsIn(['on', 'off']) CACHE_COALESCE: 'on' | 'off' = 'on';
  @IsInt() @Min(1024 * 1024) CACHE_MAX_BYTES: number = 64 * 1024 * 1024;

  /** The share of each CRM account's allowance the bridge may spend, all replicas together; 0 turns the budget off. */
  @IsNumber() @Min(0) @Max(1) CRM_BUDGET_SHARE: number = 0.3;
  /** Per-connector plan limits, `zendesk=400/60,hubspot=190/10` (calls/seconds), over the vendors' defaults. */
  @IsOptional() @Matches(/^\s*[a-z0-9-]+=\d+\/\d+\s*(,\s*[a-z0-9-]+=\d+\/\d+\s*)*$/) CRM_PLAN_LIMITS?: string;
}

export interface BridgeConfig {
  env: BridgeEnv;
  interactions: InteractionSettings;
  crmHttp: CrmHttpSettings;
  sharedState: SharedStateSettings;
  sharing: SharingSettings;
  protection: ProtectionSettings;
  integration: IntegrationSettings;
}

/** Reads and validates the environment; throws one line naming every bad variable. */
/**
 * Every pop does its full CRM work: no cache, no coalescing, no CRM budget. For benchmarks, which measure a pop's
 * whole cost, and for tests that inject a fault and check the next pop (test/replicas covers the sharing itself).
 */
export const SHARING_OFF: Environment = {
  CACHE_CONTACT_TTL_SECONDS: '0',
  CACHE_INTERACTIONS_TTL_SECONDS: '0',
  CACHE_COALESCE: 'off',
  CRM_BUDGET_SHARE: '0',
};

/** No inbound rate limits: for load from one address, for one tenant, far beyond what Talkdesk sends. */
export const INBOUND_LIMITS_OFF: Environment = {
  RATE_LIMIT_PER_ADDRESS_PER_MINUTE: '0',
  RATE_LIMIT_PER_TENANT_PER_MINUTE: '0',
};

export function loadBridgeConfig(environment: Environment = process.env): BridgeConfig {
  const env = readValidatedEnv(BridgeEnv, environment);
  const protection = loadProtectionSettings(environment);
  const integration = loadIntegrationSettings(environment, protection.callerSecrets.length > 0);
  if (Boolean(env.TLS_CERT_FILE) !== Boolean(env.TLS_KEY_FILE)) {
    throw new InvalidConfigurationError(['TLS_CERT_FILE and TLS_KEY_FILE go together: set both, or neither']);
  }
  const problems: string[] = [];
  if (env.HTTP_HEADERS_TIMEOUT_MS > env.HTTP_REQUEST_TIMEOUT_MS) {
    problems.push('HTTP_HEADERS_TIMEOUT_MS must not be greater than HTTP_REQUEST_TIMEOUT_MS');
  }
  if (env.HTTP_CONNECTION_TIMEOUT_MS <= env.REQUEST_DEADLINE_MS) {
    // A connection that is silent while the bridge waits for the CRM must not be cut before the deadline.
    problems.push('HTTP_CONNECTION_TIMEOUT_MS must be greater than REQUEST_DEADLINE_MS');
  }
  if (env.SHUTDOWN_TIMEOUT_MS <= env.SHUTDOWN_DRAIN_DELAY_MS) {
    problems.push('SHUTDOWN_TIMEOUT_MS must be greater than SHUTDOWN_DRAIN_DELAY_MS');
  }
  if (env.METRICS_PORT !== undefined && env.METRICS_PORT !== 0 && env.METRICS_PORT === env.PORT) {
    problems.push('METRICS_PORT must differ from PORT (it takes /metrics off the public listener)');
  }
  if (problems.length > 0) throw new InvalidConfigurationError(problems);
  const keySecret = env.CACHE_KEY_SECRET ? Buffer.from(env.CACHE_KEY_SECRET) : randomBytes(32);
  return {
    env,
    interactions: {
      deadlineMs: env.REQUEST_DEADLINE_MS,
      maxItemsPerType: env.MAX_ITEMS_PER_TYPE,
      maxContacts: env.MAX_CONTACTS,
      descriptionMaxLength: env.DESCRIPTION_MAX_LENGTH,
      maxLookupsPerRequest: env.MAX_LOOKUPS_PER_REQUEST,
    },
    crmHttp: {
      maxAttempts: env.CRM_MAX_ATTEMPTS,
      baseBackoffMs: env.CRM_BACKOFF_BASE_MS,
      maxBackoffMs: env.CRM_BACKOFF_MAX_MS,
      maxResponseBytes: env.CRM_MAX_RESPONSE_BYTES,
      breakerFailureThreshold: env.CRM_BREAKER_FAILURES,
      breakerHalfOpenAfterMs: env.CRM_BREAKER_HALF_OPEN_MS,
      maxInFlightPerRequest: env.CRM_MAX_IN_FLIGHT_PER_REQUEST,
    },
    sharedState: {
      url: env.REDIS_URL,
      keyPrefix: env.REDIS_KEY_PREFIX,
      commandTimeoutMs: env.REDIS_COMMAND_TIMEOUT_MS,
      connectTimeoutMs: Math.max(1_000, env.REDIS_COMMAND_TIMEOUT_MS),
    },
    sharing: {
      keySecret,
      keySecretConfigured: env.CACHE_KEY_SECRET !== undefined,
      contactTtlSeconds: env.CACHE_CONTACT_TTL_SECONDS,
      interactionsTtlSeconds: env.CACHE_INTERACTIONS_TTL_SECONDS,
      maxEntries: env.CACHE_MAX_ENTRIES,
      coalesce: env.CACHE_COALESCE === 'on',
      maxBytes: env.CACHE_MAX_BYTES,
      maxEntryBytes: Math.min(1024 * 1024, env.CACHE_MAX_BYTES),
      budgetShare: env.CRM_BUDGET_SHARE,
      planLimits: env.CRM_PLAN_LIMITS ? parsePlanLimits(env.CRM_PLAN_LIMITS) : {},
    },
    // Credentials the CRM accepted are known by the same keyed hash on every replica (edge-limiters.ts).
    protection: { ...protection, keySecret },
    integration,
  };
}
