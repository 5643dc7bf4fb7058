import type { HubspotPortalData } from '../../apps/crm-sandbox/src/hubspot/model.js';
import type { ZendeskTenantData, ZendeskTicket } from '../../apps/crm-sandbox/src/zendesk/model.js';

/**
 * What the bridge should answer for each caller of a generated population, computed from the data the sandbox
 * serves and the bridge's documented rules, not from the bridge: item ids as Talkdesk receives them (`case:123`).
 *
 * - Zendesk: the user's requested tickets, newest first by `created_at` (ties: higher id first), as far as the bridge
 *   pages (10 pages of MAX_ITEMS_PER_TYPE); `case` the newest MAX_ITEMS_PER_TYPE tickets that are not tasks, `task`
 *   the newest MAX_ITEMS_PER_TYPE of type task; `note` the internal notes (comments with `public: false`) among the
 *   newest MAX_ITEMS_PER_TYPE comments of the newest ZENDESK_NOTE_TICKETS tickets of any type, the newest
 *   MAX_ITEMS_PER_TYPE of them.
 * - HubSpot: the contact's associated tickets (`case`), tasks, calls and notes, each the newest MAX_ITEMS_PER_TYPE by
 *   creation (ties: lower id first).
 */
export interface Expected {
  /** Every case, task and call: a pop is complete when it has all of them. */
  required: string[];
  /** Internal notes, counted for recall. */
  notes: string[];
}

export interface Caller {
  /** The population index. */
  index: number;
  /** The CRM's id of the customer: what a pop by id carries as `contact_external_id`. */
  crmId: string;
  /** What a pop carries as `contact_phones`. */
  e164: string;
  expected: Expected;
}

export interface TruthRules {
  /** MAX_ITEMS_PER_TYPE (default 50). */
  maxItemsPerType: number;
  /** ZENDESK_NOTE_TICKETS (default 10). */
  zendeskNoteTickets: number;
}

export const DEFAULT_TRUTH_RULES: TruthRules = { maxItemsPerType: 50, zendeskNoteTickets: 10 };

/** How far back the Zendesk connector pages through a user's tickets. */
const ZENDESK_TICKET_PAGES = 10;

/** The E.164 form of a generated US number, however it is spelled. */
function e164(phone: string): string {
  return `+1${phone.replace(/\D/g, '').slice(-10)}`;
}

/** The population's end users, in population order (ascending id), with what a pop for each should answer. */
export function zendeskCallers(tenant: ZendeskTenantData, rules: TruthRules = DEFAULT_TRUTH_RULES): Caller[] {
  const limit = rules.maxItemsPerType;
  const threads = new Map<number, ZendeskTenantData['threads']>();
  for (const thread of tenant.threads) {
    const list = threads.get(thread.ticket.requester_id) ?? [];
    list.push(thread);
    threads.set(thread.ticket.requester_id, list);
  }
  const newestFirst = (a: ZendeskTicket, b: ZendeskTicket) =>
    a.created_at < b.created_at ? 1 : a.created_at > b.created_at ? -1 : b.id - a.id;
  return tenant.users
    .filter((user) => user.role === 'end-user' && user.active && !user.suspended && user.phone !== null)
    .sort((a, b) => a.id - b.id)
    .map((user, index) => {
      const read = [...(threads.get(user.id) ?? [])]
        .sort((a, b) => newestFirst(a.ticket, b.ticket))
        .slice(0, ZENDESK_TICKET_PAGES * Math.min(100, limit));
      const cases = read.filter(({ ticket }) => ticket.type !== 'task').slice(0, limit);
      const tasks = read.filter(({ ticket }) => ticket.type === 'task').slice(0, limit);
      const notes = read
        .slice(0, rules.zendeskNoteTickets)
        .flatMap(({ comments }) =>
          [...comments]
            .sort((a, b) => (a.created_at < b.created_at ? 1 : a.created_at > b.created_at ? -1 : b.id - a.id))
            .slice(0, Math.min(100, limit))
            .filter((comment) => !comment.public),
        )
        .sort((a, b) => (a.created_at < b.created_at ? 1 : a.created_at > b.created_at ? -1 : a.id - b.id))
        .slice(0, limit);
      return {
        index,
        crmId: String(user.id),
        e164: e164(user.phone!),
        expected: {
          required: [
            ...cases.map(({ ticket }) => `case:${ticket.id}`),
            ...tasks.map(({ ticket }) => `task:${ticket.id}`),
          ],
          notes: notes.map((comment) => `note:${comment.id}`),
        },
      };
    });
}

const HUBSPOT_TYPES = [
  ['tickets', 'case'],
  ['tasks', 'task'],
  ['calls', 'call'],
  ['notes', 'note'],
] as const;

/** The portal's contacts with a phone, in population order (ascending id), with what a pop for each should answer. */
export function hubspotCallers(portal: HubspotPortalData, rules: TruthRules = DEFAULT_TRUTH_RULES): Caller[] {
  const limit = rules.maxItemsPerType;
  const created = new Map<string, string>();
  for (const [objects] of HUBSPOT_TYPES)
    for (const record of portal.objects[objects]) created.set(`${objects}:${record.id}`, record.createdAt);
  const associated = new Map<string, string[]>();
  for (const { contactId, toType, toId } of portal.associations) {
    const key = `${contactId}:${toType}`;
    const ids = associated.get(key);
    if (ids) ids.push(toId);
    else associated.set(key, [toId]);
  }
  return portal.objects.contacts
    .filter((contact) => contact.properties.phone)
    .sort((a, b) => compareNumericIds(a.id, b.id))
    .map((contact, index) => {
      const newest = (objects: (typeof HUBSPOT_TYPES)[number][0], type: string) =>
        (associated.get(`${contact.id}:${objects}`) ?? [])
          .map((id) => ({ id, at: created.get(`${objects}:${id}`)! }))
          .sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : compareNumericIds(a.id, b.id)))
          .slice(0, limit)
          .map(({ id }) => `${type}:${id}`);
      return {
        index,
        crmId: contact.id,
        e164: e164(contact.properties.phone!),
        expected: {
          required: [...newest('tickets', 'case'), ...newest('tasks', 'task'), ...newest('calls', 'call')],
          notes: newest('notes', 'note'),
        },
      };
    });
}

function compareNumericIds(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}
