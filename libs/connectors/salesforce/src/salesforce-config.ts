import { Inject } from '@nestjs/common';
import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { connectorApiUrl, ENVIRONMENT, IsHttpBaseUrl, readValidatedEnv, type Environment } from '#interactions';

/**
 * The one REST API version the connector speaks (Winter '25). Every path, the composite's subrequests and the
 * query locators it follows carry it.
 */
export const SALESFORCE_API_VERSION = 'v62.0';

/** The Salesforce connector's environment variables, validated at boot. */
export class SalesforceEnv {
  /**
   * Where an org's API is reached, `{host}` standing for its validated instance host. Unset, the core decides
   * (connectorApiUrl): the host itself (`https://{host}`), or the sandbox CRM (`${CRM_SANDBOX_URL}/salesforce/{host}`).
   * Only server configuration sets it, never a request; it cannot widen which hosts are accepted.
   */
  @IsOptional()
  @Matches(/^https?:\/\/[^\s{}]*\{host\}[^\s{}]*$/, {
    message: 'SALESFORCE_API_URL must be an http(s) URL holding {host}',
  })
  @IsHttpBaseUrl('https://{host}')
  SALESFORCE_API_URL?: string;
  /**
   * The Retry-After given to Talkdesk when the org's daily API allowance is spent (403 REQUEST_LIMIT_EXCEEDED).
   * Salesforce sends none: the allowance is a rolling 24 hours, so retrying within the request is pointless.
   */
  @IsInt() @Min(1) @Max(86_400) SALESFORCE_LIMIT_RETRY_AFTER_SECONDS: number = 60;
}

export interface SalesforceConfig {
  /** e.g. `https://{host}` */
  apiUrlTemplate: string;
  limitRetryAfterSeconds: number;
}

/**
 * An org's API is on its own host, the `instance_url` of its OAuth token (docs/contract.md, "Salesforce"); `{host}` is
 * that host once salesforce-instance-url.ts has accepted it.
 */
export const SALESFORCE_API_URL = 'https://{host}';

export const SALESFORCE_CONFIG = Symbol('SALESFORCE_CONFIG');
export const InjectSalesforceConfig = () => Inject(SALESFORCE_CONFIG);

export function salesforceConfigFrom(environment: Environment): SalesforceConfig {
  const env = readValidatedEnv(SalesforceEnv, environment);
  return {
    apiUrlTemplate: connectorApiUrl(environment, {
      connector: 'salesforce',
      configured: env.SALESFORCE_API_URL,
      defaultUrl: SALESFORCE_API_URL,
    }),
    limitRetryAfterSeconds: env.SALESFORCE_LIMIT_RETRY_AFTER_SECONDS,
  };
}

export const salesforceConfigProvider = {
  provide: SALESFORCE_CONFIG,
  inject: [ENVIRONMENT],
  useFactory: salesforceConfigFrom,
};
