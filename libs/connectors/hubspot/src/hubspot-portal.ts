import { UpstreamError, isRecord, textField, type AuthFields, type DerivedAuthField } from '#interactions';

/** What a record's page needs: the account (portal) id and the app host its users sign in to. */
export interface HubspotPortal {
  portalId: string;
  /** `app.hubspot.com`, or the account's own data-centre host, e.g. `app-eu1.hubspot.com`. */
  appHost: string;
}

export const HUBSPOT_APP_HOST = 'app.hubspot.com';

/** Only a HubSpot app host is trusted from the answer; anything else falls back to app.hubspot.com. */
const APP_HOST = /^app(?:-[a-z0-9]+)?\.hubspot\.com$/;

/** A portal id as HubSpot hands them out: a positive integer (the Hub ID). */
const PORTAL_ID = /^[1-9]\d{0,15}$/;

/** Reads GET /account-info/v3/details: `portalId`, and `uiDomain` when HubSpot sends one. */
export function parseHubspotPortal(body: unknown): HubspotPortal {
  const portalId = isRecord(body) ? textField(body, 'portalId') : undefined;
  if (!portalId || !PORTAL_ID.test(portalId)) throw new UpstreamError('hubspot account-info details: no portalId');
  const uiDomain = textField(body as Record<string, unknown>, 'uiDomain')
    ?.trim()
    .toLowerCase();
  return { portalId, appHost: uiDomain && APP_HOST.test(uiDomain) ? uiDomain : HUBSPOT_APP_HOST };
}

/** The page a human opens: `https://app.hubspot.com/contacts/{portalId}/record/{objectTypeId}/{id}`. */
export function hubspotRecordUrl(
  portal: HubspotPortal | undefined,
  objectTypeId: string,
  id: string,
): string | undefined {
  if (!portal || !id) return undefined;
  return `https://${portal.appHost}/contacts/${portal.portalId}/record/${objectTypeId}/${encodeURIComponent(id)}`;
}

/**
 * What the authorization validator answers for HubSpot, and Talkdesk sends back in `auth` on every later call: the
 * token's portal, so that a pop builds its links without asking GET /account-info/v3/details.
 */
export const HUBSPOT_DERIVED_AUTH_FIELDS: DerivedAuthField[] = [
  {
    name: 'hubspot_portal_id',
    display: 'HubSpot account ID',
    help: 'Filled in by the bridge when the integration is activated (the HubSpot account the token belongs to); leave it as it is.',
  },
  {
    name: 'hubspot_app_host',
    display: 'HubSpot app host',
    help: "Filled in by the bridge when the integration is activated (where the account's users sign in, e.g. app-eu1.hubspot.com); leave it as it is.",
  },
];

/** The validator's answer for a portal. */
export function portalAuthFields(portal: HubspotPortal): AuthFields {
  return { hubspot_portal_id: portal.portalId, hubspot_app_host: portal.appHost };
}

/**
 * The portal Talkdesk sent back in `auth`, when both fields are there and well formed (a positive integer, and a
 * HubSpot app host: a value from `auth` never sends an agent anywhere but HubSpot); `malformed` when they are there
 * but not so, or one is missing. Neither case makes a request.
 */
export function readAuthPortal(auth: AuthFields): { portal?: HubspotPortal; malformed: boolean } {
  const text = (name: string) => (typeof auth[name] === 'string' ? auth[name].trim() : '');
  const portalId = text('hubspot_portal_id');
  const appHost = text('hubspot_app_host').toLowerCase();
  if (!portalId && !appHost) return { malformed: false };
  if (!PORTAL_ID.test(portalId) || !APP_HOST.test(appHost)) return { malformed: true };
  return { portal: { portalId, appHost }, malformed: false };
}

/** A portal as stored in the shared cache, checked like any answer: undefined when it is not one. */
export function asHubspotPortal(value: unknown): HubspotPortal | undefined {
  if (!isRecord(value) || typeof value.portalId !== 'string' || typeof value.appHost !== 'string') return undefined;
  return PORTAL_ID.test(value.portalId) && APP_HOST.test(value.appHost)
    ? { portalId: value.portalId, appHost: value.appHost }
    : undefined;
}
