import { describe, expect, it } from 'vitest';
import type { CrmCall, CrmHttpClient } from '#crm-http';
import {
  Deadline,
  ForbiddenError,
  PartialInteractions,
  RateLimitedError,
  UpstreamError,
  type Contact,
  type TalkdeskInteraction,
} from '#interactions';
import { FreshdeskApi, MAX_CONVERSATION_PAGES, readFreshdeskRefusal } from './freshdesk-api.js';
import { FreshdeskCallProvider } from './freshdesk-call.provider.js';
import { FreshdeskCaseProvider } from './freshdesk-case.provider.js';
import type { FreshdeskConfig } from './freshdesk-config.js';
import { readFreshdeskCredentials } from './freshdesk-credentials.js';
import { FreshdeskListCooldowns } from './freshdesk-list-cooldowns.js';
import { FreshdeskNoteProvider } from './freshdesk-note.provider.js';

const config: FreshdeskConfig = {
  apiUrlTemplate: 'https://{domain}.freshdesk.com',
  webUrlTemplate: 'https://{domain}.freshdesk.com',
  noteTickets: 3,
};
const contact: Contact = { id: '42', emails: [], phones: [] };

/** 120 requested tickets, newest first; every fourth came by phone. */
const tickets = Array.from({ length: 120 }, (_, n) => ({
  id: 1000 - n,
  subject: `Ticket ${1000 - n}`,
  source: n % 4 === 3 ? 3 : 1,
  status: 2,
  priority: 2,
  created_at: new Date(Date.UTC(2026, 9, 1) - n * 3_600_000).toISOString(),
}));

/** A CrmHttpClient over the tickets above, with `link` headers, conversations oldest first; records every call. */
function fakeHttp(fail?: (call: CrmCall) => Error | undefined) {
  const calls: string[] = [];
  const http = {
    request: async (call: CrmCall) => {
      const url = new URL(call.url);
      for (const [key, value] of Object.entries(call.params ?? {})) url.searchParams.set(key, String(value));
      calls.push(`${url.pathname}?${url.searchParams}`);
      const error = fail?.(call);
      if (error) throw error;
      const perPage = Number(url.searchParams.get('per_page'));
      const page = Number(url.searchParams.get('page'));
      const conversations = /\/tickets\/(\d+)\/conversations$/.exec(url.pathname);
      const all = conversations
        ? Array.from({ length: 2 }, (_, n) => ({
            id: Number(conversations[1]) * 10 + n,
            private: n === 1,
            body: `<p>${n === 1 ? 'private' : 'public'}</p>`,
            created_at: new Date(Date.UTC(2026, 9, 2, n) + Number(conversations[1]) * 60_000).toISOString(),
          }))
        : tickets;
      const slice = all.slice((page - 1) * perPage, page * perPage);
      if (page * perPage < all.length)
        call.onResponseHeaders?.({ link: `<${url.origin}${url.pathname}?page=${page + 1}>; rel="next"` });
      else call.onResponseHeaders?.({});
      return slice;
    },
  };
  return { http: http as unknown as CrmHttpClient, calls };
}

function apiOf(http: CrmHttpClient, cooldowns = new FreshdeskListCooldowns()) {
  return new FreshdeskApi(
    http,
    readFreshdeskCredentials({ domain: 'acme', api_key: 'k' }),
    config.apiUrlTemplate,
    { requestId: 'r', connector: 'freshdesk', deadline: new Deadline(1000) },
    cooldowns,
  );
}

const items = (answer: TalkdeskInteraction[] | PartialInteractions) => PartialInteractions.itemsOf(answer);

describe('Freshdesk providers', () => {
  it('reads the tickets newest first with descriptions, all of them (updated_since), and pages only as needed', async () => {
    const { http, calls } = fakeHttp();
    const answer = items(await new FreshdeskCaseProvider(config).fetchInteractions(apiOf(http), contact, 50));
    expect(answer).toHaveLength(50);
    expect(answer[0]).toMatchObject({ id: '1000', url: 'https://acme.freshdesk.com/a/tickets/1000' });
    // 50 cases need 67 tickets: two pages of 50.
    expect(calls).toEqual(
      [1, 2].map(
        (page) =>
          `/api/v2/tickets?requester_id=42&order_by=created_at&order_type=desc&updated_since=2000-01-01T00%3A00%3A00Z&include=description&per_page=50&page=${page}`,
      ),
    );
  });

  it('case, call and note of one request share the ticket pages', async () => {
    const { http, calls } = fakeHttp();
    const api = apiOf(http);
    const [cases, calls_, notes] = await Promise.all([
      new FreshdeskCaseProvider(config).fetchInteractions(api, contact, 10),
      new FreshdeskCallProvider(config).fetchInteractions(api, contact, 10),
      new FreshdeskNoteProvider(config).fetchInteractions(api, contact, 10),
    ]);
    expect(items(cases).every((item) => item.type === 'case')).toBe(true);
    expect(items(calls_).map((item) => item.id)).toEqual([
      '997',
      '993',
      '989',
      '985',
      '981',
      '977',
      '973',
      '969',
      '965',
      '961',
    ]);
    expect(calls.filter((call) => call.startsWith('/api/v2/tickets?'))).toHaveLength(4); // 40 tickets hold 10 calls
    // Notes: the private conversations of the 3 newest tickets (FRESHDESK_NOTE_TICKETS), one call each.
    expect(items(notes).map((item) => item.id)).toEqual(['10001', '9991', '9981']);
    expect(calls.filter((call) => call.includes('/conversations'))).toHaveLength(3);
  });

  it('follows the link header of conversations, up to MAX_CONVERSATION_PAGES', async () => {
    const endless: CrmHttpClient = {
      request: async (call: CrmCall) => {
        call.onResponseHeaders?.({ link: '<https://acme.freshdesk.com/next>; rel="next"' });
        return [{ id: Number(call.params?.page), private: true, body: 'x', created_at: '2026-10-01T00:00:00Z' }];
      },
    } as unknown as CrmHttpClient;
    expect(await apiOf(endless).conversations('7')).toHaveLength(MAX_CONVERSATION_PAGES);
  });

  it("keeps the notes of the tickets that answered when one ticket's conversations fail", async () => {
    const { http } = fakeHttp((call) =>
      call.url.endsWith('/tickets/999/conversations') ? new ForbiddenError('no access to this ticket') : undefined,
    );
    const answer = await new FreshdeskNoteProvider(config).fetchInteractions(apiOf(http), contact, 10);
    expect(answer).toBeInstanceOf(PartialInteractions);
    expect(items(answer).map((item) => item.id)).toEqual(['10001', '9981']);
  });

  it('keeps the first page when a later one fails', async () => {
    const { http } = fakeHttp((call) => (call.params?.page === 2 ? new UpstreamError('boom') : undefined));
    const answer = await new FreshdeskCaseProvider(config).fetchInteractions(apiOf(http), contact, 50);
    expect(answer).toBeInstanceOf(PartialInteractions);
    expect(items(answer)).toHaveLength(38); // the cases of the first 50 tickets
  });

  it('after a 429 on the tickets list, makes no tickets-list call until Retry-After has passed', async () => {
    let limited = true;
    const { http, calls } = fakeHttp((call) =>
      limited && call.url.endsWith('/tickets') ? new RateLimitedError('429', { retryAfterSeconds: 30 }) : undefined,
    );
    const cooldowns = new FreshdeskListCooldowns();
    let now = 1_000_000;
    cooldowns.now = () => now;
    const provider = new FreshdeskCaseProvider(config);
    await expect(provider.fetchInteractions(apiOf(http, cooldowns), contact, 5)).rejects.toBeInstanceOf(
      RateLimitedError,
    );
    limited = false;
    const refused = provider.fetchInteractions(apiOf(http, cooldowns), contact, 5);
    await expect(refused).rejects.toMatchObject({ retryAfterSeconds: 30 });
    expect(calls).toHaveLength(1);
    now += 30_000;
    expect(items(await provider.fetchInteractions(apiOf(http, cooldowns), contact, 5))).toHaveLength(5);
    expect(calls.length).toBeGreaterThan(1);
  });

  it("reads a 403 as a missing permission, naming Freshdesk's code", () => {
    const refusal = readFreshdeskRefusal(
      403,
      '{"code":"access_denied","message":"You are not authorized to perform this action."}',
    );
    expect(refusal).toBeInstanceOf(ForbiddenError);
    expect((refusal as ForbiddenError).permission).toBe('access_denied');
    expect(readFreshdeskRefusal(403, '<html>')).toBeInstanceOf(ForbiddenError);
    expect(readFreshdeskRefusal(404, '{}')).toBeUndefined();
  });
});
