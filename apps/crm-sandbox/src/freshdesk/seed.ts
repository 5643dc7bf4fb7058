import type {
  FreshdeskAccountData,
  FreshdeskContactRecord,
  FreshdeskConversationRecord,
  FreshdeskPlan,
  FreshdeskTicketRecord,
} from './model.js';

/**
 * The sandbox's Freshdesk accounts, deterministic: `acme` on the Pro plan and `globex` on Growth (their per-minute
 * limits: "What are the rate limits for the API calls to Freshdesk?",
 * https://support.freshdesk.com/support/solutions/articles/225439). Every date is fixed, and older than 30 days, so a
 * tickets list without `updated_since` (which answers only the past 30 days) finds none of them.
 */
export const PRO_PLAN: FreshdeskPlan = { name: 'Pro', perMinute: 400, ticketsList: 100, contactsList: 100 };
export const GROWTH_PLAN: FreshdeskPlan = { name: 'Growth', perMinute: 200, ticketsList: 20, contactsList: 20 };

/** A person of the seed, as the fixtures name them. */
export interface ContactSpec {
  id: number;
  name: string;
  email: string | null;
  otherEmails?: string[];
  phone?: string | null;
  mobile?: string | null;
  deleted?: true;
}

export const ACME_CONTACTS = {
  jane: {
    id: 48000000101,
    name: 'Jane Doe',
    email: 'jane.doe@example.com',
    otherEmails: ['jane@example.com'],
    phone: '+15555555555',
  },
  heavy: { id: 48000000102, name: 'Hugo Heavy', email: 'hugo.heavy@example.com' },
  /** One number each, stored in another spelling; the last is a spelling the bridge does not ask for. */
  spellings: [
    { id: 48000000111, name: 'Erin E164', email: null, phone: '+14045550131' },
    { id: 48000000112, name: 'Nadia National', email: null, mobile: '(404) 555-0132' },
    { id: 48000000113, name: 'Ivan International', email: null, phone: '+1 404 555 0133' },
    { id: 48000000114, name: 'Dora Digits', email: null, mobile: '4045550134' },
    { id: 48000000115, name: 'Otto Dotted', email: null, phone: '404.555.0135' },
  ],
  sameName: [
    { id: 48000000121, name: 'Alex Morgan', email: 'alex.morgan@example.com' },
    { id: 48000000122, name: 'Alex Morgan', email: 'a.morgan@example.org' },
  ],
  uniqueName: { id: 48000000131, name: 'Priya Raman', email: 'priya.raman@example.com', phone: '+44 20 7946 0958' },
  noTickets: { id: 48000000141, name: 'Quinn Quiet', email: 'quinn.quiet@example.com' },
  secondaryEmail: {
    id: 48000000151,
    name: 'Sam Second',
    email: 'sam.primary@example.com',
    otherEmails: ['sam.secondary@example.com'],
  },
  apostrophe: { id: 48000000161, name: "Aoife O'Brien", email: "aoife.o'brien@example.com" },
  deleted: {
    id: 48000000171,
    name: 'Del Gone',
    email: 'del.gone@example.com',
    phone: '+14045550177',
    deleted: true,
  },
  /** The one Robin Hale, among ten other Robins whose family name starts with "Hale": the autocomplete is cut. */
  crowdedName: { id: 48000000181, name: 'Robin Hale', email: 'robin.hale@example.com' },
} satisfies Record<string, ContactSpec | ContactSpec[]>;

const CROWD = Array.from({ length: 10 }, (_, n): ContactSpec => ({
  id: 48000000190 + n,
  name: `Robin Halen${String.fromCharCode(97 + n)}`,
  email: null,
}));

export const GLOBEX_CONTACTS = {
  /** jane.doe@example.com again, but another contact (other id, name, phone and tickets) than acme's. */
  jane: { id: 77000000101, name: 'Jane D. Globex', email: 'jane.doe@example.com', phone: '+15555550100' },
} satisfies Record<string, ContactSpec>;

const ACME_TICKETS_FROM = 1001;
const GLOBEX_TICKETS_FROM = 5001;

/** `2026-MM-DDTHH:MM:SSZ`, `hours` before 2026-10-31 12:00 UTC. */
function at(hoursBefore: number): string {
  return new Date(Date.UTC(2026, 9, 31, 12) - hoursBefore * 3_600_000).toISOString().replace('.000Z', 'Z');
}

function contact(spec: ContactSpec, index: number): FreshdeskContactRecord {
  return {
    id: spec.id,
    name: spec.name,
    email: spec.email,
    other_emails: spec.otherEmails ?? [],
    phone: spec.phone ?? null,
    mobile: spec.mobile ?? null,
    active: spec.email !== null,
    company_id: null,
    twitter_id: null,
    ...(spec.deleted ? { deleted: true as const } : {}),
    created_at: at(24 * 400 + index),
    updated_at: at(24 * 200 + index),
  };
}

interface TicketSpec {
  subject: string;
  description: string;
  status: number;
  priority: number;
  source: number;
  hoursBefore: number;
  /** Conversations, oldest first: `note` is a private note, `reply` a public reply. */
  thread?: { kind: 'note' | 'reply'; html: string; hoursAfter: number }[];
}

const JANE_TICKETS: TicketSpec[] = [
  {
    subject: 'Order #48213 arrived damaged',
    description:
      '<p>The box was crushed and the <b>Pulse</b> speaker inside is cracked. Can you send a replacement?</p>',
    status: 2,
    priority: 3,
    source: 1,
    hoursBefore: 24 * 35,
    thread: [
      { kind: 'reply', html: '<p>Sorry to hear that! We are on it.</p>', hoursAfter: 1 },
      {
        kind: 'note',
        html: '<div>Spoke to the courier &mdash; the parcel is held at the depot &amp; goes out <i>tomorrow</i>.</div>',
        hoursAfter: 2,
      },
    ],
  },
  {
    subject: 'Called about a double charge',
    description: '<p>Caller says she was charged twice for order #48213.</p>',
    status: 3,
    priority: 4,
    source: 3,
    hoursBefore: 24 * 40,
    thread: [{ kind: 'note', html: '<p>Refund of <b>$49.00</b> issued; told her 3&ndash;5 days.</p>', hoursAfter: 1 }],
  },
  {
    subject: 'How can I export my order history?',
    description: '<p>I need a list of all my orders of the last two years for my accountant.</p>',
    status: 4,
    priority: 1,
    source: 2,
    hoursBefore: 24 * 60,
  },
  {
    subject: 'Chat: password reset link expired',
    description: '<p>The reset link says it expired.</p>',
    status: 5,
    priority: 2,
    source: 7,
    hoursBefore: 24 * 90,
    thread: [{ kind: 'note', html: '<p>Sent a new link by hand.<br>Customer confirmed it works.</p>', hoursAfter: 3 }],
  },
  {
    subject: 'Callback about delivery slot',
    description: '<p>Asked us to call back to pick a delivery slot.</p>',
    status: 5,
    priority: 2,
    source: 3,
    hoursBefore: 24 * 120,
  },
  {
    subject: 'Custom status follow-up',
    description: '<p>Waiting on the warehouse.</p>',
    status: 6,
    priority: 2,
    source: 1,
    hoursBefore: 24 * 150,
  },
];

function ticketsFor(
  requesterId: number,
  specs: TicketSpec[],
  firstId: number,
  firstConversationId: number,
  agentId: number,
): { tickets: FreshdeskTicketRecord[]; conversations: FreshdeskConversationRecord[] } {
  const tickets: FreshdeskTicketRecord[] = [];
  const conversations: FreshdeskConversationRecord[] = [];
  let conversationId = firstConversationId;
  specs.forEach((spec, index) => {
    const id = firstId + index;
    const created = at(spec.hoursBefore);
    tickets.push({
      id,
      subject: spec.subject,
      description: spec.description,
      description_text: spec.description.replace(/<[^>]+>/g, ''),
      status: spec.status,
      priority: spec.priority,
      source: spec.source,
      type: null,
      requester_id: requesterId,
      spam: false,
      created_at: created,
      updated_at: created,
    });
    for (const entry of spec.thread ?? []) {
      const when = at(spec.hoursBefore - entry.hoursAfter);
      conversations.push({
        id: conversationId++,
        ticket_id: id,
        body: entry.html,
        body_text: entry.html.replace(/<[^>]+>/g, ''),
        incoming: false,
        private: entry.kind === 'note',
        source: entry.kind === 'note' ? 2 : 0,
        user_id: agentId,
        created_at: when,
        updated_at: when,
      });
    }
  });
  return { tickets, conversations };
}

/** 130 tickets for the heavy contact, one an hour; every fifth came by phone; every tenth has a private note. */
function heavyTickets(count: number): TicketSpec[] {
  return Array.from({ length: count }, (_, n) => ({
    subject: `Heavy ticket ${n + 1}`,
    description: `<p>Ticket number ${n + 1} of a busy customer.</p>`,
    status: 2 + (n % 4),
    priority: 1 + (n % 4),
    source: n % 5 === 4 ? 3 : 1,
    hoursBefore: 24 * 31 + (count - n),
    thread:
      n % 10 === 0 ? [{ kind: 'note' as const, html: `<p>Note on heavy ticket ${n + 1}</p>`, hoursAfter: 0.5 }] : [],
  }));
}

/** One ticket, so that a contact found by phone has something to show. */
function oneTicket(subject: string, hoursBefore: number, source = 3): TicketSpec[] {
  return [{ subject, description: `<p>${subject}.</p>`, status: 2, priority: 2, source, hoursBefore }];
}

export const HEAVY_TICKET_COUNT = 130;

export function seedAcme(): FreshdeskAccountData {
  const agent = {
    id: 43000000001,
    name: 'Ada Agent',
    email: 'agent@acme.example',
    phone: '+14045550199',
    apiKey: 'acmeSandboxFreshdeskKey01',
  };
  const people = ACME_CONTACTS;
  const specs: ContactSpec[] = [
    people.jane,
    people.heavy,
    ...people.spellings,
    ...people.sameName,
    people.uniqueName,
    people.noTickets,
    people.secondaryEmail,
    people.apostrophe,
    people.deleted,
    people.crowdedName,
    ...CROWD,
  ];
  const threads: [number, TicketSpec[]][] = [
    [people.jane.id, JANE_TICKETS],
    [people.heavy.id, heavyTickets(HEAVY_TICKET_COUNT)],
    ...people.spellings.map((spec, n): [number, TicketSpec[]] => [
      spec.id,
      oneTicket(`Call from ${spec.name}`, 800 + n),
    ]),
    ...people.sameName.map((spec, n): [number, TicketSpec[]] => [
      spec.id,
      oneTicket(`Question from ${spec.name}`, 900 + n, 1),
    ]),
    [people.uniqueName.id, oneTicket('Invoice in pounds sterling', 1000, 1)],
    [people.secondaryEmail.id, oneTicket('Second address on file', 1010, 1)],
    [people.apostrophe.id, oneTicket('Name with an apostrophe', 1020, 1)],
    [people.deleted.id, oneTicket('A deleted contact still has tickets', 1030, 1)],
    [people.crowdedName.id, oneTicket('One of many Robins', 1040, 1)],
  ];
  return build('acme', PRO_PLAN, agent, specs, threads, ACME_TICKETS_FROM, 60000000001);
}

export function seedGlobex(): FreshdeskAccountData {
  const agent = {
    id: 73000000001,
    name: 'Gus Globex',
    email: 'agent@globex.example',
    phone: null,
    apiKey: 'globexSandboxFreshdeskKey1',
  };
  const jane = GLOBEX_CONTACTS.jane;
  const threads: [number, TicketSpec[]][] = [
    [
      jane.id,
      [
        {
          subject: 'Globex: warranty question',
          description: '<p>Is the warranty transferable?</p>',
          status: 2,
          priority: 2,
          source: 1,
          hoursBefore: 24 * 45,
          thread: [{ kind: 'note', html: '<p>Globex internal: checking with legal.</p>', hoursAfter: 1 }],
        },
        ...oneTicket('Globex: phoned about the warranty', 24 * 50),
      ],
    ],
  ];
  return build('globex', GROWTH_PLAN, agent, [jane], threads, GLOBEX_TICKETS_FROM, 90000000001);
}

function build(
  domain: string,
  plan: FreshdeskPlan,
  agent: FreshdeskAccountData['agent'],
  specs: ContactSpec[],
  threads: [number, TicketSpec[]][],
  firstTicketId: number,
  firstConversationId: number,
): FreshdeskAccountData {
  const tickets: FreshdeskTicketRecord[] = [];
  const conversations: FreshdeskConversationRecord[] = [];
  for (const [requesterId, ticketSpecs] of threads) {
    const made = ticketsFor(
      requesterId,
      ticketSpecs,
      firstTicketId + tickets.length,
      firstConversationId + conversations.length,
      agent.id,
    );
    tickets.push(...made.tickets);
    conversations.push(...made.conversations);
  }
  return { domain, plan, agent, contacts: specs.map(contact), tickets, conversations };
}

export function seedFreshdeskAccounts(): FreshdeskAccountData[] {
  return [seedAcme(), seedGlobex()];
}
