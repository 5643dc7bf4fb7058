import {
  keepWhatArrived,
  PartialInteractions,
  textField,
  type Contact,
  type TalkdeskInteraction,
  type UpstreamRecord,
} from '#interactions';
import type { HubspotApi } from './hubspot-api.js';
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
  /** The properties the mapping reads; only these are fetched. */
  properties: readonly string[];
}

/**
 * At most `limit` of the contact's most recently created objects of one kind, newest first: their ids from the
 * associations API (every page, up to HUBSPOT_MAX_ASSOCIATION_PAGES), then their properties in batches, then the
 * newest by the records' own `createdAt`. HubSpot documents no order for associations, and ids do not follow
 * creation dates (imported records get new ids and old dates), so neither the order nor the ids say which are newest.
 *
 * What arrived is kept: a failing association page n keeps pages 1…n-1, a failing batch keeps the others; their
 * errors come back as `failures` (nothing arrived at all: the first error is thrown).
 */
export async function newestAssociatedObjects(
  api: HubspotApi,
  contact: Contact,
  kind: HubspotObjectKind,
  limit: number,
): Promise<{ records: UpstreamRecord[]; failures: unknown[] }> {
  const { ids, failure } = await api.associatedIds(contact.id, kind.objectType);
  const wanted = [...new Set(ids.filter((id) => /^\d+$/.test(id)))];
  if (wanted.length === 0 || limit <= 0) return { records: [], failures: failure ? [failure] : [] };
  const { arrived, failures } = await keepWhatArrived(api.batchReadChunks(kind.objectType, wanted, kind.properties));
  const records = arrived.flat().sort(newestFirst).slice(0, limit);
  return { records, failures: failure ? [failure, ...failures] : failures };
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

/** By `createdAt` (ISO 8601, on every CRM object HubSpot returns), newest first; then by id, highest first. */
export function newestFirst(a: UpstreamRecord, b: UpstreamRecord): number {
  const at = (record: UpstreamRecord) => Date.parse(textField(record, 'createdAt') ?? '') || 0;
  return at(b) - at(a) || compareIdsDescending(textField(a, 'id') ?? '', textField(b, 'id') ?? '');
}

/** Numeric order on digit strings of any length (HubSpot ids can outgrow doubles); non-numeric ids go last. */
export function compareIdsDescending(a: string, b: string): number {
  const an = /^\d+$/.test(a) ? BigInt(a) : -1n;
  const bn = /^\d+$/.test(b) ? BigInt(b) : -1n;
  return an === bn ? 0 : an > bn ? -1 : 1;
}
