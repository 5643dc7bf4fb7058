import { ODataQueryError } from './odata-lexer.js';
import {
  parseFilter,
  parseOrderBy,
  parseSelect,
  parseTop,
  type Filter,
  type Literal,
  type Operator,
  type OrderItem,
} from './odata-parser.js';
import { TABLES, type ColumnType, type Row, type Table } from './schema.js';

/** What the engine reads rows from: an org's tables. */
export interface ODataRows {
  rows(table: string): Row[];
  row(table: string, id: string): Row | undefined;
}

export interface QueryOptions {
  select?: string[];
  filter?: Filter;
  orderBy: OrderItem[];
  top?: number;
}

/** The system query options the sandbox runs; any other `$` option is refused, as Dataverse refuses `$skip`. */
const SUPPORTED = new Set(['$select', '$filter', '$orderby', '$top', '$skiptoken']);

/** Reads and checks a request's query options against the table: an unknown column is refused like Dataverse does. */
export function readQueryOptions(params: URLSearchParams, table: Table): QueryOptions {
  for (const key of new Set(params.keys())) {
    if (key.startsWith('$') && !SUPPORTED.has(key)) {
      throw new ODataQueryError(`The query parameter '${key}' is not supported.`);
    }
    if (params.getAll(key).length > 1) throw new ODataQueryError(`Query option '${key}' was specified more than once.`);
  }
  const select = params.has('$select') ? parseSelect(params.get('$select')!) : undefined;
  for (const column of select ?? []) columnType(table, column);
  const filter = params.has('$filter') ? parseFilter(params.get('$filter')!) : undefined;
  if (filter) checkFilter(filter, table, undefined);
  const orderBy = params.has('$orderby') ? parseOrderBy(params.get('$orderby')!) : [];
  for (const item of orderBy) {
    if (item.path.length !== 1)
      throw new ODataQueryError('Ordering by columns of related tables is not supported here.');
    columnType(table, item.path[0]!);
  }
  const top = params.has('$top') ? parseTop(params.get('$top')!) : undefined;
  return { select, filter, orderBy, top };
}

/** The rows of `table` the options select, in their order, cut to `$top`. */
export function runQuery(data: ODataRows, table: Table, options: QueryOptions): Row[] {
  let rows = data.rows(table.name);
  if (options.filter) rows = rows.filter((row) => matches(data, table, row, options.filter!, new Map()));
  if (options.orderBy.length > 0) rows = [...rows].sort((a, b) => compareRows(a, b, options.orderBy));
  return options.top === undefined ? rows : rows.slice(0, options.top);
}

/**
 * A row as the Web API returns it: `@odata.etag`, the selected columns (all when there is no `$select`) and always
 * the primary key, an empty column as `null`.
 */
export function presentRow(table: Table, row: Row, select: string[] | undefined): Record<string, unknown> {
  const columns = select ?? Object.keys(table.columns);
  const shown: Record<string, unknown> = { '@odata.etag': `W/"${etagOf(row)}"` };
  for (const column of columns) shown[column] = row[column] ?? null;
  shown[table.key] = row[table.key] ?? null;
  return shown;
}

function etagOf(row: Row): number {
  let hash = 0;
  for (const char of JSON.stringify(row)) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return hash % 100_000_000;
}

const EDM: Record<ColumnType, string> = {
  guid: 'Edm.Guid',
  string: 'Edm.String',
  memo: 'Edm.String',
  int: 'Edm.Int32',
  datetime: 'Edm.DateTimeOffset',
  bool: 'Edm.Boolean',
};
const LITERAL_EDM: Record<Literal['type'], string> = {
  string: 'Edm.String',
  number: 'Edm.Int32',
  guid: 'Edm.Guid',
  datetime: 'Edm.DateTimeOffset',
  bool: 'Edm.Boolean',
  null: 'null',
};
const OPERATOR_KIND: Record<Operator, string> = {
  eq: 'Equal',
  ne: 'NotEqual',
  gt: 'GreaterThan',
  ge: 'GreaterThanOrEqual',
  lt: 'LessThan',
  le: 'LessThanOrEqual',
};

function columnType(table: Table, column: string): ColumnType {
  const type = Object.hasOwn(table.columns, column) ? table.columns[column] : undefined;
  if (!type) {
    throw new ODataQueryError(
      `Could not find a property named '${column}' on type 'Microsoft.Dynamics.CRM.${table.name}'.`,
    );
  }
  return type;
}

/** The table a lambda's variable ranges over, by name. */
type Scope = Map<string, Table> | undefined;

/** The column a path ends on, and its type: a column, a lookup through a single-valued navigation property, or a variable's column. */
function resolvePath(table: Table, path: string[], scope: Scope): { table: Table; type: ColumnType } {
  const [first, ...rest] = path as [string, ...string[]];
  if (scope?.has(first)) {
    if (rest.length !== 1) throw new ODataQueryError(`'${path.join('/')}' is not a property of the range variable.`);
    const variableTable = scope.get(first)!;
    return { table: variableTable, type: columnType(variableTable, rest[0]!) };
  }
  if (rest.length === 0) return { table, type: columnType(table, first) };
  const navigation = table.single?.[first];
  if (!navigation || rest.length !== 1) {
    throw new ODataQueryError(
      `Could not find a property named '${first}' on type 'Microsoft.Dynamics.CRM.${table.name}'.`,
    );
  }
  const target = TABLES[navigation.table]!;
  return { table: target, type: columnType(target, rest[0]!) };
}

/** Checks every path and literal of a filter before any row is read, as Dataverse validates the query first. */
function checkFilter(filter: Filter, table: Table, scope: Scope): void {
  switch (filter.kind) {
    case 'and':
    case 'or':
      for (const term of filter.terms) checkFilter(term, table, scope);
      return;
    case 'not':
      return checkFilter(filter.term, table, scope);
    case 'compare': {
      const { type } = resolvePath(table, filter.path, scope);
      if (filter.value.type !== 'null' && LITERAL_EDM[filter.value.type] !== EDM[type]) {
        throw new ODataQueryError(
          `A binary operator with incompatible types was detected. Found operand types '${EDM[type]}' and ` +
            `'${LITERAL_EDM[filter.value.type]}' for operator kind '${OPERATOR_KIND[filter.op]}'.`,
        );
      }
      return;
    }
    case 'function': {
      const { type } = resolvePath(table, filter.path, scope);
      if (type !== 'string' && type !== 'memo') {
        throw new ODataQueryError(
          `No function signature for the function with name '${filter.name}' matches the arguments.`,
        );
      }
      return;
    }
    case 'lambda': {
      if (filter.path.length !== 1 || !table.collections?.[filter.path[0]!]) {
        throw new ODataQueryError(
          `'${filter.path.join('/')}' is not a collection-valued navigation property of 'Microsoft.Dynamics.CRM.${table.name}'.`,
        );
      }
      if (filter.body) {
        const related = TABLES[table.collections[filter.path[0]!]!.table]!;
        checkFilter(filter.body, table, new Map([...(scope ?? []), [filter.variable!, related]]));
      }
      return;
    }
  }
}

function matches(data: ODataRows, table: Table, row: Row, filter: Filter, variables: Map<string, Row>): boolean {
  switch (filter.kind) {
    case 'and':
      return filter.terms.every((term) => matches(data, table, row, term, variables));
    case 'or':
      return filter.terms.some((term) => matches(data, table, row, term, variables));
    case 'not':
      return !matches(data, table, row, filter.term, variables);
    case 'compare':
      return compare(valueAt(data, table, row, filter.path, variables), filter.op, filter.value);
    case 'function': {
      const value = valueAt(data, table, row, filter.path, variables);
      return typeof value === 'string' && likePattern(filter.name, filter.pattern).test(value);
    }
    case 'lambda': {
      const navigation = table.collections![filter.path[0]!]!;
      const relatedTable = TABLES[navigation.table]!;
      const related = data.rows(navigation.table).filter((other) => other[navigation.column] === row[table.key]);
      if (!filter.body) return related.length > 0;
      const test = (other: Row) =>
        matches(data, relatedTable, other, filter.body!, new Map([...variables, [filter.variable!, other]]));
      return filter.quantifier === 'any' ? related.some(test) : related.every(test);
    }
  }
}

function valueAt(data: ODataRows, table: Table, row: Row, path: string[], variables: Map<string, Row>): Row[string] {
  const [first, ...rest] = path as [string, ...string[]];
  if (variables.has(first)) return variables.get(first)![rest[0]!] ?? null;
  if (rest.length === 0) return row[first] ?? null;
  const navigation = table.single![first]!;
  const id = row[navigation.column];
  if (typeof id !== 'string') return null;
  if (navigation.typeColumn && row[navigation.typeColumn] !== navigation.table) return null;
  return data.row(navigation.table, id)?.[rest[0]!] ?? null;
}

/** String comparisons are case-insensitive ("Filter rows using OData": "All filters using string values are case insensitive"). */
function compare(value: Row[string], op: Operator, literal: Literal): boolean {
  if (literal.type === 'null') return op === 'eq' ? value === null : op === 'ne' ? value !== null : false;
  if (value === null) return op === 'ne';
  const order = compareValues(value, 'value' in literal ? literal.value : null);
  switch (op) {
    case 'eq':
      return order === 0;
    case 'ne':
      return order !== 0;
    case 'gt':
      return order > 0;
    case 'ge':
      return order >= 0;
    case 'lt':
      return order < 0;
    case 'le':
      return order <= 0;
  }
}

function compareValues(a: unknown, b: unknown): number {
  if (typeof a === 'string' && typeof b === 'string') {
    const isDate = /^\d{4}-\d{2}-\d{2}T/.test(a) && /^\d{4}-\d{2}-\d{2}T/.test(b);
    if (isDate) return Date.parse(a) - Date.parse(b);
    const [x, y] = [a.toLowerCase(), b.toLowerCase()];
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  return 0;
}

/**
 * `contains`, `startswith` and `endswith` are SQL LIKE conditions with its wildcards: `%` any string, `_` one
 * character, `[abc]` one of a set, `[^abc]` one not in it ("Use wildcard characters in conditions for string values",
 * https://learn.microsoft.com/en-us/power-apps/developer/data-platform/wildcard-characters); case-insensitive.
 */
function likePattern(name: 'contains' | 'startswith' | 'endswith', pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i]!;
    if (char === '%') source += '[\\s\\S]*';
    else if (char === '_') source += '[\\s\\S]';
    else if (char === '[') {
      const end = pattern.indexOf(']', i + 2);
      if (end === -1) {
        source += '\\[';
        continue;
      }
      const body = pattern.slice(i + 1, end);
      const negated = body.startsWith('^');
      const set = (negated ? body.slice(1) : body).replace(/[\\\]^]/g, (c) => `\\${c}`);
      source += `[${negated ? '^' : ''}${set}]`;
      i = end;
    } else source += char.replace(/[.*+?^${}()|\\/]/g, (c) => `\\${c}`);
  }
  const anchored =
    name === 'contains'
      ? `^[\\s\\S]*${source}[\\s\\S]*$`
      : name === 'startswith'
        ? `^${source}[\\s\\S]*$`
        : `^[\\s\\S]*${source}$`;
  return new RegExp(anchored, 'iu');
}

/** SQL Server's order: empty values first ascending, last descending. */
function compareRows(a: Row, b: Row, orderBy: OrderItem[]): number {
  for (const { path, descending } of orderBy) {
    const x = a[path[0]!] ?? null;
    const y = b[path[0]!] ?? null;
    let order = x === null && y === null ? 0 : x === null ? -1 : y === null ? 1 : compareValues(x, y);
    if (descending) order = -order;
    if (order !== 0) return order;
  }
  return 0;
}
