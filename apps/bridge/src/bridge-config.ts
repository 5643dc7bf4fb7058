import { IsIn, IsInt, IsOptional, IsString, IsUrl, Max, Min } from 'class-validator';
import {
  InvalidConfigurationError,
  readValidatedEnv,
  type Environment,
  type InteractionSettings,
} from '#interactions';
import type { CrmHttpSettings } from '#crm-http';

/** The bridge's own environment variables, validated at boot. Connectors validate theirs in their modules. */
export class BridgeEnv {
  @IsInt() @Min(0) @Max(65535) PORT: number = 3000;
  @IsString() HOST = '0.0.0.0';
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
  @IsOptional() @IsUrl({ require_tld: false, protocols: ['http', 'https'] }) CRM_SANDBOX_URL?: string;
}

export interface BridgeConfig {
  env: BridgeEnv;
  interactions: InteractionSettings;
  crmHttp: CrmHttpSettings;
}

/** Reads and validates the environment; throws one line naming every bad variable. */
export function loadBridgeConfig(environment: Environment = process.env): BridgeConfig {
  const env = readValidatedEnv(BridgeEnv, environment);
  if (Boolean(env.TLS_CERT_FILE) !== Boolean(env.TLS_KEY_FILE)) {
    throw new InvalidConfigurationError(['TLS_CERT_FILE and TLS_KEY_FILE go together: set both, or neither']);
  }
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
  };
}
