/**
 * The bare reference the bridge is measured against: one Fastify route and undici's `request` on a keep-alive Pool,
 * making the same Zendesk calls as the bridge for examples/zendesk-request.json (zendesk-calls.ts) and the same mapping
 * (the connector's own mapping functions, finaliseInteraction, mergeInteractions). It honours the one rule of the
 * product that shapes latency: at most CRM_MAX_IN_FLIGHT_PER_REQUEST (default 6) CRM calls of one request in flight at
 * once (docs/contract.md, "The CRM's API budget"), so the example's comment reads take two turns here as in the bridge.
 * Nothing else: no validation, no deadline, no retries, no breaker, no metrics, no logging, and only the path that
 * example takes. It is the floor, not a second implementation; bench/run.ts checks that both answer the example
 * identically.
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
import { loopbackUrl, serveParent } from '../processes/child.js';
import { CRM_CONNECTIONS_PER_ORIGIN } from '../../libs/crm-http/src/undici-transport.js';
import { DEFAULT_CRM_HTTP_SETTINGS } from '../../libs/crm-http/src/crm-http-settings.js';
import { readZendeskExample } from './zendesk-calls.js';

const sandbox = new URL(process.env.BENCH_SANDBOX_URL!);
const pool = new Pool(sandbox.origin, { connections: CRM_CONNECTIONS_PER_ORIGIN });
const web = { webUrlTemplate: 'https://{subdomain}.zendesk.com' };
const MAX_ITEMS = 50;
const NOTE_TICKETS = 10;
const DESCRIPTION_MAX_LENGTH = 500;
const MAX_IN_FLIGHT = Number(
  process.env.CRM_MAX_IN_FLIGHT_PER_REQUEST ?? DEFAULT_CRM_HTTP_SETTINGS.maxInFlightPerRequest,
);

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

/** `call`, run at most `limit` at a time: the others wait, in order, for a free slot. */
function bounded<A extends unknown[], T>(limit: number, call: (...args: A) => Promise<T>): (...args: A) => Promise<T> {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async (...args) => {
    // A finished call hands its slot straight to the next in line, so `running` never exceeds `limit`.
    if (running < limit) running++;
    else await new Promise<void>((resolve) => waiting.push(resolve));
    try {
      return await call(...args);
    } finally {
      const next = waiting.shift();
      if (next) next();
      else running--;
    }
  };
}

const app = Fastify();
app.post('/zendesk/interactions', async (request) => {
  const { auth, data } = request.body as Body;
  const { subdomain, authorization } = readZendeskCredentials(auth);
  const api = `/zendesk/${subdomain}/api/v2`;
  const { tickets, comments } = await readZendeskExample(
    bounded(MAX_IN_FLIGHT, (path: string) => get(`${api}${path}`, authorization)),
    data.contact_external_id,
    { maxItems: MAX_ITEMS, noteTickets: NOTE_TICKETS },
  );
  const site = { ...web, subdomain };
  const notes = comments.map(({ ticket, comments }) =>
    comments
      .filter((comment) => comment.public === false)
      .map((comment) => zendeskNoteToInteraction(comment, ticket, site)),
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
