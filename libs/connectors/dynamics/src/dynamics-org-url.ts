import { CredentialsError } from '#interactions';

/**
 * The host names Microsoft gives Dynamics 365 environments: `<org>.<region domain>`, the region domain being one of
 * those "Datacenter regions" lists (Power Platform admin guide,
 * https://learn.microsoft.com/en-us/power-platform/admin/new-datacenter-regions): `crm.dynamics.com` (North America),
 * `crm<N>.dynamics.com` for the other regions (`crm2` South America … `crm17` Switzerland; new regions take the next
 * number), `crm.microsoftdynamics.us` (US Government GCC High), `crm.dynamics.cn` (China) and
 * `crm.microsoftdynamics.de` (Germany). The environment URL is "Protocol + Environment Name + Region + Base URL"
 * ("Compose HTTP requests and handle errors", Web API URL and versions,
 * https://learn.microsoft.com/en-us/power-apps/developer/data-platform/webapi/compose-http-requests-handle-errors):
 * exactly one label of the customer's own in front of the region's domain. The Web API also answers on
 * `<org>.api.<region domain>` ("Use OAuth authentication with Microsoft Dataverse" connects to
 * `https://contoso.api.crm.dynamics.com`; "Dynamics 365 US Government" lists instances as `*.crm9.dynamics.com` and
 * their Web API as `*.api.crm9.dynamics.com`), the web client being the instance host without `api`.
 *
 * The whole URL is matched on its raw text, anchored: `https://`, one lower-case DNS label, `api.` or not, a region
 * domain, at most a trailing slash. So user info (`https://x@evil.example`), a port, a path, a query, a fragment, an
 * IP literal, a trailing dot, another domain that merely ends like one of these (`evil-crm.dynamics.com.example`),
 * unicode and whitespace are all refused before any request, and the URL parser never gets to normalise anything.
 */
const ORG_URL =
  /^https:\/\/([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)\.(api\.)?(crm(?:[2-9]|[1-9][0-9])?\.dynamics\.com|crm\.microsoftdynamics\.us|crm\.dynamics\.cn|crm\.microsoftdynamics\.de)\/?$/;

export interface DynamicsOrg {
  /** `contoso.crm.dynamics.com` (or `contoso.api.crm.dynamics.com`, as given), lower case: where the Web API is called. */
  host: string;
  /** `contoso.crm.dynamics.com`: the org's instance, whichever host was given; the account its pops belong to. */
  account: string;
  /** `https://contoso.crm.dynamics.com`: the web client's origin (the items' `url`). */
  origin: string;
}

/**
 * Reads `auth.org_url` before any request; anything that is not a Dynamics 365 environment URL is a CredentialsError
 * (401), so neither the bridge nor the customer's token ever goes anywhere else. Scheme and host are
 * case-insensitive, so they are read in lower case; punycode labels (`xn--`) are refused like any non-ASCII name.
 */
export function readOrgUrl(raw: string): DynamicsOrg {
  const match = ORG_URL.exec(raw.trim().toLowerCase());
  // `api` is the Web API's label, never a customer's own: `api.crm.dynamics.com` names no environment.
  if (!match || match[1]!.startsWith('xn--') || match[1] === 'api') {
    throw new CredentialsError(
      'auth.org_url is not a Dynamics 365 environment URL: give https://<org>.crm<N>.dynamics.com (or the US ' +
        'Government, China or Germany form), with no user, port, path or query',
    );
  }
  const [, org, api = '', region] = match;
  const account = `${org}.${region}`;
  return { host: `${org}.${api}${region}`, account, origin: `https://${account}` };
}
