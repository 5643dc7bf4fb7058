import { ODataQueryError } from './odata-lexer.js';
import { presentRow, readQueryOptions, runQuery } from './odata-engine.js';
import { parseSelect } from './odata-parser.js';
import type { DynamicsOrg } from './org.js';
import { TABLE_BY_SET } from './schema.js';

/** An answer of the Web API: status, JSON body (undefined for none), and headers. */
export interface Answer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** Dataverse's error body ("Compose HTTP requests and handle errors", Parse errors from the response). */
export function dataverseError(status: number, code: string, message: string): Answer {
  return { status, body: { error: { code, message } } };
}

const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/**
 * One Web API request of an org (alone, or a part of a `$batch`): `path` is what follows the org's host, query
 * included (`/api/data/v9.2/contacts?$select=…`); `root` is the org's service root as the caller reached it, for
 * `@odata.context` and `@odata.nextLink`. Served: `GET WhoAmI`, `GET {set}({id})` with `$select`, and `GET {set}`
 * with `$select`, `$filter`, `$orderby` and `$top`, in pages of `pageSize` with an `@odata.nextLink`.
 */
export function answerWebApi(org: DynamicsOrg, method: string, path: string, root: string, pageSize: number): Answer {
  const url = new URL(path, 'http://sandbox.invalid');
  const match = /^\/api\/data\/(v9\.[0-2])\/([^/]+)$/.exec(url.pathname);
  if (!match) return dataverseError(404, '0x80060888', `Resource not found for the segment '${url.pathname}'.`);
  const resource = decodeURIComponent(match[2]!);
  if (method !== 'GET') {
    return dataverseError(405, '0x80060888', `The requested resource does not support http method '${method}'.`);
  }
  try {
    if (resource === 'WhoAmI') {
      return {
        status: 200,
        body: {
          '@odata.context': `${root}/$metadata#Microsoft.Dynamics.CRM.WhoAmIResponse`,
          BusinessUnitId: org.organizationId,
          UserId: org.userId,
          OrganizationId: org.organizationId,
        },
      };
    }
    const single = /^([a-z]+)\(([^)]*)\)$/.exec(resource);
    if (single) return readOne(org, single[1]!, single[2]!, url.searchParams, root);
    return readMany(org, resource, url.searchParams, root, pageSize);
  } catch (thrown) {
    if (thrown instanceof ODataQueryError) return dataverseError(400, '0x80060888', thrown.message);
    throw thrown;
  }
}

function readOne(org: DynamicsOrg, set: string, key: string, params: URLSearchParams, root: string): Answer {
  const table = TABLE_BY_SET[set];
  if (!table) return dataverseError(404, '0x80060888', `Resource not found for the segment '${set}'.`);
  for (const option of params.keys()) {
    if (option.startsWith('$') && option !== '$select') {
      throw new ODataQueryError(`The query parameter '${option}' is not supported on a single row here.`);
    }
  }
  if (!GUID.test(key)) {
    return dataverseError(400, '0x80060888', `Bad Request - Error in query syntax: '${key}' is not a valid key.`);
  }
  const select = params.has('$select') ? parseSelect(params.get('$select')!) : undefined;
  readQueryOptions(new URLSearchParams(select ? { $select: select.join(',') } : {}), table);
  const row = org.row(table.name, key.toLowerCase());
  if (!row) return dataverseError(404, '0x80040217', `${table.name} With Id = ${key.toLowerCase()} Does Not Exist`);
  return {
    status: 200,
    body: {
      '@odata.context': `${root}/$metadata#${set}(${(select ?? []).join(',')})/$entity`,
      ...presentRow(table, row, select),
    },
  };
}

/**
 * A collection query. Dataverse "may" return up to 5,000 rows a request ("Page results using OData",
 * https://learn.microsoft.com/en-us/power-apps/developer/data-platform/webapi/query/page-results); the stand-in
 * returns `pageSize`, `$top` or not, with an `@odata.nextLink` (the same options and a `$skiptoken`) to the rest, so
 * a connector must follow it.
 */
function readMany(org: DynamicsOrg, set: string, params: URLSearchParams, root: string, pageSize: number): Answer {
  const table = TABLE_BY_SET[set];
  if (!table) return dataverseError(404, '0x80060888', `Resource not found for the segment '${set}'.`);
  const options = readQueryOptions(params, table);
  const rows = runQuery(org, table, options);
  const page = pageOf(params.get('$skiptoken'));
  if (page === undefined) return dataverseError(400, '0x80060888', 'The $skiptoken is not a paging cookie.');
  const offset = (page - 1) * pageSize;
  const body: Record<string, unknown> = {
    '@odata.context': `${root}/$metadata#${set}(${(options.select ?? []).join(',')})`,
    value: rows.slice(offset, offset + pageSize).map((row) => presentRow(table, row, options.select)),
  };
  if (offset + pageSize < rows.length) {
    const next = new URLSearchParams(params);
    next.set('$skiptoken', `<cookie pagenumber="${page + 1}" istracking="False" />`);
    body['@odata.nextLink'] = `${root}/${set}?${next.toString().replaceAll('+', '%20')}`;
  }
  return { status: 200, body };
}

/** The page a `$skiptoken` paging cookie names; 1 without one. */
function pageOf(skiptoken: string | null): number | undefined {
  if (skiptoken === null) return 1;
  const page = /^<cookie pagenumber="(\d{1,6})" istracking="False" \/>$/.exec(skiptoken)?.[1];
  return page === undefined || Number(page) < 2 ? undefined : Number(page);
}
