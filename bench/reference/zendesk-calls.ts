/**
 * The reference's CRM calls for examples/zendesk-request.json, all in this one place: what the bridge's Zendesk
 * connector asks the CRM for that example, in the same order and with the same dependencies, and nothing else. When
 * the connector's calls change (fewer per pop, a sideload instead of a loop), change them here too; bench/run.ts
 * fails when the two answers differ, and prints both sides' CRM calls per pop, counted by the sandbox.
 */
import type { UpstreamRecord } from '../../libs/interactions/src/upstream-payload.js';

/** One GET of the Zendesk API (path under /api/v2), parsed JSON back; the caller bounds how many run at once. */
export type ZendeskGet = (path: string) => Promise<Record<string, unknown>>;

/** What the mapping needs: the user's requested tickets, and each note ticket with its comments. */
export interface ZendeskExampleReads {
  tickets: UpstreamRecord[];
  comments: { ticket: UpstreamRecord; comments: UpstreamRecord[] }[];
}

/**
 * The user by external id, then their requested tickets, newest first, then the comments of the newest
 * `noteTickets` tickets, concurrently (3 round trips in sequence when nothing bounds the fan-out).
 */
export async function readZendeskExample(
  get: ZendeskGet,
  externalId: string,
  { maxItems, noteTickets }: { maxItems: number; noteTickets: number },
): Promise<ZendeskExampleReads> {
  const { user } = (await get(`/users/${encodeURIComponent(externalId)}`)) as { user: UpstreamRecord };
  const { tickets } = (await get(
    `/users/${encodeURIComponent(String(user.id))}/tickets/requested?sort_by=created_at&sort_order=desc&per_page=${maxItems}`,
  )) as { tickets: UpstreamRecord[] };
  const comments = await Promise.all(
    tickets.slice(0, noteTickets).map(async (ticket) => {
      const { comments } = (await get(`/tickets/${ticket.id}/comments?sort_order=desc&per_page=${maxItems}`)) as {
        comments: UpstreamRecord[];
      };
      return { ticket, comments };
    }),
  );
  return { tickets, comments };
}
