import { Inject } from '@nestjs/common';
import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { connectorApiUrl, ENVIRONMENT, IsHttpBaseUrl, readValidatedEnv, type Environment } from '#interactions';

/**
 * The one Web API version the connector speaks: `v9.2`, "the current version" ("Compose HTTP requests and handle
 * errors", Web API URL and versions, https://learn.microsoft.com/en-us/power-apps/developer/data-platform/webapi/compose-http-requests-handle-errors).
 * Every path and every `@odata.nextLink` the connector follows carries it.
 */
export const DATAVERSE_API_VERSION = 'v9.2';

/** The Dynamics 365 connector's environment variables, validated at boot. */
export class DynamicsEnv {
  /**
   * Where an org's Web API is reached, `{host}` standing for its validated host. Unset, the core decides
   * (connectorApiUrl): the host itself (`https://{host}`), or the sandbox CRM (`${CRM_SANDBOX_URL}/dynamics/{host}`).
   * Only server configuration sets it, never a request; it cannot widen which hosts are accepted.
   */
  @IsOptional()
  @Matches(/^https?:\/\/[^\s{}]*\{host\}[^\s{}]*$/, {
    message: 'DYNAMICS_API_URL must be an http(s) URL holding {host}',
  })
  @IsHttpBaseUrl('https://{host}')
  DYNAMICS_API_URL?: string;

  /**
   * Requests this process has in flight at once for one org. Dataverse refuses a user's requests beyond 52 at once
   * with a 429 (service protection, "Concurrent requests"); the bridge's replicas share that allowance with the
   * customer's other integrations running as the same user, so each replica keeps well under it.
   */
  @IsInt() @Min(1) @Max(52) DYNAMICS_MAX_CONCURRENT_REQUESTS: number = 16;
}

export interface DynamicsConfig {
  /** e.g. `https://{host}` */
  apiUrlTemplate: string;
  maxConcurrentRequests: number;
}

/**
 * An org's Web API is on its own host, the environment URL the customer's token was issued for
 * (`https://contoso.crm.dynamics.com/api/data/v9.2/`); `{host}` is that host once dynamics-org-url.ts has accepted it.
 */
export const DYNAMICS_API_URL = 'https://{host}';

export const DYNAMICS_CONFIG = Symbol('DYNAMICS_CONFIG');
export const InjectDynamicsConfig = () => Inject(DYNAMICS_CONFIG);

export function dynamicsConfigFrom(environment: Environment): DynamicsConfig {
  const env = readValidatedEnv(DynamicsEnv, environment);
  return {
    apiUrlTemplate: connectorApiUrl(environment, {
      connector: 'dynamics',
      configured: env.DYNAMICS_API_URL,
      defaultUrl: DYNAMICS_API_URL,
    }),
    maxConcurrentRequests: env.DYNAMICS_MAX_CONCURRENT_REQUESTS,
  };
}

export const dynamicsConfigProvider = {
  provide: DYNAMICS_CONFIG,
  inject: [ENVIRONMENT],
  useFactory: dynamicsConfigFrom,
};
