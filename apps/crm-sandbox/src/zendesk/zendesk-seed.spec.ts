import { describe, expect, it } from 'vitest';
import { ZENDESK_SANDBOX } from './fixtures.js';
import { TICKET_PRIORITIES, TICKET_STATUSES, type ZendeskTenantData } from './model.js';
import { parseSearchQuery } from './search.js';
import { seedZendeskTenants } from './seed.js';

const tenants = seedZendeskTenants();
const acme = tenants.find((tenant) => tenant.subdomain === 'acme')!;
const globex = tenants.find((tenant) => tenant.subdomain === 'globex')!;
const ticketsOf = (tenant: ZendeskTenantData, userId: number) =>
  tenant.threads.map((thread) => thread.ticket).filter((ticket) => ticket.requester_id === userId);

describe('zendesk sandbox seed', () => {
  it('is deterministic: two seeds are equal', () => {
    expect(seedZendeskTenants()).toEqual(tenants);
    expect(JSON.stringify(seedZendeskTenants())).toBe(JSON.stringify(tenants));
  });

  it('uses fixed Zendesk timestamps between 2025-01 and 2026-10', () => {
    const stamps = tenants.flatMap((tenant) =>
      tenant.threads.flatMap(({ ticket, comments }) => [
        ticket.created_at,
        ticket.updated_at,
        ...(ticket.due_at ? [ticket.due_at] : []),
        ...comments.map((comment) => comment.created_at),
      ]),
    );
    for (const stamp of stamps) {
      expect(stamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      expect(stamp >= '2025-01-01T00:00:00Z' && stamp <= '2026-10-31T23:59:59Z', stamp).toBe(true);
    }
  });

  it('numbers tickets and comments in creation order, without duplicates', () => {
    for (const tenant of tenants) {
      const tickets = tenant.threads.map((thread) => thread.ticket);
      expect(tickets.map((ticket) => ticket.id)).toEqual([...tickets.map((ticket) => ticket.id)].sort((a, b) => a - b));
      expect([...tickets.map((ticket) => ticket.created_at)]).toEqual(
        [...tickets.map((ticket) => ticket.created_at)].sort(),
      );
      const commentIds = tenant.threads.flatMap((thread) => thread.comments.map((comment) => comment.id));
      expect(new Set(commentIds).size).toBe(commentIds.length);
      for (const { ticket, comments } of tenant.threads) {
        expect(comments[0]!.public).toBe(true);
        expect(comments[0]!.plain_body).toBe(ticket.description);
        expect(comments[0]!.created_at).toBe(ticket.created_at);
        expect(ticket.updated_at >= comments[comments.length - 1]!.created_at).toBe(true);
        if (ticket.type !== 'task') expect(ticket.due_at).toBeNull();
      }
    }
  });

  it("covers every priority, status and kind of task across acme's tickets", () => {
    const tickets = acme.threads.map((thread) => thread.ticket);
    expect(new Set(tickets.map((ticket) => ticket.priority))).toEqual(new Set([...TICKET_PRIORITIES, null]));
    expect(new Set(tickets.map((ticket) => ticket.status))).toEqual(new Set(TICKET_STATUSES));
    const tasks = tickets.filter((ticket) => ticket.type === 'task');
    expect(tasks.some((task) => task.due_at !== null)).toBe(true);
    expect(tasks.some((task) => task.due_at === null)).toBe(true);
    expect(new Set(tickets.map((ticket) => ticket.type))).toEqual(
      new Set(['problem', 'incident', 'question', 'task', null]),
    );
  });

  it('gives Jane Doe a handful of tickets of every priority and status, tasks and internal notes', () => {
    const jane = ZENDESK_SANDBOX.acme.users.jane;
    const tickets = ticketsOf(acme, jane.id);
    expect(tickets.length).toBeGreaterThanOrEqual(5);
    expect(new Set(tickets.map((ticket) => ticket.priority))).toEqual(new Set([...TICKET_PRIORITIES, null]));
    expect(new Set(tickets.map((ticket) => ticket.status))).toEqual(new Set(TICKET_STATUSES));
    expect(jane.taskIds.length).toBeGreaterThanOrEqual(1);
    expect(jane.noteTicketIds.length).toBeGreaterThanOrEqual(2);
    const notes = acme.threads
      .filter((thread) => jane.noteTicketIds.includes(thread.ticket.id))
      .flatMap((thread) => thread.comments.filter((comment) => !comment.public));
    expect(notes.every((comment) => /<(strong|em|ul|p)\b/.test(comment.html_body))).toBe(true);
    expect(notes.every((comment) => !/[<>]|&\w+;/.test(comment.plain_body))).toBe(true);
  });

  it('gives the heavy user 80 tickets, 12 of them tasks, with a case beyond the first page of 50', () => {
    const heavy = ZENDESK_SANDBOX.acme.users.heavy;
    expect(heavy.ticketIds).toHaveLength(80);
    expect(heavy.taskIds).toHaveLength(12);
    const newestFirst = ticketsOf(acme, heavy.id).sort((a, b) => b.created_at.localeCompare(a.created_at));
    const firstPage = newestFirst.slice(0, 50);
    expect(firstPage.some((ticket) => ticket.type === 'task')).toBe(true);
    expect(firstPage.map((ticket) => ticket.id)).not.toContain(heavy.caseBeyondFirstPageId);
    const newest50Cases = newestFirst.filter((ticket) => ticket.type !== 'task').slice(0, 50);
    expect(newest50Cases.map((ticket) => ticket.id)).toContain(heavy.caseBeyondFirstPageId);
  });

  it('names the notable users in ZENDESK_SANDBOX consistently with the seed', () => {
    const users = ZENDESK_SANDBOX.acme.users;
    const byId = new Map(acme.users.map((user) => [user.id, user]));
    expect(byId.get(users.jane.id)).toMatchObject({
      name: 'Jane Doe',
      email: 'jane.doe@example.com',
      phone: '+15555555555',
      role: 'end-user',
    });
    expect(users.phoneOnly.length).toBeGreaterThanOrEqual(2);
    expect(new Set(users.phoneOnly.map((user) => user.phone)).size).toBe(users.phoneOnly.length);
    for (const user of users.phoneOnly) {
      expect(byId.get(user.id)).toMatchObject({ email: null, phone: user.phone });
      expect(user.ticketIds.length).toBeGreaterThan(0);
    }
    expect(users.sharedEmail.users).toHaveLength(2);
    for (const user of users.sharedEmail.users) {
      expect(byId.get(user.id)?.email).toBe(users.sharedEmail.email);
      expect(user.ticketIds.length).toBeGreaterThan(0);
    }
    expect(users.sameName.users).toHaveLength(2);
    for (const user of users.sameName.users) expect(byId.get(user.id)?.name).toBe(users.sameName.name);
    expect(acme.users.filter((user) => user.name === users.uniqueName.name)).toHaveLength(1);
    expect(users.noTickets.ticketIds).toEqual([]);
    expect(acme.users[0]!.email).toBe(ZENDESK_SANDBOX.acme.credentials.email);
    expect(acme.users[0]!.id).toBe(ZENDESK_SANDBOX.acme.agent.id);
  });

  it('keeps tenants apart: globex has its own Jane Doe with the same email', () => {
    const acmeJane = ZENDESK_SANDBOX.acme.users.jane;
    const globexJane = ZENDESK_SANDBOX.globex.users.jane;
    expect(globexJane.email).toBe(acmeJane.email);
    expect(globexJane.id).not.toBe(acmeJane.id);
    expect(globexJane.phone).not.toBe(acmeJane.phone);
    expect(globexJane.ticketIds.length).toBeGreaterThan(0);
    const acmeIds = new Set([...acme.users.map((user) => user.id), ...acme.threads.map((thread) => thread.ticket.id)]);
    expect(globex.users.some((user) => acmeIds.has(user.id))).toBe(false);
    expect(globex.threads.some((thread) => acmeIds.has(thread.ticket.id))).toBe(false);
  });
});

describe('zendesk search query syntax', () => {
  it('reads keys, quoted values and bare terms', () => {
    expect(parseSearchQuery('email:jane@example.com')).toEqual([
      { field: 'email', value: 'jane@example.com', quoted: false },
    ]);
    expect(parseSearchQuery('phone:"+1 (415) 555-0132"')).toEqual([
      { field: 'phone', value: '+1 (415) 555-0132', quoted: true },
    ]);
    expect(parseSearchQuery('type:user name:"Alex Morgan" quince')).toEqual([
      { field: 'type', value: 'user', quoted: false },
      { field: 'name', value: 'Alex Morgan', quoted: true },
      { field: undefined, value: 'quince', quoted: false },
    ]);
    expect(parseSearchQuery('   ')).toEqual([]);
  });
});
