import { UpstreamError } from './errors.js';

/** A CRM answer's JSON, as read at the edge: nothing is trusted until checked. */
export type UpstreamRecord = Record<string, unknown>;

export function isRecord(value: unknown): value is UpstreamRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The object at `key` of a CRM answer; an answer without it is not what the API documents. */
export function recordAt(body: unknown, key: string, what: string): UpstreamRecord {
  const value = isRecord(body) ? body[key] : undefined;
  if (!isRecord(value)) throw new UpstreamError(`${what}: the answer has no "${key}" object`);
  return value;
}

/**
 * The most records read from one array of a CRM answer, unless the call says how many it asked for. No page a
 * connector asks for holds more: Salesforce's query batches are at most 2,000 records ("Query Options Header",
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/headers_queryoptions.htm), Zendesk's
 * pages 100, HubSpot's search pages 200. An answer with more is not what was asked for, and each record read costs
 * time (mapping, sorting, phone parsing): the rest are not read.
 */
export const MAX_RECORDS_PER_ANSWER = 2_000;

/**
 * The items of the array at `key`, at most `max` of them (the page size the call asked for). A missing array makes
 * the whole answer unusable; an item that is not an object is left for the mapping to drop (and count), so one bad
 * item does not lose the rest.
 */
export function recordsAt(body: unknown, key: string, what: string, max = MAX_RECORDS_PER_ANSWER): UpstreamRecord[] {
  const value = isRecord(body) ? body[key] : undefined;
  if (!Array.isArray(value)) throw new UpstreamError(`${what}: the answer has no "${key}" array`);
  return value.slice(0, max).map((item) => (isRecord(item) ? item : {}));
}

/** A string field, or undefined; numbers are ids too (Zendesk's are numbers, HubSpot's strings). */
export function textField(record: UpstreamRecord, key: string): string | undefined {
  const value = record[key];
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}
