import type { HubspotRecord } from './model.js';
import { alwaysReturned, type HubspotObjectType } from './object-types.js';

/**
 * A record as HubSpot's object APIs answer it: `{ id, properties, createdAt, updatedAt, archived }`. The properties
 * are the requested ones plus the id and timestamp properties, or the type's defaults when none were asked for.
 * Names the type does not have are left out; properties without a value come back as null; values are strings.
 */
export function presentRecord(
  type: HubspotObjectType,
  record: HubspotRecord,
  requested: readonly string[] | undefined,
  withHistory: readonly string[] = [],
): Record<string, unknown> {
  const names =
    requested && requested.length > 0 ? [...requested, ...alwaysReturned(type)] : [...type.defaultProperties];
  const properties: Record<string, string | null> = {};
  for (const name of [...new Set(names)].sort()) {
    if (name in type.properties) properties[name] = record.properties[name] ?? null;
  }
  const presented: Record<string, unknown> = {
    id: record.id,
    properties,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    archived: false,
  };
  const history = withHistory.filter((name) => name in type.properties);
  if (history.length > 0) {
    presented.propertiesWithHistory = Object.fromEntries(
      history.map((name) => {
        const value = record.properties[name];
        return [name, value === undefined ? [] : [{ value, timestamp: record.updatedAt, sourceType: 'CRM_UI' }]];
      }),
    );
  }
  return presented;
}

/**
 * Property names from a query string: `properties=a,b`, `properties=a&properties=b`, or both. Undefined when the
 * parameter is absent.
 */
export function propertyList(raw: unknown): string[] | undefined {
  if (raw === undefined) return undefined;
  const parts = (Array.isArray(raw) ? raw : [raw]).filter((part): part is string => typeof part === 'string');
  return [
    ...new Set(
      parts
        .flatMap((part) => part.split(','))
        .map((name) => name.trim())
        .filter(Boolean),
    ),
  ];
}
