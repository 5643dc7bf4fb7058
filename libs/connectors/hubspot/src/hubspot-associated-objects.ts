import { textField, type Contact, type UpstreamRecord } from '#interactions';
import type { HubspotApi } from './hubspot-api.js';

/**
 * One kind of HubSpot object that a contact is associated with and that becomes one Talkdesk interaction type.
 * A new type (e.g. `calls`, 0-48) is one more of these, next to its mapping.
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
 * At most `limit` of the contact's most recent objects of one kind, newest first: their ids from the associations
 * API, then their properties in batches. HubSpot ids grow with creation time, so the newest are the highest ids.
 */
export async function newestAssociatedObjects(
  api: HubspotApi,
  contact: Contact,
  kind: HubspotObjectKind,
  limit: number,
): Promise<UpstreamRecord[]> {
  const { ids } = await api.associatedIds(contact.id, kind.objectType);
  const newest = newestIds(ids, limit);
  if (newest.length === 0) return [];
  const records = await api.batchRead(kind.objectType, newest, kind.properties);
  return records.sort((a, b) => compareIdsDescending(textField(a, 'id') ?? '', textField(b, 'id') ?? ''));
}

/** The `limit` highest numeric ids, highest first, each once. */
export function newestIds(ids: string[], limit: number): string[] {
  const numeric = [...new Set(ids.filter((id) => /^\d+$/.test(id)))];
  return numeric.sort(compareIdsDescending).slice(0, Math.max(0, limit));
}

/** Numeric order on digit strings of any length (HubSpot ids can outgrow doubles); non-numeric ids go last. */
export function compareIdsDescending(a: string, b: string): number {
  const an = /^\d+$/.test(a) ? BigInt(a) : -1n;
  const bn = /^\d+$/.test(b) ? BigInt(b) : -1n;
  return an === bn ? 0 : an > bn ? -1 : 1;
}
