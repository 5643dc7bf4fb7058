import { timingSafeEqual } from 'node:crypto';
import type { HubspotPipeline, HubspotPortalData, HubspotRecord } from './model.js';
import { OBJECT_TYPE_NAMES, type HubspotObjectType, type ObjectTypeName } from './object-types.js';
import { compareIds } from './ids.js';

/** One portal's data with the indexes the routes read: records by id, associations both ways. */
export class HubspotPortal {
  private readonly byId = new Map<string, Map<string, HubspotRecord>>();
  /** `{fromType}:{fromId}:{toType}` → ids, ascending. */
  private readonly links = new Map<string, string[]>();

  constructor(readonly data: HubspotPortalData) {
    for (const type of OBJECT_TYPE_NAMES) {
      this.byId.set(type, new Map(data.objects[type].map((record) => [record.id, record])));
    }
    for (const { contactId, toType, toId } of data.associations) {
      this.link('contacts', contactId, toType, toId);
      this.link(toType, toId, 'contacts', contactId);
    }
    // HubSpot documents no order for associations: the sandbox lists them in one that follows neither their ids
    // nor their creation (a fixed shuffle), so a connector cannot take "the first" or "the highest" as the newest.
    for (const ids of this.links.values()) ids.sort((a, b) => shuffleKey(a) - shuffleKey(b) || compareIds(a, b));
  }

  get key(): string {
    return this.data.key;
  }

  get token(): string {
    return this.data.token;
  }

  /** Every record of a type, ascending id. */
  records(type: HubspotObjectType): HubspotRecord[] {
    return this.data.objects[type.name as ObjectTypeName] ?? [];
  }

  record(type: HubspotObjectType, id: string): HubspotRecord | undefined {
    return this.byId.get(type.name)?.get(id);
  }

  /** The record whose unique property (`email`, `hs_object_id`) has this value; emails compare without case. */
  recordBy(type: HubspotObjectType, property: string, value: string): HubspotRecord | undefined {
    if (property === 'hs_object_id') return this.record(type, value);
    const wanted = value.trim().toLowerCase();
    return this.records(type).find((record) => record.properties[property]?.toLowerCase() === wanted);
  }

  /** The ids of the `to` records associated with one record, in no useful order; empty for a record that does not exist. */
  associatedIds(from: HubspotObjectType, fromId: string, to: HubspotObjectType): string[] {
    return this.links.get(`${from.name}:${fromId}:${to.name}`) ?? [];
  }

  pipelines(type: HubspotObjectType): HubspotPipeline[] {
    return this.data.pipelines[type.name as ObjectTypeName] ?? [];
  }

  private link(fromType: string, fromId: string, toType: string, toId: string): void {
    const key = `${fromType}:${fromId}:${toType}`;
    const ids = this.links.get(key);
    if (!ids) this.links.set(key, [toId]);
    else if (!ids.includes(toId)) ids.push(toId);
  }
}

/** A fixed pseudo-random rank for an id (FNV-1a of its digits): the same order on every run. */
function shuffleKey(id: string): number {
  let hash = 0x811c9dc5;
  for (const char of id) hash = Math.imul(hash ^ char.charCodeAt(0), 0x01000193) >>> 0;
  return hash;
}

/** The portals, found by the private-app token that reaches each. */
export class HubspotStore {
  readonly portals: HubspotPortal[];

  constructor(data: HubspotPortalData[]) {
    this.portals = data.map((portal) => new HubspotPortal(portal));
  }

  byToken(token: string): HubspotPortal | undefined {
    return this.portals.find(
      (portal) =>
        sameSecret(token, portal.token) || (portal.data.otherTokens ?? []).some((other) => sameSecret(token, other)),
    );
  }
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
