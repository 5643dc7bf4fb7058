import { IsOptional, ValidateBy } from 'class-validator';
import { httpBaseUrlProblem, readValidatedEnv, type Environment } from '#interactions';

/**
 * What the integration document (GET /:connector/integration, `npm run talkdesk:integration`) needs from the operator
 * and no connector can know: where Talkdesk reaches this bridge, and the logo and icon Talkdesk shows. Validated at
 * boot like every variable; unset, the document names what is missing.
 */
export class IntegrationEnv {
  /** The bridge's public base URL, as Talkdesk calls it (https: Talkdesk calls bridges over HTTPS only). */
  @IsOptional() @IsPublicHttpsUrl('https://bridge.example.com') BRIDGE_PUBLIC_URL?: string;
  /** The logo Talkdesk shows when the integration is configured; `{connector}` stands for the connector's name. */
  @IsOptional() @IsPublicHttpsUrl('https://assets.example.com/talkdesk/{connector}.png') INTEGRATION_LOGO_URL?: string;
  /** The icon Talkdesk shows beside retrieved interactions; `{connector}` stands for the connector's name. */
  @IsOptional()
  @IsPublicHttpsUrl('https://assets.example.com/talkdesk/{connector}-icon.png')
  INTEGRATION_ICON_URL?: string;
}

export interface IntegrationSettings {
  /** e.g. `https://bridge.example.com`, without a trailing slash. */
  publicUrl?: string;
  /** May hold `{connector}`. */
  logoUrl?: string;
  iconUrl?: string;
  /** BRIDGE_CALLER_SECRET is set: Talkdesk must send it in `auth.bridge_caller_secret`, so the document asks for it. */
  callerSecretRequired: boolean;
}

export function loadIntegrationSettings(environment: Environment, callerSecretRequired: boolean): IntegrationSettings {
  const env = readValidatedEnv(IntegrationEnv, environment);
  return {
    publicUrl: env.BRIDGE_PUBLIC_URL?.replace(/\/+$/, ''),
    logoUrl: env.INTEGRATION_LOGO_URL,
    iconUrl: env.INTEGRATION_ICON_URL,
    callerSecretRequired,
  };
}

/** An https URL that parses, without a user name, password, query or fragment (it is published); `{connector}` allowed. */
function IsPublicHttpsUrl(example: string): PropertyDecorator {
  const problem = (value: unknown): string | undefined => {
    if (typeof value !== 'string') return 'must be a string';
    const base = httpBaseUrlProblem(value.replaceAll('{connector}', 'zendesk'));
    if (base) return base;
    return /^https:\/\//i.test(value) ? undefined : 'must be an https URL (Talkdesk calls and shows https only)';
  };
  return ValidateBy({
    name: 'isPublicHttpsUrl',
    validator: {
      validate: (value: unknown) => problem(value) === undefined,
      defaultMessage: (args) => `${args?.property} ${problem(args?.value) ?? 'is invalid'}, e.g. ${example}`,
    },
  });
}

export const INTEGRATION_SETTINGS = Symbol('INTEGRATION_SETTINGS');
