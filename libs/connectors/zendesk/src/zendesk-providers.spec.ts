import { describe, expect, it } from 'vitest';
import type { CrmCall, CrmHttpClient } from '#crm-http';
import { Deadline, ForbiddenError, PartialInteractions, UpstreamError, type Contact } from '#interactions';
import { ZendeskApi } from './zendesk-api.js';
import type { ZendeskConfig } from './zendesk-config.js';
import { ZendeskCaseProvider } from './zendesk-case.provider.js';
import { ZendeskNoteProvider } from './zendesk-note.provider.js';
import { ZendeskTaskProvider } from './zendesk-task.provider.js';

const BASE = 'https://acme.zendesk.com';
const config: ZendeskConfig = {
  apiUrlTemplate: 'https://{subdomain}.zendesk.com',
  webUrlTemplate: 'https://{subdomain}.zendesk.com',
  noteTickets: 3,
};
const contact: Contact = { id: '42', emails: [], phones: [] };

/** 120 requested tickets, newest first; every fourth is a task; offset pages with absolute next_page links. */
const tickets = Array.from({ length: 120 }, (_, n) => ({
  id: 1000 - n,
  subject: `Ticket ${1000 - n}`,
  type: n % 4 === 3 ? 'task' : 'incident',
  status: 'open',
  priority: 'normal',
  created_at: new Date(Date.UTC(2026, 9, 1) - n * 3_600_000).toISOString(),
}));

/** A CrmHttpClient that answers from the tickets above and records every call. */
function fakeHttp() {
  const calls: string[] = [];
  const http = {
    request: async (call: CrmCall) => {
      const url = new URL(call.url);
      for (const [key, value] of Object.entries(call.params ?? {}))
        if (value !== undefined) url.searchParams.set(key, String(value));
      calls.push(`${url.pathname}?${url.searchParams}`);
      const comments = url.pathname.match(/\/tickets\/(\d+)\/comments$/);
      if (comments) {
        return {
          comments: [
            { id: Number(comments[1]) * 10, public: false, plain_body: 'internal', created_at: '2026-10-01T00:00:00Z' },
          ],
        };
      }
      const perPage = Number(url.searchParams.get('per_page'));
      const page = Number(url.searchParams.get('page') ?? 1);
      const slice = tickets.slice((page - 1) * perPage, page * perPage);
      const next =
        page * perPage < tickets.length ? `${BASE}${url.pathname}?page=${page + 1}&per_page=${perPage}` : null;
      return { tickets: slice, next_page: next, count: tickets.length };
    },
  };
  return { http: http as unknown as CrmHttpClient, calls };
}

/** The fake above, except that the calls `when` picks throw `error`. */
function failingWhen(when: (call: CrmCall) => boolean, error: Error): CrmHttpClient {
  const { http } = fakeHttp();
  return {
    request: async (call: CrmCall, context: unknown) => {
      if (when(call)) throw error;
      return (http as unknown as { request: (c: CrmCall, x: unknown) => Promise<unknown> }).request(call, context);
    },
  } as unknown as CrmHttpClient;
}

function session(http: CrmHttpClient) {
  const deadline = new Deadline(1000);
  return new ZendeskApi(http, { subdomain: 'acme', authorization: 'Bearer t' }, config.apiUrlTemplate, {
    requestId: 'r',
    connector: 'zendesk',
    deadline,
  });
}

describe('Zendesk ticket providers', () => {
  it('share the pages of one request: each page read once, at MAX_ITEMS_PER_TYPE per page, however they interleave', async () => {
    const { http, calls } = fakeHttp();
    const api = session(http);
    // Notes first: the provider that reads the fewest tickets must not set a smaller page size for the others.
    const [notes, cases, tasks] = (
      await Promise.all([
        new ZendeskNoteProvider(config).fetchInteractions(api, contact, 20),
        new ZendeskCaseProvider(config).fetchInteractions(api, contact, 20),
        new ZendeskTaskProvider(config).fetchInteractions(api, contact, 20),
      ])
    ).map(PartialInteractions.itemsOf);
    expect(cases).toHaveLength(20);
    expect(tasks).toHaveLength(20);
    expect(notes).toHaveLength(3); // ZENDESK_NOTE_TICKETS tickets, one internal note each
    const pages = calls.filter((call) => call.includes('/tickets/requested'));
    expect(new Set(pages).size).toBe(pages.length);
    // 20 tasks at one in four need 80 tickets: four pages of 20, and no more.
    expect(pages).toHaveLength(4);
    expect(pages.every((call) => call.includes('per_page=20'))).toBe(true);
  });

  it('stops paging once it has enough of its kind', async () => {
    const { http, calls } = fakeHttp();
    const cases = PartialInteractions.itemsOf(
      await new ZendeskCaseProvider(config).fetchInteractions(session(http), contact, 10),
    );
    expect(cases.map((item) => item.id)).toEqual(
      tickets
        .filter((t) => t.type !== 'task')
        .slice(0, 10)
        .map((t) => String(t.id)),
    );
    expect(calls).toHaveLength(2); // 10 tickets a page, three in four are cases: two pages
  });

  it("keeps the notes of the other tickets when one ticket's comments fail, and says what failed", async () => {
    const failing = failingWhen(
      (call) => call.url.endsWith('/tickets/999/comments'),
      new ForbiddenError('zendesk refused a read (HTTP 403)'),
    );
    const answer = await new ZendeskNoteProvider(config).fetchInteractions(session(failing), contact, 20);
    expect(answer).toBeInstanceOf(PartialInteractions);
    const partial = answer as PartialInteractions;
    expect(partial.items.map((note) => note.url?.split('/').pop()).sort()).toEqual(['1000', '998']);
    expect(partial.failures).toEqual([expect.any(ForbiddenError)]);
  });

  it('keeps the tickets of the pages that arrived when a later page fails', async () => {
    const failing = failingWhen(
      (call) => call.url.includes('page=2'),
      new UpstreamError('zendesk failed with HTTP 500'),
    );
    const answer = await new ZendeskCaseProvider(config).fetchInteractions(session(failing), contact, 20);
    expect(answer).toBeInstanceOf(PartialInteractions);
    // Page 1 holds 20 tickets, 15 of them cases.
    expect((answer as PartialInteractions).items).toHaveLength(15);
  });
});
