import { isRecord, textField, toTalkdeskDate, type UpstreamRecord } from '#interactions';

/**
 * A property of a HubSpot CRM record (`{ id, properties: { … }, createdAt, … }`) as a string, or undefined when the
 * record lacks it. HubSpot sends every property as a string, and an unset one as null or "".
 */
export function hubspotProperty(record: UpstreamRecord, key: string): string | undefined {
  const properties = isRecord(record.properties) ? record.properties : {};
  const value = textField(properties, key);
  return value === undefined || value.trim() === '' ? undefined : value;
}

/** The record's id, or '' (which the core drops and counts). */
export function hubspotId(record: UpstreamRecord): string {
  return textField(record, 'id') ?? '';
}

/**
 * When the record was created, in Talkdesk's format: the object's `createdAt`, which every CRM object read returns
 * beside `properties` whatever properties were asked (HubSpot API reference, "Read a batch of objects":
 * POST /crm/v3/objects/{objectType}/batch/read, `results[].createdAt`, and the search answers' `results[]`, which
 * the connector reads; the same time as the `createdate` / `hs_createdate` property). The core dates a record by it when the record lacks its usual date.
 */
export function hubspotCreatedDate(record: UpstreamRecord): string | undefined {
  return toTalkdeskDate(textField(record, 'createdAt'));
}
