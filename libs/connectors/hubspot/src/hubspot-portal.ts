import { UpstreamError, isRecord, textField } from '#interactions';

/** What a record's page needs: the account (portal) id and the app host its users sign in to. */
export interface HubspotPortal {
  portalId: string;
  /** `app.hubspot.com`, or the account's own data-centre host, e.g. `app-eu1.hubspot.com`. */
  appHost: string;
}

export const HUBSPOT_APP_HOST = 'app.hubspot.com';

/** Only a HubSpot app host is trusted from the answer; anything else falls back to app.hubspot.com. */
const APP_HOST = /^app(?:-[a-z0-9]+)?\.hubspot\.com$/;

/** Reads GET /account-info/v3/details: `portalId`, and `uiDomain` when HubSpot sends one. */
export function parseHubspotPortal(body: unknown): HubspotPortal {
  const portalId = isRecord(body) ? textField(body, 'portalId') : undefined;
  if (!portalId || !/^\d+$/.test(portalId)) throw new UpstreamError('hubspot account-info details: no portalId');
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
