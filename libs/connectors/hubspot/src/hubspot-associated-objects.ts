import {
  PartialInteractions,
  textField,
  type Contact,
  type TalkdeskInteraction,
  type UpstreamRecord,
} from '#interactions';
import { HUBSPOT_LIMITS, type HubspotApi } from './hubspot-api.js';
import { hubspotEngagementToInteraction, type HubspotEngagementKind } from './hubspot-engagement-mapping.js';

/**
 * One kind of HubSpot object that a contact is associated with and that becomes one Talkdesk interaction type.
 * A new type (e.g. `calls`, 0-48) is one more of these, next to its mapping (hubspotEngagementKind for engagements).
 */
export interface HubspotObjectKind {
  /** The API's name for it, in paths: `tickets`, `notes`, `tasks`. */
  objectType: string;
  /** Its type id, in record urls: `0-5`, `0-46`, `0-27`. */
  objectTypeId: string;
  /** The property holding its creation time, which "newest" means: `createdate`, `hs_createdate` for engagements. */
  createdProperty: string;
  /** The properties the mapping reads; only these are fetched. */
  properties: readonly string[];
}

/**
 * At most `limit` of the contact's most recently created objects of one kind, newest first, in one call for the
 * usual limit: the CRM search API filtered on the `associations.contact` pseudo-property, sorted by the creation
 * property, descending, returning the mapping's properties directly ("Search through associations" and "Sort search
 * results", https://developers.hubspot.com/docs/api-reference/search/guide). Before, the same answer took the v4
 * associations pages (whose order HubSpot does not document, so every page) and a batch read per 100 ids: 2 calls
 * per type for most contacts, 9 for one with 620 tickets. HubSpot caps a search page at 200 results; a larger
 * limit pages with `after`.
 *
 * What arrived is kept: a page that fails after others arrived comes back as `failures` beside their records (the
 * first page failing throws). HubSpot's search index trails writes by a few seconds, so a record created during the
 * call may be missing; the next pop has it.
 */
export async function newestAssociatedObjects(
  api: HubspotApi,
  contact: Contact,
  kind: HubspotObjectKind,
  limit: number,
): Promise<{ records: UpstreamRecord[]; failures: unknown[] }> {
  const records: UpstreamRecord[] = [];
  if (limit <= 0 || !/^\d+$/.test(contact.id)) return { records, failures: [] };
  let after: string | undefined;
  do {
    let page: { results: UpstreamRecord[]; after?: string };
    try {
      page = await api.searchObjects(kind.objectType, {
        filterGroups: [{ filters: [{ propertyName: 'associations.contact', operator: 'EQ', value: contact.id }] }],
        sorts: [{ propertyName: kind.createdProperty, direction: 'DESCENDING' }],
        properties: [...kind.properties],
        limit: Math.min(HUBSPOT_LIMITS.searchPage, limit - records.length),
        after,
      });
    } catch (failure) {
      if (records.length === 0) throw failure;
      return { records, failures: [failure] };
    }
    records.push(...page.results.filter((record) => textField(record, 'id') !== undefined));
    after = page.results.length > 0 ? page.after : undefined;
  } while (after && records.length < limit);
  return { records: records.slice(0, limit), failures: [] };
}

/**
 * What every engagement provider (note, task, call) answers: the contact's newest engagements of one kind as
 * Talkdesk items, with the portal for their urls, and what failed beside what arrived.
 */
export async function newestEngagements(
  api: HubspotApi,
  contact: Contact,
  kind: HubspotEngagementKind,
  limit: number,
): Promise<TalkdeskInteraction[] | PartialInteractions> {
  const [{ records, failures }, portal] = await Promise.all([
    newestAssociatedObjects(api, contact, kind, limit),
    api.portal(),
  ]);
  return PartialInteractions.of(
    records.map((record) => hubspotEngagementToInteraction(record, kind, portal)),
    failures,
  );
}
