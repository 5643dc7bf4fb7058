import { isIP } from 'node:net';
import { IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import { InvalidConfigurationError, readValidatedEnv, type Environment } from '#interactions';

/**
 * The edge's defences against abuse (SECURITY.md, "Limits, lockout and the caller secret"), validated at boot.
 * Defaults fit a large call centre: Talkdesk sends hundreds of screen pops a minute per tenant, from a few addresses
 * shared by all its customers.
 */
export class ProtectionEnv {
  /** One value, or two separated by a comma while rotating. Unset: no caller secret is asked for. */
  @IsOptional() @IsString() BRIDGE_CALLER_SECRET?: string;

  /** Requests a minute from one client address, every route but the probes and /metrics. 0 turns it off. */
  @IsInt() @Min(0) RATE_LIMIT_PER_ADDRESS_PER_MINUTE: number = 6_000;
  /** Talkdesk requests a minute for one tenant (a Zendesk subdomain, a Salesforce org, a HubSpot token). 0: off. */
  @IsInt() @Min(0) RATE_LIMIT_PER_TENANT_PER_MINUTE: number = 1_200;

  /** Credentials the CRM rejected, per tenant and client address, before the lockout starts. 0 turns it off. */
  @IsInt() @Min(0) @Max(1_000) LOCKOUT_MAX_FAILURES: number = 10;
  /** The window those rejections are counted in. */
  @IsInt() @Min(1) @Max(86_400) LOCKOUT_WINDOW_SECONDS: number = 300;
  /** How long a locked-out tenant and address get 401 without the CRM being asked. */
  @IsInt() @Min(1) @Max(86_400) LOCKOUT_SECONDS: number = 900;

  /**
   * Which proxies' X-Forwarded-For to believe when finding the client's address: the load balancer's addresses and
   * CIDR ranges, comma separated. Unset: the TCP peer is the client (no proxy in front).
   */
  @IsOptional() @IsString() TRUST_PROXY?: string;
}

export const PROTECTION_SETTINGS = Symbol('PROTECTION_SETTINGS');

export interface ProtectionSettings {
  /** Zero, one or two accepted caller secrets. */
  callerSecrets: string[];
  perAddressPerMinute: number;
  perTenantPerMinute: number;
  lockout: { maxFailures: number; windowSeconds: number; lockSeconds: number };
  /** Fastify's trustProxy: false, or the trusted proxies' addresses and ranges. */
  trustProxy: false | string[];
  /**
   * The HMAC key credentials are known by (CACHE_KEY_SECRET, the same on every replica, set by loadBridgeConfig);
   * random per process when absent.
   */
  keySecret?: Buffer;
}

/** A shorter secret is guessable; 16 characters is what `openssl rand -hex 8` gives, the least we accept. */
const MIN_SECRET_LENGTH = 16;

/** Reads and validates the protection variables; throws one line naming each bad variable, never its value. */
export function loadProtectionSettings(environment: Environment): ProtectionSettings {
  const env = readValidatedEnv(ProtectionEnv, environment);
  const problems: string[] = [];
  const callerSecrets = (env.BRIDGE_CALLER_SECRET ?? '')
    .split(',')
    .map((value) => value.trim())
    .filter(Boolean);
  if (callerSecrets.length > 2) problems.push('BRIDGE_CALLER_SECRET takes one value, or two while rotating');
  if (callerSecrets.some((secret) => secret.length < MIN_SECRET_LENGTH)) {
    problems.push(`BRIDGE_CALLER_SECRET: each value must be at least ${MIN_SECRET_LENGTH} characters`);
  }
  const trustProxy = readTrustProxy(env.TRUST_PROXY, problems);
  if (problems.length > 0) throw new InvalidConfigurationError(problems);
  return {
    callerSecrets,
    perAddressPerMinute: env.RATE_LIMIT_PER_ADDRESS_PER_MINUTE,
    perTenantPerMinute: env.RATE_LIMIT_PER_TENANT_PER_MINUTE,
    lockout: {
      maxFailures: env.LOCKOUT_MAX_FAILURES,
      windowSeconds: env.LOCKOUT_WINDOW_SECONDS,
      lockSeconds: env.LOCKOUT_SECONDS,
    },
    trustProxy,
  };
}

/**
 * `true` (believe any X-Forwarded-For) is refused: any client could then pick the address it is limited and locked
 * out by. So is a hop count, which Fastify 5 treats as trusting no one (it cannot check the immediate peer).
 */
function readTrustProxy(value: string | undefined, problems: string[]): false | string[] {
  const text = (value ?? '').trim();
  if (!text || text === 'false') return false;
  const entries = text.split(',').map((entry) => entry.trim());
  const valid = entries.every((entry) => {
    const [address, bits, ...rest] = entry.split('/');
    const family = isIP(address ?? '');
    if (family === 0 || rest.length > 0) return false;
    if (bits === undefined) return true;
    return /^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128);
  });
  if (!valid) {
    problems.push(
      'TRUST_PROXY must be the load balancer\'s addresses or CIDR ranges, comma separated (not "true", which would let any client choose its address, nor a hop count)',
    );
    return false;
  }
  return entries;
}
