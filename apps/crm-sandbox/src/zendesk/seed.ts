import {
  ACME_CAST,
  ACME_PEOPLE,
  ACME_REGULARS,
  GLOBEX_CAST,
  GLOBEX_PEOPLE,
  GLOBEX_REGULARS,
  TIME_ZONES,
  type PersonSpec,
  type TenantCast,
} from './cast.js';
import {
  AGENT_REPLIES,
  CLOSING_REPLIES,
  ISSUES,
  NOTES_HTML,
  PRODUCTS,
  REQUESTER_REPLIES,
  TASKS,
  fill,
  htmlToPlainText,
  textToCommentHtml,
  wrapCommentHtml,
} from './content.js';
import {
  TICKET_STATUSES,
  type ZendeskChannel,
  type ZendeskComment,
  type ZendeskTenantData,
  type ZendeskThread,
  type ZendeskTicket,
  type ZendeskTicketPriority,
  type ZendeskTicketStatus,
  type ZendeskTicketType,
  type ZendeskIdentity,
  type ZendeskUser,
  type ZendeskVia,
} from './model.js';
import { DAY, HOUR, MINUTE, SeededRandom, epochMs, isoTime } from './random.js';

/**
 * The sandbox's Zendesk accounts, built from the cast (cast.ts) by small builders: hand-written tickets for the
 * people tests name, generated ones (a seeded PRNG, fixed dates) for volume. Same code, same data, every time.
 */

/** The dataset's "now": generated activity stops before it. */
export const SEED_HORIZON = '2026-10-24T18:00:00Z';
const GENERATED_FROM = '2025-01-06T00:00:00Z';
const GENERATED_TO = '2026-10-20T00:00:00Z';

/** A later comment on a ticket, some minutes after the one before. */
export interface FollowUp {
  by: 'agent' | 'requester';
  afterMinutes: number;
  public: boolean;
  /** Plain text (public comments) or editor HTML (internal notes). */
  text?: string;
  html?: string;
}

export const reply = (afterMinutes: number, text: string): FollowUp => ({
  by: 'agent',
  afterMinutes,
  public: true,
  text,
});
export const answer = (afterMinutes: number, text: string): FollowUp => ({
  by: 'requester',
  afterMinutes,
  public: true,
  text,
});
export const note = (afterMinutes: number, html: string): FollowUp => ({
  by: 'agent',
  afterMinutes,
  public: false,
  html,
});

export interface TicketDraft {
  requester: PersonSpec;
  createdAt: string;
  subject: string;
  description: string;
  type: ZendeskTicketType | null;
  priority: ZendeskTicketPriority | null;
  status: ZendeskTicketStatus;
  channel: ZendeskChannel;
  dueAt?: string | null;
  tags?: string[];
  /** Defaults to one of the agents (none while the ticket is new). */
  assignee?: PersonSpec | null;
  followUps?: FollowUp[];
}

/** Every seeded tenant, keyed by subdomain. */
export function seedZendeskTenants(): ZendeskTenantData[] {
  return [seedAcme(), seedGlobex()];
}

// ---------------------------------------------------------------------------------------------------------------
// The tenants
// ---------------------------------------------------------------------------------------------------------------

export function seedAcme(): ZendeskTenantData {
  const tenant = new TenantBuilder(ACME_CAST);
  const people = ACME_PEOPLE;
  const everyone = [
    people.jane,
    people.heavy,
    ...people.phoneOnly,
    ...people.sharedEmail,
    ...people.sameName,
    people.uniqueName,
    people.noTickets,
    ...ACME_REGULARS,
  ];
  everyone.forEach((person) => tenant.addUser(person));

  janeTickets(people.jane).forEach((draft) => tenant.addTicket(draft));
  tenant.generate(people.heavy, { count: 80, tasks: 12, notes: 0.3 });
  tenant.generate(people.phoneOnly[0], { count: 3, tasks: 1, channel: 'voice' });
  tenant.generate(people.phoneOnly[1], { count: 3, tasks: 0, channel: 'voice' });
  tenant.generate(people.phoneOnly[2], { count: 2, tasks: 0, channel: 'voice' });
  tenant.generate(people.sharedEmail[0], { count: 3, tasks: 0, channel: 'email' });
  tenant.generate(people.sharedEmail[1], { count: 3, tasks: 1, channel: 'email' });
  tenant.generate(people.sameName[0], { count: 2, tasks: 0 });
  tenant.generate(people.sameName[1], { count: 2, tasks: 1 });
  tenant.generate(people.uniqueName, { count: 3, tasks: 1, notes: 0.5 });
  for (const regular of ACME_REGULARS)
    tenant.generate(regular, { count: tenant.random.int(2, 6), tasks: tenant.random.int(0, 1) });
  // Added after every other user and ticket, so that the generated data above stays as it was.
  tenant.addUser(people.secondaryIdentities).addUser(people.suspended);
  tenant.generate(people.secondaryIdentities, { count: 2, tasks: 0 });
  tenant.generate(people.suspended, { count: 1, tasks: 0 });
  return tenant.build();
}

export function seedGlobex(): ZendeskTenantData {
  const tenant = new TenantBuilder(GLOBEX_CAST);
  const jane = GLOBEX_PEOPLE.jane;
  [jane, ...GLOBEX_REGULARS].forEach((person) => tenant.addUser(person));
  tenant.addTicket({
    requester: jane,
    createdAt: '2025-04-10T08:30:00Z',
    subject: 'Access badge for the Cypress Creek office',
    description: 'My access badge stopped working at the Cypress Creek office this morning.',
    type: 'incident',
    priority: 'normal',
    status: 'closed',
    channel: 'email',
    tags: ['facilities'],
    followUps: [reply(50, 'A new badge is waiting for you at reception.'), answer(90, 'Picked it up, thanks.')],
  });
  tenant.addTicket({
    requester: jane,
    createdAt: '2026-05-19T13:45:00Z',
    subject: 'Expense report rejected',
    description: 'My May expense report was rejected without a reason.',
    type: 'question',
    priority: 'low',
    status: 'solved',
    channel: 'web',
    followUps: [
      note(30, '<p>Report was missing the <strong>cost centre</strong>. Asked finance to reopen it.</p>'),
      reply(45, 'Finance has reopened your report; please add the cost centre and resubmit.'),
    ],
  });
  tenant.addTicket({
    requester: jane,
    createdAt: '2026-09-28T07:10:00Z',
    subject: 'Laptop replacement',
    description: 'My laptop battery lasts less than an hour now.',
    type: 'incident',
    priority: 'high',
    status: 'open',
    channel: 'web',
    followUps: [reply(25, 'We have ordered a replacement; it should arrive within a week.')],
  });
  for (const regular of GLOBEX_REGULARS)
    tenant.generate(regular, { count: tenant.random.int(2, 4), tasks: tenant.random.int(0, 1) });
  return tenant.build();
}

/** Jane Doe's history: every priority (and none), every status, a task with and one without a due date, notes. */
function janeTickets(jane: PersonSpec): TicketDraft[] {
  return [
    {
      requester: jane,
      createdAt: '2025-02-14T09:30:00Z',
      subject: 'Cannot log in after password reset',
      description: 'I reset my password this morning and now the login page says my account is locked.',
      type: 'incident',
      priority: 'normal',
      status: 'closed',
      channel: 'web',
      tags: ['login'],
      followUps: [
        reply(45, 'I have unlocked your account. Please try again and let me know.'),
        answer(80, 'Works now, thanks!'),
      ],
    },
    {
      requester: jane,
      createdAt: '2025-06-03T16:42:10Z',
      subject: 'Charged twice for order #41877',
      description: 'My bank statement shows two charges of $129.00 for order #41877.',
      type: 'problem',
      priority: 'high',
      status: 'solved',
      channel: 'email',
      tags: ['billing'],
      followUps: [
        note(20, NOTES_HTML[0]),
        reply(
          15,
          'Sorry for the worry! The second charge is a card pre-authorisation and will disappear within 5 days.',
        ),
        note(60 * 26, '<p>Finance confirmed the hold was released: ref <strong>REF-2291</strong>.</p>'),
        reply(10, 'Our finance team confirms the hold has been released. Anything else I can help with?'),
      ],
    },
    {
      requester: jane,
      createdAt: '2025-11-20T11:05:33Z',
      subject: 'Send replacement router to Jane Doe',
      description: 'Ship a replacement AX200 router once the return label has been scanned.',
      type: 'task',
      priority: 'low',
      status: 'pending',
      channel: 'web',
      dueAt: '2025-11-27T17:00:00Z',
      tags: ['replacement'],
      followUps: [note(30, '<p>Return label scanned at the depot. Waiting on warehouse stock &mdash; ETA Monday.</p>')],
    },
    {
      requester: jane,
      createdAt: '2026-03-04T10:11:12Z',
      subject: 'Router keeps dropping Wi-Fi connection',
      description: 'Inbound call: the AX200 router drops the Wi-Fi connection every few minutes since Monday.',
      type: 'incident',
      priority: 'urgent',
      status: 'hold',
      channel: 'voice',
      tags: ['hardware', 'wifi'],
      followUps: [
        note(10, NOTES_HTML[2]),
        reply(25, 'We have escalated your case to our network specialists and will call you back tomorrow.'),
        answer(60 * 20, 'Still dropping this morning, please hurry.'),
        note(30, '<p>Waiting on the vendor for a firmware fix; ticket on <em>hold</em> until then.</p>'),
      ],
    },
    {
      requester: jane,
      createdAt: '2026-07-22T08:15:00Z',
      subject: 'Call Jane Doe back about her contract renewal',
      description: 'The customer wants to discuss the renewal of her two-year contract before it ends.',
      type: 'task',
      priority: null,
      status: 'open',
      channel: 'web',
      dueAt: null,
      tags: ['callback', 'renewal'],
    },
    {
      requester: jane,
      createdAt: '2026-08-11T15:02:40Z',
      subject: 'Update my delivery address',
      description: 'Please send future orders to 42 Elm Street, Springfield.',
      type: 'question',
      priority: 'low',
      status: 'pending',
      channel: 'email',
      tags: ['shipping'],
      followUps: [reply(35, 'Could you confirm the ZIP code of the new address?')],
    },
    {
      requester: jane,
      createdAt: '2026-09-15T13:20:45Z',
      subject: 'How can I export my order history?',
      description: 'I need a list of all my orders of the last two years for my accountant.',
      type: 'question',
      priority: null,
      status: 'new',
      channel: 'web',
    },
    {
      requester: jane,
      createdAt: '2026-10-02T14:05:00Z',
      subject: 'Order #48213 arrived damaged',
      description: 'The box was crushed and the Pulse smart speaker inside is cracked. Can you send a replacement?',
      type: 'incident',
      priority: 'high',
      status: 'open',
      channel: 'email',
      tags: ['damaged', 'shipping'],
      followUps: [
        reply(40, AGENT_REPLIES[1].replace('{product}', 'speaker')),
        answer(95, 'Thanks, here is the photo you asked for.'),
        note(15, NOTES_HTML[3]),
      ],
    },
  ];
}

// ---------------------------------------------------------------------------------------------------------------
// The builder
// ---------------------------------------------------------------------------------------------------------------

interface GenerateOptions {
  count: number;
  /** How many of them are tasks; spread over the whole period. */
  tasks: number;
  /** The channel of the customer's tickets (tasks are created by agents). Defaults to a mix of web and email. */
  channel?: ZendeskChannel;
  /** The chance that a ticket carries an internal note. */
  notes?: number;
}

interface PendingComment {
  comment: ZendeskComment;
  at: number;
  ticketOrder: number;
}

export class TenantBuilder {
  readonly random: SeededRandom;
  private readonly people = new Map<number, PersonSpec>();
  private readonly drafts: TicketDraft[] = [];

  constructor(private readonly cast: TenantCast) {
    this.random = new SeededRandom(cast.seed);
    cast.agents.forEach((agent) => this.addUser(agent));
  }

  addUser(person: PersonSpec): this {
    if (this.people.has(person.id)) throw new Error(`duplicate user id ${person.id}`);
    this.people.set(person.id, person);
    return this;
  }

  addTicket(draft: TicketDraft): this {
    if (!this.people.has(draft.requester.id)) throw new Error(`unknown requester ${draft.requester.id}`);
    this.drafts.push(draft);
    return this;
  }

  /** `count` tickets for one requester, at random moments of the seeded period, `tasks` of them tasks. */
  generate(requester: PersonSpec, options: GenerateOptions): this {
    const times = this.spreadTimes(options.count, epochMs(GENERATED_FROM), epochMs(GENERATED_TO));
    const taskSlots = this.taskSlots(options.count, options.tasks);
    times.forEach((at, index) => {
      const draft = taskSlots.has(index)
        ? this.generatedTask(requester, at)
        : this.generatedIssue(requester, at, options.channel);
      draft.followUps = this.generatedFollowUps(draft, options.notes ?? 0.3);
      this.addTicket(draft);
    });
    return this;
  }

  build(): ZendeskTenantData {
    const ordered = this.drafts
      .map((draft, order) => ({ draft, order, at: epochMs(draft.createdAt) }))
      .sort((a, b) => a.at - b.at || a.order - b.order);
    const pending: PendingComment[] = [];
    const threads = ordered.map(({ draft }, index) =>
      this.thread(draft, this.cast.firstTicketId + index, index, pending),
    );

    // Comment ids grow with time across the account, as Zendesk's do.
    pending.sort((a, b) => a.at - b.at || a.ticketOrder - b.ticketOrder);
    pending.forEach((entry, index) => {
      entry.comment.id = this.cast.firstCommentId + index;
      entry.comment.audit_id = this.cast.firstAuditId + index;
    });

    const users = [...this.people.values()].sort((a, b) => a.id - b.id).map((person) => this.user(person));
    const agentEmail = this.cast.credentials.email;
    const owner = users.find((user) => user.email === agentEmail);
    if (!owner) throw new Error(`${this.cast.subdomain}: no user for ${agentEmail}`);
    return {
      subdomain: this.cast.subdomain,
      credentials: { ...this.cast.credentials },
      users: [owner, ...users.filter((user) => user !== owner)],
      identities: this.identities([...this.people.values()].sort((a, b) => a.id - b.id)),
      threads,
    };
  }

  /** Each person's primary email and phone, then the secondary ones, as identities numbered in that order. */
  private identities(people: PersonSpec[]): ZendeskIdentity[] {
    const identities: ZendeskIdentity[] = [];
    for (const person of people) {
      let ofPerson = 0;
      const add = (type: ZendeskIdentity['type'], value: string | null, primary: boolean) => {
        if (value === null) return;
        identities.push({
          id: person.id * 10 + ofPerson++,
          user_id: person.id,
          type,
          value,
          verified: type === 'email',
          primary,
          created_at: person.createdAt,
          updated_at: person.createdAt,
        });
      };
      add('email', person.email, true);
      add('phone_number', person.phone, true);
      for (const email of person.secondary?.emails ?? []) add('email', email, false);
      for (const phone of person.secondary?.phones ?? []) add('phone_number', phone, false);
    }
    return identities;
  }

  // --- users ---

  private user(person: PersonSpec): ZendeskUser {
    const role = person.role ?? 'end-user';
    const staff = role !== 'end-user';
    const [timeZone, ianaTimeZone] = TIME_ZONES[person.zone];
    const created = epochMs(person.createdAt);
    return {
      id: person.id,
      name: person.name,
      email: person.email,
      created_at: person.createdAt,
      updated_at: isoTime(created + 3 * DAY + (person.id % 97) * HOUR),
      time_zone: timeZone,
      iana_time_zone: ianaTimeZone,
      phone: person.phone,
      shared_phone_number: person.phone === null ? null : false,
      photo: null,
      locale_id: 1,
      locale: 'en-US',
      organization_id: person.organizationId ?? null,
      role,
      verified: person.email !== null,
      external_id: person.externalId ?? null,
      tags: [],
      alias: '',
      active: true,
      shared: false,
      shared_agent: false,
      last_login_at: person.email === null ? null : isoTime(created + 30 * DAY + (person.id % 13) * HOUR),
      two_factor_auth_enabled: staff ? true : null,
      signature: staff ? `${person.name.split(' ')[0]}\n${this.cast.company} Support` : null,
      details: '',
      notes: '',
      role_type: null,
      custom_role_id: null,
      moderator: staff,
      ticket_restriction: staff ? null : 'requested',
      only_private_comments: false,
      restricted_agent: !staff || role === 'agent',
      suspended: person.suspended ?? false,
      default_group_id: staff ? this.cast.groupId : null,
      report_csv: role === 'admin',
      user_fields: {},
    };
  }

  // --- tickets ---

  private thread(draft: TicketDraft, id: number, order: number, pending: PendingComment[]): ZendeskThread {
    const agents = this.cast.agents;
    const assignee =
      draft.assignee !== undefined ? draft.assignee : draft.status === 'new' ? null : agents[id % agents.length]!;
    const agentCreated = draft.type === 'task' || draft.channel === 'voice' || draft.channel === 'api';
    const submitter = agentCreated ? (assignee ?? agents[0]) : draft.requester;
    const via = this.via(draft.channel, draft.requester);
    const created = epochMs(draft.createdAt);

    const comments: ZendeskComment[] = [];
    const push = (comment: ZendeskComment, at: number) => {
      comments.push(comment);
      pending.push({ comment, at, ticketOrder: order });
    };
    push(this.comment(submitter, draft.description, undefined, true, via, created), created);
    let at = created;
    for (const followUp of draft.followUps ?? []) {
      at += followUp.afterMinutes * MINUTE;
      const author = followUp.by === 'requester' ? draft.requester : (assignee ?? agents[0]);
      const commentVia =
        followUp.by === 'requester'
          ? this.via(draft.requester.email ? 'email' : 'web', draft.requester)
          : this.via('web', draft.requester);
      push(this.comment(author, followUp.text, followUp.html, followUp.public, commentVia, at), at);
    }
    const settled = draft.status === 'closed' ? 4 * DAY : draft.status === 'solved' ? 2 * HOUR : 0;
    const updated = at + settled + ((id * 7) % 50) * MINUTE;

    const ticket: ZendeskTicket = {
      id,
      external_id: null,
      via,
      created_at: draft.createdAt,
      updated_at: isoTime(updated),
      generated_timestamp: Math.floor(updated / 1000),
      type: draft.type,
      subject: draft.subject,
      raw_subject: draft.subject,
      description: draft.description,
      priority: draft.priority,
      status: draft.status,
      recipient: draft.channel === 'email' ? this.supportAddress() : null,
      requester_id: draft.requester.id,
      submitter_id: submitter.id,
      assignee_id: assignee?.id ?? null,
      organization_id: draft.requester.organizationId ?? null,
      group_id: assignee ? this.cast.groupId : null,
      collaborator_ids: [],
      follower_ids: [],
      email_cc_ids: [],
      forum_topic_id: null,
      problem_id: null,
      has_incidents: false,
      is_public: true,
      due_at: draft.type === 'task' ? (draft.dueAt ?? null) : null,
      tags: draft.tags ?? [],
      custom_fields: [],
      satisfaction_rating: { score: draft.status === 'solved' || draft.status === 'closed' ? 'offered' : 'unoffered' },
      sharing_agreement_ids: [],
      custom_status_id: this.cast.customStatusBase + TICKET_STATUSES.indexOf(draft.status),
      fields: [],
      followup_ids: [],
      ticket_form_id: this.cast.ticketFormId,
      brand_id: this.cast.brandId,
      allow_channelback: false,
      allow_attachments: true,
      from_messaging_channel: false,
    };
    return { ticket, comments };
  }

  private comment(
    author: PersonSpec,
    text: string | undefined,
    html: string | undefined,
    isPublic: boolean,
    via: ZendeskVia,
    at: number,
  ): ZendeskComment {
    const plain = html !== undefined ? htmlToPlainText(html) : (text ?? '');
    return {
      id: 0, // numbered in build(), in time order across the account
      type: 'Comment',
      author_id: author.id,
      body: plain,
      html_body: html !== undefined ? wrapCommentHtml(html) : textToCommentHtml(plain),
      plain_body: plain,
      public: isPublic,
      attachments: [],
      audit_id: 0,
      via,
      created_at: isoTime(at),
      metadata: { system: this.systemMetadata(via, author), custom: {} },
    };
  }

  private via(channel: ZendeskChannel, requester: PersonSpec): ZendeskVia {
    switch (channel) {
      case 'email':
        return {
          channel,
          source: {
            from: { address: requester.email, name: requester.name },
            to: { name: `${this.cast.company} Support`, address: this.supportAddress() },
            rel: null,
          },
        };
      case 'voice':
        return {
          channel,
          source: {
            from: { formatted_phone: requester.phone, name: requester.name },
            to: { formatted_phone: '+1 (415) 555-0100' },
            rel: 'inbound',
          },
        };
      default:
        return { channel, source: { from: {}, to: {}, rel: null } };
    }
  }

  private systemMetadata(via: ZendeskVia, author: PersonSpec): Record<string, unknown> {
    if (via.channel === 'email') {
      return { message_id: `<${author.id}.${this.cast.subdomain}@mail.example.com>`, ip_address: null };
    }
    return {
      client:
        'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15',
      ip_address: `203.0.113.${author.id % 250}`,
      location: 'San Francisco, CA, United States',
    };
  }

  private supportAddress(): string {
    return `support@${this.cast.subdomain}.zendesk.com`;
  }

  // --- generation ---

  /** `count` distinct instants in [from, to), to the second, ascending. */
  private spreadTimes(count: number, from: number, to: number): number[] {
    const seconds = new Set<number>();
    while (seconds.size < count) seconds.add(Math.floor((from + this.random.next() * (to - from)) / 1000));
    return [...seconds].sort((a, b) => a - b).map((second) => second * 1000);
  }

  /** Which of `count` tickets are tasks: one in each of `tasks` equal stretches, so they span the whole period. */
  private taskSlots(count: number, tasks: number): Set<number> {
    const slots = new Set<number>();
    for (let index = 0; index < tasks; index++) {
      const start = Math.floor((index * count) / tasks);
      const end = Math.floor(((index + 1) * count) / tasks) - 1;
      slots.add(this.random.int(start, Math.max(start, end)));
    }
    return slots;
  }

  private placeholders(requester: PersonSpec): Record<string, string> {
    return {
      product: this.random.pick(PRODUCTS),
      order: `#${this.random.int(40000, 49999)}`,
      name: requester.name,
    };
  }

  private generatedIssue(requester: PersonSpec, at: number, channel?: ZendeskChannel): TicketDraft {
    const template = this.random.pick(ISSUES);
    const values = this.placeholders(requester);
    return {
      requester,
      createdAt: isoTime(at),
      subject: fill(template.subject, values),
      description: fill(template.description, values),
      type: this.random.chance(0.15) ? null : template.type,
      priority: this.priority(),
      status: this.status(at),
      channel:
        channel ?? (requester.email ? this.random.pick<ZendeskChannel>(['web', 'email', 'email', 'chat']) : 'voice'),
      tags: template.tags,
    };
  }

  private generatedTask(requester: PersonSpec, at: number): TicketDraft {
    const template = this.random.pick(TASKS);
    const values = this.placeholders(requester);
    const due = this.random.chance(2 / 3)
      ? isoTime(Math.floor(at / DAY) * DAY + this.random.int(2, 14) * DAY + 17 * HOUR)
      : null;
    return {
      requester,
      createdAt: isoTime(at),
      subject: fill(template.subject, values),
      description: fill(template.description, values),
      type: 'task',
      priority: this.random.chance(0.3) ? null : this.priority(),
      status: this.status(at),
      channel: 'web',
      dueAt: due,
      tags: template.tags,
    };
  }

  private priority(): ZendeskTicketPriority | null {
    return this.random.weighted<ZendeskTicketPriority | null>([
      ['urgent', 1],
      ['high', 2],
      ['normal', 4],
      ['low', 2],
      [null, 2],
    ]);
  }

  /** Older tickets are mostly done; recent ones still in progress. */
  private status(at: number): ZendeskTicketStatus {
    const age = epochMs(SEED_HORIZON) - at;
    if (age < 14 * DAY)
      return this.random.weighted<ZendeskTicketStatus>([
        ['new', 3],
        ['open', 4],
        ['pending', 2],
        ['hold', 1],
      ]);
    if (age < 60 * DAY)
      return this.random.weighted<ZendeskTicketStatus>([
        ['open', 3],
        ['pending', 2],
        ['hold', 1],
        ['solved', 4],
      ]);
    return this.random.weighted<ZendeskTicketStatus>([
      ['closed', 12],
      ['solved', 4],
      ['pending', 1],
      ['hold', 1],
      ['open', 1],
    ]);
  }

  private generatedFollowUps(draft: TicketDraft, noteChance: number): FollowUp[] {
    if (draft.status === 'new') return [];
    const product = this.random.pick(PRODUCTS);
    const followUps: FollowUp[] = [];
    if (draft.type !== 'task')
      followUps.push(reply(this.random.int(20, 300), fill(this.random.pick(AGENT_REPLIES), { product })));
    if (this.random.chance(noteChance)) followUps.push(note(this.random.int(10, 600), this.random.pick(NOTES_HTML)));
    if (draft.type !== 'task' && this.random.chance(0.4))
      followUps.push(answer(this.random.int(60, 1440), this.random.pick(REQUESTER_REPLIES)));
    if (draft.status === 'solved' || draft.status === 'closed')
      followUps.push(reply(this.random.int(30, 2880), this.random.pick(CLOSING_REPLIES)));
    return followUps;
  }
}
