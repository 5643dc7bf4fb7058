import type { QueryData } from './query-engine.js';
import { KEY_PREFIX, SCHEMA, type SObject } from './schema.js';

/**
 * One stand-in Salesforce org: its instance host, its records, the access tokens it accepts (and one that has
 * expired), and its daily API allowance, which every authenticated call spends (a composite counts once).
 */
export class SalesforceOrg implements QueryData {
  apiVersion = 'v62.0';
  /** API calls used today, and the org's daily limit: what `Sforce-Limit-Info: api-usage=used/limit` reports. */
  apiUsed = 0;
  apiLimit: number;
  private readonly byObject = new Map<string, SObject[]>();
  private readonly switchedOff = new Set<string>();
  private readonly cursors = new Map<string, SObject[]>();
  private cursorCount = 0;
  private idCount = 0;

  constructor(
    readonly host: string,
    readonly token: string,
    readonly expiredToken: string,
    options: { apiLimit?: number; code: string },
  ) {
    this.apiLimit = options.apiLimit ?? 100_000;
    this.code = options.code;
  }

  private readonly code: string;

  /** Adds a record with a fresh id of its object's key prefix (18 characters). */
  insert(object: string, fields: Record<string, unknown>): SObject {
    if (!SCHEMA[object]) throw new Error(`unknown object ${object}`);
    const id = `${KEY_PREFIX[object]}${this.code}${String(++this.idCount).padStart(10, '0')}AAA`;
    const record = { ...fields, Id: id } as SObject;
    this.byObject.set(object, [...(this.byObject.get(object) ?? []), record]);
    return record;
  }

  records(object: string): SObject[] {
    return this.byObject.get(object) ?? [];
  }

  record(object: string, id: string): SObject | undefined {
    return this.records(object).find((record) => record.Id === id || record.Id.slice(0, 15) === id);
  }

  disabled(object: string): boolean {
    return this.switchedOff.has(object);
  }

  /** Switches an object off (e.g. Notes not enabled in this org): queries naming it fail with INVALID_TYPE. */
  disable(object: string): void {
    this.switchedOff.add(object);
  }

  enable(object: string): void {
    this.switchedOff.delete(object);
  }

  /** Keeps the rest of a query's answer for GET /query/{locator}; returns the locator. */
  keepCursor(rest: SObject[]): string {
    const locator = `01g${this.code}${String(++this.cursorCount).padStart(10, '0')}`;
    this.cursors.set(locator, rest);
    return locator;
  }

  keepCursorAs(locator: string, records: SObject[]): void {
    this.cursors.set(locator, records);
  }

  takeCursor(locator: string): SObject[] | undefined {
    const rest = this.cursors.get(locator);
    this.cursors.delete(locator);
    return rest;
  }
}
