/**
 * Zendesk's two ways of paging a list, as its API documents them:
 *
 * - offset: `page` (from 1) and `per_page` (default and maximum 100); the answer has `next_page` and
 *   `previous_page` (absolute URLs or null) and `count` (all matching items);
 * - cursor, chosen by `page[size]` (maximum 100): `page[after]` / `page[before]` take the opaque cursors of
 *   `meta.after_cursor` / `meta.before_cursor`; the answer has `meta.has_more` and `links.next` / `links.prev`.
 *
 * Source: "Pagination" in Zendesk's API reference introduction,
 * https://developer.zendesk.com/api-reference/introduction/pagination/
 */

export const MAX_PAGE_SIZE = 100;

export type Query = Record<string, string>;

/** Builds the absolute URL of this same list with other query parameters. */
export type LinkBuilder = (query: Query) => string;

export class PaginationError extends Error {}

export function isCursorRequest(query: Query): boolean {
  return query['page[size]'] !== undefined || query['page[after]'] !== undefined || query['page[before]'] !== undefined;
}

/** One page of `items` (already in the asked order) under `key`, in the pagination style the query asks for. */
export function paginate<T extends { id: number }>(
  key: string,
  items: readonly T[],
  query: Query,
  link: LinkBuilder,
): Record<string, unknown> {
  return isCursorRequest(query) ? cursorPage(key, items, query, link) : offsetPage(key, items, query, link);
}

export function offsetPage<T>(
  key: string,
  items: readonly T[],
  query: Query,
  link: LinkBuilder,
): Record<string, unknown> {
  const perPage = pageSize(query['per_page']);
  const page = positiveInt(query['page']) ?? 1;
  const start = (page - 1) * perPage;
  const slice = items.slice(start, start + perPage);
  const withPage = (number: number) => link({ ...query, page: String(number), per_page: String(perPage) });
  return {
    [key]: slice,
    next_page: start + perPage < items.length ? withPage(page + 1) : null,
    previous_page: page > 1 ? withPage(Math.min(page - 1, Math.max(1, Math.ceil(items.length / perPage)))) : null,
    count: items.length,
  };
}

export function cursorPage<T extends { id: number }>(
  key: string,
  items: readonly T[],
  query: Query,
  link: LinkBuilder,
): Record<string, unknown> {
  const size = pageSize(query['page[size]']);
  const after = query['page[after]'];
  const before = query['page[before]'];
  let start: number;
  let end: number;
  if (after) {
    start = positionOf(items, after, 'page[after]') + 1;
    end = Math.min(items.length, start + size);
  } else if (before) {
    end = positionOf(items, before, 'page[before]');
    start = Math.max(0, end - size);
  } else {
    start = 0;
    end = Math.min(items.length, size);
  }
  const slice = items.slice(start, end);
  const first = slice[0];
  const last = slice[slice.length - 1];
  const afterCursor = last ? encodeCursor(last.id) : null;
  const beforeCursor = first ? encodeCursor(first.id) : null;
  const rest: Query = { ...query };
  delete rest['page[after]'];
  delete rest['page[before]'];
  rest['page[size]'] = String(size);
  const hasMore = end < items.length;
  return {
    [key]: slice,
    meta: { has_more: hasMore, after_cursor: afterCursor, before_cursor: beforeCursor },
    links: {
      next: hasMore && afterCursor ? link({ ...rest, 'page[after]': afterCursor }) : null,
      prev: start > 0 && beforeCursor ? link({ ...rest, 'page[before]': beforeCursor }) : null,
    },
  };
}

/** Cursors are opaque to clients; here they name the item they stand at. */
export function encodeCursor(id: number): string {
  return Buffer.from(`zd:${id}`).toString('base64url');
}

function positionOf<T extends { id: number }>(items: readonly T[], cursor: string, parameter: string): number {
  const decoded = Buffer.from(cursor, 'base64url').toString();
  const id = /^zd:(\d+)$/.exec(decoded)?.[1];
  const index = id === undefined ? -1 : items.findIndex((item) => item.id === Number(id));
  if (index < 0) throw new PaginationError(`${parameter} is not a valid cursor`);
  return index;
}

function pageSize(raw: string | undefined): number {
  return Math.min(MAX_PAGE_SIZE, positiveInt(raw) ?? MAX_PAGE_SIZE);
}

function positiveInt(raw: string | undefined): number | undefined {
  if (raw === undefined || !/^\d+$/.test(raw.trim())) return undefined;
  const value = Number(raw);
  return value >= 1 ? value : undefined;
}
