import { isRecord, textField, type UpstreamRecord } from '#interactions';

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

