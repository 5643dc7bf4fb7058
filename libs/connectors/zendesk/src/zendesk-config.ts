import { Inject } from '@nestjs/common';
import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { connectorApiUrl, ENVIRONMENT, IsHttpBaseUrl, readValidatedEnv, type Environment } from '#interactions';

const URL_TEMPLATE = /^https?:\/\/[^\s]*\{subdomain\}[^\s]*$|^https?:\/\/[^\s{}]+$/;

/** The Zendesk connector's environment variables, validated at boot. */
export class ZendeskEnv {
  /**
   * Where the API lives, `{subdomain}` standing for the tenant's. Unset, the core decides (connectorApiUrl): Zendesk
   * itself, or the sandbox CRM. Only server configuration sets it, never a request.
   */
  @IsOptional()
  @Matches(URL_TEMPLATE, { message: 'ZENDESK_BASE_URL must be an http(s) URL, e.g. https://{subdomain}.zendesk.com' })
  @IsHttpBaseUrl('https://{subdomain}.zendesk.com')
  ZENDESK_BASE_URL?: string;

  /** Where agents open tickets: the interactions' `url`. */
  @Matches(URL_TEMPLATE, { message: 'ZENDESK_WEB_URL must be an http(s) URL, e.g. https://{subdomain}.zendesk.com' })
  @IsHttpBaseUrl('https://{subdomain}.zendesk.com')
  ZENDESK_WEB_URL = 'https://{subdomain}.zendesk.com';

  /** How many of the contact's most recent tickets are read for internal notes. */
  @IsInt() @Min(1) @Max(50) ZENDESK_NOTE_TICKETS: number = 10;
}

export interface ZendeskConfig {
  /** e.g. `https://{subdomain}.zendesk.com` */
  apiUrlTemplate: string;
  webUrlTemplate: string;
  noteTickets: number;
}

export const ZENDESK_CONFIG = Symbol('ZENDESK_CONFIG');
export const InjectZendeskConfig = () => Inject(ZENDESK_CONFIG);

/** Zendesk's API, on each account's own host (docs/contract.md, "Zendesk Support"). */
export const ZENDESK_API_URL = 'https://{subdomain}.zendesk.com';

export function zendeskConfigFrom(environment: Environment): ZendeskConfig {
  const env = readValidatedEnv(ZendeskEnv, environment);
  return {
    apiUrlTemplate: connectorApiUrl(environment, {
      connector: 'zendesk',
      configured: env.ZENDESK_BASE_URL,
      defaultUrl: ZENDESK_API_URL,
    }),
    webUrlTemplate: env.ZENDESK_WEB_URL,
    noteTickets: env.ZENDESK_NOTE_TICKETS,
  };
}

export const zendeskConfigProvider = {
  provide: ZENDESK_CONFIG,
  inject: [ENVIRONMENT],
  useFactory: zendeskConfigFrom,
};
