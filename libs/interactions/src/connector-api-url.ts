import { IsOptional } from 'class-validator';
import type { Environment } from './interaction-settings.js';
import { IsHttpBaseUrl, readValidatedEnv } from './validated-env.js';

/** The one variable that points every connector at a sandbox CRM (set by the app when the sandbox is embedded). */
export class CrmSandboxEnv {
  @IsOptional() @IsHttpBaseUrl('http://127.0.0.1:4010') CRM_SANDBOX_URL?: string;
}

export interface ConnectorApiUrlOptions {
  /** The connector's name, e.g. `zendesk`: the sandbox serves it under `/<name>`. */
  connector: string;
  /** The connector's own variable (`ZENDESK_BASE_URL`), already validated by the connector; wins when set. */
  configured?: string;
  /**
   * Where the CRM's API is, as the vendor documents it: `https://api.hubapi.com`. A host that is per customer is a
   * placeholder filled from the request's validated `auth` (`https://{subdomain}.zendesk.com`, `https://{host}`).
   */
  defaultUrl: string;
}

/**
 * Where a connector's API is reached: the one place that decides it, and the only code that knows about the sandbox
 * CRM. In order: the connector's own variable; else, with CRM_SANDBOX_URL, the sandbox's path for the connector
 * (`${CRM_SANDBOX_URL}/<connector>`, then one path segment per placeholder of the default, so each customer host
 * of a per-customer CRM is a prefix of its own: `/zendesk/{subdomain}`, `/salesforce/{host}`); else the default.
 * Without a trailing slash. Throws InvalidConfigurationError when CRM_SANDBOX_URL is not a usable URL.
 */
export function connectorApiUrl(environment: Environment, options: ConnectorApiUrlOptions): string {
  const sandbox = readValidatedEnv(CrmSandboxEnv, environment).CRM_SANDBOX_URL;
  const placeholders = options.defaultUrl.match(/\{\w+\}/g) ?? [];
  const url =
    options.configured ??
    (sandbox ? [sandbox.replace(/\/+$/, ''), options.connector, ...placeholders].join('/') : options.defaultUrl);
  return url.replace(/\/+$/, '');
}
