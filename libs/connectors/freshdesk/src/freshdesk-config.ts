import { Inject } from '@nestjs/common';
import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { connectorApiUrl, ENVIRONMENT, IsHttpBaseUrl, readValidatedEnv, type Environment } from '#interactions';

const URL_TEMPLATE = /^https?:\/\/[^\s]*\{domain\}[^\s]*$|^https?:\/\/[^\s{}]+$/;

/**
 * Freshdesk's API, on each account's own host: `https://{domain}.freshdesk.com/api/v2/` (Freshdesk API reference,
 * "Getting Started", https://developers.freshdesk.com/api/#getting-started). Only HTTPS is served.
 */
export const FRESHDESK_API_URL = 'https://{domain}.freshdesk.com';

/** The Freshdesk connector's environment variables, validated at boot. */
export class FreshdeskEnv {
  /**
   * Where the API lives, `{domain}` standing for the account's. Unset, the core decides (connectorApiUrl): Freshdesk
   * itself, or the sandbox CRM. Only server configuration sets it, never a request.
   */
  @IsOptional()
  @Matches(URL_TEMPLATE, { message: 'FRESHDESK_BASE_URL must be an http(s) URL, e.g. https://{domain}.freshdesk.com' })
  @IsHttpBaseUrl(FRESHDESK_API_URL)
  FRESHDESK_BASE_URL?: string;

  /** Where agents open tickets: the interactions' `url` (`{web}/a/tickets/{id}`). */
  @Matches(URL_TEMPLATE, { message: 'FRESHDESK_WEB_URL must be an http(s) URL, e.g. https://{domain}.freshdesk.com' })
  @IsHttpBaseUrl(FRESHDESK_API_URL)
  FRESHDESK_WEB_URL = FRESHDESK_API_URL;

  /** How many of the contact's most recent tickets are read for private notes (one call each). */
  @IsInt() @Min(1) @Max(50) FRESHDESK_NOTE_TICKETS: number = 10;
}

export interface FreshdeskConfig {
  /** e.g. `https://{domain}.freshdesk.com` */
  apiUrlTemplate: string;
  webUrlTemplate: string;
  noteTickets: number;
}

export const FRESHDESK_CONFIG = Symbol('FRESHDESK_CONFIG');
export const InjectFreshdeskConfig = () => Inject(FRESHDESK_CONFIG);

export function freshdeskConfigFrom(environment: Environment): FreshdeskConfig {
  const env = readValidatedEnv(FreshdeskEnv, environment);
  return {
    apiUrlTemplate: connectorApiUrl(environment, {
      connector: 'freshdesk',
      configured: env.FRESHDESK_BASE_URL,
      defaultUrl: FRESHDESK_API_URL,
    }),
    webUrlTemplate: env.FRESHDESK_WEB_URL,
    noteTickets: env.FRESHDESK_NOTE_TICKETS,
  };
}

export const freshdeskConfigProvider = {
  provide: FRESHDESK_CONFIG,
  inject: [ENVIRONMENT],
  useFactory: freshdeskConfigFrom,
};
