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
 * exactly one label of the customer's own in front of the region's domain.
 *
 * The whole URL is matched on its raw text, anchored: `https://`, one lower-case DNS label, a region domain, at most a
 * trailing slash. So user info (`https://x@evil.example`), a port, a path, a query, a fragment, an IP literal, a
 * trailing dot, another domain that merely ends like one of these (`evil-crm.dynamics.com.example`), unicode and
 * whitespace are all refused before any request, and the URL parser never gets to normalise anything.
 */
const ORG_URL =
  /^https:\/\/([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)\.(crm(?:[2-9]|[1-9][0-9])?\.dynamics\.com|crm\.microsoftdynamics\.us|crm\.dynamics\.cn|crm\.microsoftdynamics\.de)\/?$/;

export interface DynamicsOrg {
  /** `https://contoso.crm.dynamics.com`: the Web API's and the web client's origin (the items' `url`). */
  origin: string;
  /** `contoso.crm.dynamics.com`, lower case. */
  host: string;
}

/**
 * Reads `auth.org_url` before any request; anything that is not a Dynamics 365 environment URL is a CredentialsError
 * (401), so neither the bridge nor the customer's token ever goes anywhere else. Scheme and host are
 * case-insensitive, so they are read in lower case; punycode labels (`xn--`) are refused like any non-ASCII name.
 */
export function readOrgUrl(raw: string): DynamicsOrg {
  const match = ORG_URL.exec(raw.trim().toLowerCase());
  if (!match || match[1]!.startsWith('xn--')) {
    throw new CredentialsError(
      'auth.org_url is not a Dynamics 365 environment URL: give https://<org>.crm<N>.dynamics.com (or the US ' +
        'Government, China or Germany form), with no user, port, path or query',
    );
  }
  const host = `${match[1]}.${match[2]}`;
  return { origin: `https://${host}`, host };
}
