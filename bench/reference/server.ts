/**
 * The bare reference the bridge is measured against: one Fastify route and undici's `request` on a keep-alive Pool,
 * making the same Zendesk calls as the bridge for examples/zendesk-request.json (the user by external id, their
 * requested tickets, the comments of the newest ZENDESK_NOTE_TICKETS tickets, concurrently) and the same mapping
 * (the connector's own mapping functions, finaliseInteraction, mergeInteractions). Nothing else: no validation,
 * no deadline, no retries, no breaker, no metrics, no logging, and only the path that example takes. It is the
 * floor, not a second implementation; bench/run.ts checks that both answer the example identically.
 */
import Fastify from 'fastify';
import { Pool } from 'undici';
import {
  isTaskTicket,
  zendeskNoteToInteraction,
  zendeskTicketToInteraction,
} from '../../libs/connectors/zendesk/src/zendesk-ticket-mapping.js';
import { readZendeskCredentials } from '../../libs/connectors/zendesk/src/zendesk-credentials.js';
import {
  compareInteractions,
  finaliseInteraction,
  mergeInteractions,
} from '../../libs/interactions/src/interaction-merge.js';
import type { TalkdeskInteraction } from '../../libs/interactions/src/interaction.js';
import type { UpstreamRecord } from '../../libs/interactions/src/upstream-payload.js';
import { loopbackUrl, serveParent } from '../processes/child.js';
import { CRM_CONNECTIONS_PER_ORIGIN } from '../../libs/crm-http/src/undici-adapter.js';

const sandbox = new URL(process.env.BENCH_SANDBOX_URL!);
const pool = new Pool(sandbox.origin, { connections: CRM_CONNECTIONS_PER_ORIGIN });
const web = { webUrlTemplate: 'https://{subdomain}.zendesk.com' };
const MAX_ITEMS = 50;
const NOTE_TICKETS = 10;
const DESCRIPTION_MAX_LENGTH = 500;

interface Body {
  auth: Record<string, string>;
  data: { contact_external_id: string };
}

async function get(path: string, authorization: string): Promise<Record<string, unknown>> {
  const { statusCode, body } = await pool.request({
    method: 'GET',
    path,
    headers: { accept: 'application/json', authorization },
  });
  if (statusCode !== 200) {
    await body.dump();
    throw new Error(`sandbox answered ${path} with ${statusCode}`);
  }
  return (await body.json()) as Record<string, unknown>;
}

const app = Fastify();
app.post('/zendesk/interactions', async (request) => {
  const { auth, data } = request.body as Body;
  const { subdomain, authorization } = readZendeskCredentials(auth);
  const api = `/zendesk/${subdomain}/api/v2`;
  const { user } = (await get(`${api}/users/${encodeURIComponent(data.contact_external_id)}`, authorization)) as {
    user: UpstreamRecord;
  };
  const { tickets } = (await get(
    `${api}/users/${encodeURIComponent(String(user.id))}/tickets/requested?sort_by=created_at&sort_order=desc&per_page=${MAX_ITEMS}`,
    authorization,
  )) as { tickets: UpstreamRecord[] };
  const site = { ...web, subdomain };
  const notes = await Promise.all(
    tickets.slice(0, NOTE_TICKETS).map(async (ticket) => {
      const { comments } = (await get(
        `${api}/tickets/${ticket.id}/comments?sort_order=desc&per_page=${MAX_ITEMS}`,
        authorization,
      )) as {
        comments: UpstreamRecord[];
      };
      return comments
        .filter((comment) => comment.public === false)
        .map((comment) => zendeskNoteToInteraction(comment, ticket, site));
    }),
  );
  const byType: [string, TalkdeskInteraction[]][] = [
    [
      'case',
      tickets
        .filter((ticket) => !isTaskTicket(ticket))
        .slice(0, MAX_ITEMS)
        .map((ticket) => zendeskTicketToInteraction(ticket, 'case', site)),
    ],
    ['note', notes.flat().sort(compareInteractions).slice(0, MAX_ITEMS)],
    [
      'task',
      tickets
        .filter(isTaskTicket)
        .slice(0, MAX_ITEMS)
        .map((ticket) => zendeskTicketToInteraction(ticket, 'task', site)),
    ],
  ];
  const items: TalkdeskInteraction[] = [];
  for (const [type, list] of byType) {
    for (const item of list) {
      const finalised = finaliseInteraction(item, type, DESCRIPTION_MAX_LENGTH);
      if (finalised) items.push(finalised.interaction);
    }
  }
  return mergeInteractions(items);
});

await app.listen({ port: 0, host: '127.0.0.1' });
serveParent(loopbackUrl(app.server.address()));
