import type { ODataRows } from './odata-engine.js';
import { TABLES, type Row } from './schema.js';

/**
 * One stand-in Dataverse environment (org): its host, its rows, the access token it accepts (and one that has
 * expired), the user that token is for, and that user's service protection limits ("Service protection API
 * limits", https://learn.microsoft.com/en-us/power-apps/developer/data-platform/api-limits), on by default with
 * Dataverse's documented defaults. Tests may lower them.
 */
export class DynamicsOrg implements ODataRows {
  /** Requests per user within the sliding window (6,000 in 300 s). */
  requestLimit = 6_000;
  /** Combined execution time per user within the window (20 minutes). */
  executionTimeLimitMs = 1_200_000;
  /** Requests of the user in progress at once (52). */
  concurrencyLimit = 52;
  readonly windowMs = 300_000;
  /** When each request of the window was received, and how long each took. */
  readonly recent: { at: number; ms: number }[] = [];
  inFlight = 0;
  readonly userId: string;
  readonly organizationId: string;
  private readonly tables = new Map<string, Row[]>();
  private readonly counters = new Map<string, number>();

  constructor(
    readonly host: string,
    readonly token: string,
    readonly expiredToken: string,
    /** Eight hex digits that start every id of this org, so two orgs' ids never meet. */
    private readonly idPrefix: string,
  ) {
    this.userId = this.newId('systemuser');
    this.organizationId = this.newId('organization');
  }

  /** Adds a row with a fresh GUID as its primary key (unless given) and returns it. */
  insert(table: string, columns: Row): Row {
    const definition = TABLES[table];
    if (!definition) throw new Error(`unknown table ${table}`);
    for (const column of Object.keys(columns)) {
      if (!Object.hasOwn(definition.columns, column)) throw new Error(`unknown column ${table}.${column}`);
    }
    const row: Row = { ...columns, [definition.key]: columns[definition.key] ?? this.newId(table) };
    this.tables.set(table, [...(this.tables.get(table) ?? []), row]);
    return row;
  }

  rows(table: string): Row[] {
    return this.tables.get(table) ?? [];
  }

  row(table: string, id: string): Row | undefined {
    const key = TABLES[table]!.key;
    return this.rows(table).find((row) => row[key] === id);
  }

  /** A GUID: the org's prefix, a number per table, then a counter. */
  private newId(table: string): string {
    const kind = (Object.keys(TABLES).indexOf(table) + 1 || 15).toString(16).padStart(4, '0');
    const count = (this.counters.get(table) ?? 0) + 1;
    this.counters.set(table, count);
    return `${this.idPrefix}-${kind}-4000-8000-${count.toString(16).padStart(12, '0')}`;
  }
}
