import { parsePhoneNumberFromString } from 'libphonenumber-js';
import {
  ACME_CAST,
  ACME_PEOPLE,
  ACME_REGULARS,
  ACME_REGULARS_FROM,
  GLOBEX_CAST,
  GLOBEX_PEOPLE,
  GLOBEX_REGULARS,
  type ContactSpec,
  type PortalCast,
} from './cast.js';
import { compareIds } from './ids.js';
import { NOTE_HTML, SHORT_NOTES, TASK_TEXTS, TICKET_TEXTS } from './content.js';
import type { HubspotAssociation, HubspotPipeline, HubspotPortalData, HubspotRecord } from './model.js';
import { OBJECT_TYPES, OBJECT_TYPE_NAMES, type ObjectTypeName } from './object-types.js';
import { defaultPipeline, escalationsPipeline, isClosedStage, ticketStage, type StageRef } from './pipelines.js';

/**
 * The sandbox's HubSpot portals, built by small builders from the cast (cast.ts): hand-written records for the
 * contacts tests name, generated ones (index arithmetic, fixed dates, no randomness) for volume. Ids are handed out
 * per type in creation order, so a higher id is always a newer record, as at HubSpot.
 */

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** No seeded record changes after this. */
export const SEED_HORIZON = '2026-10-31T23:00:00.000Z';

/** The number of tickets associated with acme's heavy contact: two pages of 500 associations. */
export const HEAVY_TICKET_COUNT = 620;

export const plus = (iso: string, ms: number): string => new Date(Date.parse(iso) + ms).toISOString();
const earliest = (a: string, b: string): string => (a < b ? a : b);
export const at = (text: string): string => new Date(`${text}Z`).toISOString();

export type TicketPriority = 'LOW' | 'MEDIUM' | 'HIGH' | 'URGENT';
export type TaskStatus = 'NOT_STARTED' | 'IN_PROGRESS' | 'WAITING' | 'DEFERRED' | 'COMPLETED';
export type TaskPriority = 'NONE' | 'LOW' | 'MEDIUM' | 'HIGH';

export interface TicketSeed {
  at: string;
  subject: string;
  content: string | null;
  stage: StageRef;
  /** null: never set; '': cleared. */
  priority: TicketPriority | '' | null;
  category?: 'PRODUCT_ISSUE' | 'BILLING_ISSUE' | 'FEATURE_REQUEST' | 'GENERAL_INQUIRY';
  source?: 'EMAIL' | 'PHONE' | 'CHAT' | 'FORM';
}

export interface NoteSeed {
  at: string;
  html: string;
}

export interface TaskSeed {
  at: string;
  /** The due date (`hs_timestamp`). */
  due: string;
  subject: string;
  body: string | null;
  status: TaskStatus;
  priority: TaskPriority;
  type?: 'TODO' | 'CALL' | 'EMAIL';
}

export type CallStatus =
  | 'QUEUED'
  | 'CALLING_CRM_USER'
  | 'CONNECTING'
  | 'RINGING'
  | 'IN_PROGRESS'
  | 'COMPLETED'
  | 'BUSY'
  | 'NO_ANSWER'
  | 'FAILED'
  | 'CANCELED';

export interface CallSeed {
  /** When the call happened (`hs_timestamp`). */
  at: string;
  title: string | null;
  /** The agent's call notes: HTML, as HubSpot's editor saves them. */
  body: string | null;
  status: CallStatus;
  direction: 'INBOUND' | 'OUTBOUND';
  durationSeconds: number;
}

/** Property values as the seed writes them: undefined and null leave the property unset. */
type Values = Record<string, string | null | undefined>;

interface Draft {
  type: Exclude<ObjectTypeName, 'contacts'>;
  createdAt: string;
  updatedAt?: string;
  values: Values;
  contactIds: string[];
}

/** Collects one portal's contacts and records, then hands out ids and builds its data. */
export class PortalBuilder {
  private readonly contacts: ContactSpec[] = [];
  private readonly drafts: Draft[] = [];

  constructor(
    private readonly cast: PortalCast,
    private readonly ticketPipelines: HubspotPipeline[],
  ) {}

  contact(spec: ContactSpec): ContactSpec {
    this.contacts.push(spec);
    return spec;
  }

  /** A record of any non-contact type, associated with these contacts. The generic form of the helpers below. */
  add(
    type: Draft['type'],
    who: ContactSpec | ContactSpec[],
    createdAt: string,
    values: Values,
    updatedAt?: string,
  ): void {
    const contactIds = (Array.isArray(who) ? who : [who]).map((contact) => contact.id);
    this.drafts.push({ type, createdAt, updatedAt, values, contactIds });
  }

  ticket(who: ContactSpec | ContactSpec[], seed: TicketSeed): void {
    const updatedAt = this.updatedAt(seed.at);
    this.add(
      'tickets',
      who,
      seed.at,
      {
        subject: seed.subject,
        content: seed.content,
        hs_pipeline: seed.stage.pipeline,
        hs_pipeline_stage: seed.stage.stage,
        hs_ticket_priority: seed.priority,
        hs_ticket_category: seed.category,
        source_type: seed.source ?? 'EMAIL',
        closed_date: isClosedStage(this.ticketPipelines, seed.stage) ? updatedAt : undefined,
      },
      updatedAt,
    );
  }

  note(who: ContactSpec | ContactSpec[], seed: NoteSeed): void {
    this.add('notes', who, seed.at, { hs_note_body: seed.html, hs_timestamp: seed.at });
  }

  task(who: ContactSpec | ContactSpec[], seed: TaskSeed): void {
    this.add('tasks', who, seed.at, {
      hs_task_subject: seed.subject,
      hs_task_body: seed.body,
      hs_task_status: seed.status,
      hs_task_priority: seed.priority,
      hs_task_type: seed.type ?? 'TODO',
      hs_timestamp: seed.due,
    });
  }

  call(who: ContactSpec | ContactSpec[], seed: CallSeed): void {
    this.add('calls', who, seed.at, {
      hs_call_title: seed.title,
      hs_call_body: seed.body,
      hs_call_status: seed.status,
      hs_call_direction: seed.direction,
      hs_call_duration: String(seed.durationSeconds * 1000),
      hs_timestamp: seed.at,
    });
  }

  build(): HubspotPortalData {
    const known = new Set(this.contacts.map((contact) => contact.id));
    const objects = Object.fromEntries(
      OBJECT_TYPE_NAMES.map((name) => [name, [] as HubspotRecord[]]),
    ) as HubspotPortalData['objects'];
    const associations: HubspotAssociation[] = [];
    const lastActivity = new Map<string, string>();

    for (const type of OBJECT_TYPE_NAMES) {
      if (type === 'contacts') continue;
      const drafts = this.drafts
        .map((draft, order) => ({ draft, order }))
        .filter(({ draft }) => draft.type === type)
        .sort((a, b) => a.draft.createdAt.localeCompare(b.draft.createdAt) || a.order - b.order);
      drafts.forEach(({ draft }, index) => {
        const id = String(this.cast.idBases[type] + index * 3 + (index % 3));
        objects[type].push(
          record(type, id, draft.createdAt, draft.updatedAt ?? this.updatedAt(draft.createdAt, index), draft.values),
        );
        for (const contactId of draft.contactIds) {
          if (!known.has(contactId)) throw new Error(`${this.cast.key}: ${type} of unknown contact ${contactId}`);
          associations.push({ contactId, toType: type, toId: id });
          if ((lastActivity.get(contactId) ?? '') < draft.createdAt) lastActivity.set(contactId, draft.createdAt);
        }
      });
    }

    objects.contacts = [...this.contacts]
      .sort((a, b) => compareIds(a.id, b.id))
      .map((spec) => {
        const { id, createdAt, ...values } = spec;
        const updatedAt = earliest(plus(lastActivity.get(id) ?? createdAt, 2 * HOUR), SEED_HORIZON);
        return record('contacts', id, createdAt, updatedAt, values);
      });

    return {
      key: this.cast.key,
      token: this.cast.token,
      account: { ...this.cast.account, additionalCurrencies: [...this.cast.account.additionalCurrencies] },
      pipelines: { tickets: this.ticketPipelines },
      objects,
      associations,
    };
  }

  /** Some hours to days after creation, never past the horizon. */
  private updatedAt(createdAt: string, salt = this.drafts.length): string {
    return earliest(plus(createdAt, (salt % 4) * DAY + (1 + (salt % 9)) * HOUR), SEED_HORIZON);
  }
}

/** A record with its values as strings and HubSpot's id and timestamp properties filled in. */
function record(type: ObjectTypeName, id: string, createdAt: string, updatedAt: string, values: Values): HubspotRecord {
  const definition = OBJECT_TYPES[type];
  const properties: Record<string, string> = {};
  for (const [name, value] of Object.entries(values)) {
    if (value === undefined || value === null) continue;
    if (!(name in definition.properties)) throw new Error(`${type} have no property ${name}`);
    properties[name] = value;
  }
  properties.hs_object_id = id;
  if (type === 'contacts') Object.assign(properties, searchableNumbers(properties));
  properties[definition.createdProperty] = createdAt;
  properties[definition.modifiedProperty] = updatedAt;
  return { id, createdAt, updatedAt, properties };
}

/**
 * HubSpot's calculated copies of a contact's numbers: digits only, without country code or formatting
 * (`hs_searchable_calculated_phone_number`, `hs_searchable_calculated_mobile_number`), so that a search by digits
 * finds `+1 415-555-0132`, `(415) 555-0132` and `415.555.0132` alike. Numbers without a country code are read as US.
 * No HubSpot page naming these properties or their derivation was found; this derivation is the sandbox's own.
 */
function searchableNumbers(properties: Record<string, string>): Record<string, string> {
  const calculated: Record<string, string> = {};
  const national = (raw: string | undefined) =>
    raw ? parsePhoneNumberFromString(raw, 'US')?.nationalNumber : undefined;
  const phone = national(properties.phone);
  const mobile = national(properties.mobilephone);
  if (phone) calculated.hs_searchable_calculated_phone_number = phone;
  if (mobile) calculated.hs_searchable_calculated_mobile_number = mobile;
  return calculated;
}

const TICKET_PRIORITIES: (TicketPriority | '' | null)[] = [
  'LOW',
  'MEDIUM',
  'HIGH',
  'URGENT',
  null,
  'MEDIUM',
  'LOW',
  '',
];
const OPEN_STAGES = [
  ticketStage.new,
  ticketStage.waitingOnContact,
  ticketStage.waitingOnUs,
  ticketStage.triage,
  ticketStage.investigating,
];

/** The n-th generated ticket from `from`: text, priority and stage by index; old ones closed, recent ones open. */
export function generatedTicket(n: number, createdAt: string, open: boolean, escalations = true): TicketSeed {
  const text = TICKET_TEXTS[n % TICKET_TEXTS.length]!;
  const escalated = escalations && n % 5 === 4;
  const stage = open
    ? OPEN_STAGES[n % (escalations ? OPEN_STAGES.length : 3)]!
    : escalated
      ? ticketStage.resolved
      : ticketStage.closed;
  return {
    at: createdAt,
    subject: text.subject,
    content: text.content,
    stage,
    priority: TICKET_PRIORITIES[n % TICKET_PRIORITIES.length]!,
    category: n % 3 === 0 ? 'PRODUCT_ISSUE' : n % 3 === 1 ? 'BILLING_ISSUE' : undefined,
    source: n % 4 === 0 ? 'PHONE' : n % 4 === 1 ? 'CHAT' : 'EMAIL',
  };
}

function seedJane(portal: PortalBuilder, jane: ContactSpec): void {
  const tickets: TicketSeed[] = [
    {
      at: at('2025-01-20T10:03:27.512'),
      subject: 'Order #88213 arrived damaged',
      content: 'Hi,\n\nThe box was crushed and the lamp inside is broken.\n\nThanks, Jane',
      stage: ticketStage.closed,
      priority: 'HIGH',
      category: 'PRODUCT_ISSUE',
    },
    {
      at: at('2025-04-08T14:20:00'),
      subject: 'Invoice INV-2291 shows the wrong address',
      content: 'Our billing address changed in March; please reissue INV-2291.',
      stage: ticketStage.closed,
      priority: 'LOW',
      category: 'BILLING_ISSUE',
    },
    {
      at: at('2025-09-16T09:45:00'),
      subject: 'Bulk order: 40 LED panels for the Columbus warehouse',
      content: 'Need delivery before the October opening. Escalated for stock allocation.',
      stage: ticketStage.resolved,
      priority: 'MEDIUM',
    },
    {
      at: at('2026-02-03T16:12:00'),
      subject: 'Dimmer flicker on LP-200 panels',
      content: 'All LP-200 panels flicker below 20% brightness with the wall dimmers we bought from you.',
      stage: ticketStage.investigating,
      priority: 'URGENT',
      category: 'PRODUCT_ISSUE',
      source: 'PHONE',
    },
    {
      at: at('2026-05-21T08:05:00'),
      subject: 'Portal login loop after password reset',
      content: 'After resetting my password the portal sends me back to the login page.',
      stage: ticketStage.waitingOnUs,
      priority: 'HIGH',
      source: 'CHAT',
    },
    {
      at: at('2026-07-30T11:30:00'),
      subject: 'Request: net 45 payment terms',
      content: null,
      stage: ticketStage.waitingOnContact,
      priority: null,
      category: 'BILLING_ISSUE',
    },
    {
      at: at('2026-09-14T13:50:00'),
      subject: 'Replacement part for the LP-200 mounting bracket',
      content: 'Two brackets snapped during installation.',
      stage: ticketStage.fixScheduled,
      priority: '',
    },
    {
      at: at('2026-10-02T14:05:00'),
      subject: 'Warehouse delivery window change',
      content: 'From November, deliveries to Columbus only between 7am and 11am.',
      stage: ticketStage.triage,
      priority: 'LOW',
      category: 'GENERAL_INQUIRY',
    },
    {
      at: at('2026-10-20T17:25:00'),
      subject: 'Damaged shipment: order #90412',
      content: 'Three panels arrived with cracked diffusers. Photos attached.',
      stage: ticketStage.new,
      priority: 'MEDIUM',
      category: 'PRODUCT_ISSUE',
      source: 'FORM',
    },
  ];
  tickets.forEach((ticket) => portal.ticket(jane, ticket));

  portal.note(jane, { at: at('2025-01-22T15:40:00'), html: NOTE_HTML.callRecap });
  portal.note(jane, { at: at('2025-06-30T10:00:00'), html: NOTE_HTML.renewalChecklist });
  portal.note(jane, { at: at('2025-11-12T16:45:00'), html: NOTE_HTML.entities });
  portal.note(jane, { at: at('2026-03-09T09:30:00'), html: NOTE_HTML.steps });
  portal.note(jane, { at: at('2026-08-27T18:10:00'), html: NOTE_HTML.longMeeting });

  const tasks: TaskSeed[] = [
    {
      at: at('2025-05-02T09:00:00'),
      due: at('2025-05-09T17:00:00'),
      subject: 'Send replacement lamp tracking number',
      body: 'Carrier: UPS. Jane wants it by email.',
      status: 'COMPLETED',
      priority: 'HIGH',
      type: 'EMAIL',
    },
    {
      at: at('2025-12-01T10:30:00'),
      due: at('2025-12-15T17:00:00'),
      subject: 'Follow up on the net 45 request',
      body: null,
      status: 'DEFERRED',
      priority: 'NONE',
    },
    {
      at: at('2026-03-10T08:15:00'),
      due: at('2026-03-17T15:00:00'),
      subject: 'Schedule the training session',
      body: '<p>Two users: <b>Jane</b> &amp; Bob.</p>',
      status: 'COMPLETED',
      priority: 'LOW',
      type: 'CALL',
    },
    {
      at: at('2026-08-28T09:40:00'),
      due: at('2026-09-15T17:00:00'),
      subject: 'Send the flat-rate expedited shipping proposal',
      body: 'Promised at the QBR; waiting for finance to sign off the rate.',
      status: 'WAITING',
      priority: 'MEDIUM',
      type: 'EMAIL',
    },
    {
      at: at('2026-09-20T12:00:00'),
      due: at('2027-01-15T16:00:00'),
      subject: 'Prepare the next quarterly business review',
      body: '<ul><li>Delivery KPIs</li><li>Escalation manager intro</li></ul>',
      status: 'NOT_STARTED',
      priority: 'HIGH',
    },
    {
      at: at('2026-10-05T11:20:00'),
      due: at('2027-02-01T17:00:00'),
      subject: 'Confirm the dimmer firmware fix with engineering',
      body: 'Linked to the LP-200 flicker ticket.',
      status: 'IN_PROGRESS',
      priority: 'MEDIUM',
    },
    {
      at: at('2026-10-22T09:10:00'),
      due: at('2027-03-31T15:00:00'),
      subject: 'Renewal call',
      body: null,
      status: 'NOT_STARTED',
      priority: 'LOW',
      type: 'CALL',
    },
  ];
  tasks.forEach((task) => portal.task(jane, task));

  const calls: CallSeed[] = [
    {
      at: at('2025-01-20T11:15:00'),
      title: 'Damaged lamp: first call',
      body: '<p>Jane called about order <strong>#88213</strong>. Photos requested by email.</p>',
      status: 'COMPLETED',
      direction: 'INBOUND',
      durationSeconds: 412,
    },
    {
      at: at('2025-09-17T15:30:00'),
      title: 'Follow-up on the replacement',
      body: null,
      status: 'NO_ANSWER',
      direction: 'OUTBOUND',
      durationSeconds: 0,
    },
    {
      at: at('2026-05-06T09:05:00'),
      title: null,
      body: '<p>Renewal quote walkthrough&nbsp;&mdash; Jane wants the 3-year option.</p><ul><li>Send the PDF</li><li>Book a demo</li></ul>',
      status: 'COMPLETED',
      direction: 'OUTBOUND',
      durationSeconds: 1260,
    },
    {
      at: at('2026-10-14T16:45:00'),
      title: 'Callback about the invoice address',
      body: '<p>Line was busy; try again tomorrow morning.</p>',
      status: 'BUSY',
      direction: 'OUTBOUND',
      durationSeconds: 0,
    },
  ];
  calls.forEach((call) => portal.call(jane, call));
}

/** 620 tickets over 19 months, a few notes and tasks: more associations than one page. */
function seedHeavy(portal: PortalBuilder, heavy: ContactSpec): void {
  const from = at('2025-02-05T08:00:00');
  for (let n = 0; n < HEAVY_TICKET_COUNT; n++) {
    const createdAt = plus(from, n * 22 * HOUR + (n % 7) * 13 * MINUTE);
    portal.ticket(heavy, generatedTicket(n, createdAt, n >= HEAVY_TICKET_COUNT - 40 || n % 37 === 0));
  }
  portal.note(heavy, { at: at('2025-03-01T10:00:00'), html: SHORT_NOTES[3]! });
  portal.note(heavy, { at: at('2026-06-11T14:30:00'), html: SHORT_NOTES[4]! });
  portal.note(heavy, {
    at: at('2026-10-12T09:00:00'),
    html: NOTE_HTML.renewalChecklist.replace('Doe Lighting', 'Big Retail'),
  });
  portal.task(heavy, {
    ...taskFrom(0),
    at: at('2026-09-01T09:00:00'),
    due: at('2027-01-10T17:00:00'),
    status: 'IN_PROGRESS',
    priority: 'HIGH',
  });
  portal.task(heavy, {
    ...taskFrom(1),
    at: at('2025-07-07T09:00:00'),
    due: at('2025-07-10T17:00:00'),
    status: 'COMPLETED',
    priority: 'MEDIUM',
  });
}

export function taskFrom(n: number): Pick<TaskSeed, 'subject' | 'body'> {
  const text = TASK_TEXTS[n % TASK_TEXTS.length]!;
  return { subject: text.subject, body: text.body };
}

/** Named acme contacts other than Jane and the heavy one: a few interactions each (none for noAssociations). */
function seedNamed(portal: PortalBuilder, people: typeof ACME_PEOPLE): void {
  const { sharedEmail1, sharedEmail2, phoneOnly, mobileOnly, sameName1, sameName2, uniqueName } = people;

  portal.ticket(sharedEmail1, generatedTicket(1, at('2025-03-04T09:15:00'), false));
  portal.ticket(sharedEmail1, generatedTicket(2, at('2026-06-18T13:00:00'), true));
  portal.note(sharedEmail1, { at: at('2025-03-05T10:00:00'), html: SHORT_NOTES[1]! });
  portal.ticket([sharedEmail1, sharedEmail2], {
    at: at('2026-04-14T10:20:00'),
    subject: 'Wholesale account for both bakery locations',
    content: 'Sam and Sasha share one account email; please set up wholesale pricing for both shops.',
    stage: ticketStage.waitingOnUs,
    priority: 'MEDIUM',
    category: 'BILLING_ISSUE',
  });
  portal.ticket(sharedEmail2, generatedTicket(3, at('2025-08-01T16:40:00'), false));
  portal.task(sharedEmail2, {
    ...taskFrom(3),
    at: at('2026-09-29T08:00:00'),
    due: at('2026-10-06T17:00:00'),
    status: 'WAITING',
    priority: 'LOW',
  });

  portal.ticket(phoneOnly, generatedTicket(6, at('2025-03-12T11:00:00'), false));
  portal.note(phoneOnly, { at: at('2026-01-20T15:00:00'), html: SHORT_NOTES[0]! });

  portal.ticket(mobileOnly, generatedTicket(7, at('2025-05-02T12:30:00'), true));
  portal.task(mobileOnly, {
    ...taskFrom(1),
    at: at('2025-05-03T09:00:00'),
    due: at('2025-05-05T12:00:00'),
    status: 'COMPLETED',
    priority: 'NONE',
    type: 'CALL',
  });

  portal.ticket(sameName1, generatedTicket(4, at('2025-04-10T10:00:00'), false));
  portal.ticket(sameName1, generatedTicket(8, at('2026-03-03T09:30:00'), true));
  portal.ticket(sameName2, generatedTicket(9, at('2025-07-20T14:00:00'), true));
  portal.note(sameName2, { at: at('2025-07-21T09:00:00'), html: SHORT_NOTES[2]! });

  portal.ticket(uniqueName, generatedTicket(5, at('2025-05-25T10:45:00'), false));
  portal.ticket(uniqueName, {
    at: at('2026-08-12T15:35:00'),
    subject: 'Custom fixtures for the library project',
    content: 'Evelyn needs 18 pendant fixtures in a custom bronze finish.',
    stage: ticketStage.triage,
    priority: 'HIGH',
    category: 'FEATURE_REQUEST',
  });
  portal.note(uniqueName, { at: at('2026-08-13T10:00:00'), html: SHORT_NOTES[3]! });
  portal.task(uniqueName, {
    ...taskFrom(0),
    at: at('2026-08-14T09:00:00'),
    due: at('2027-02-20T17:00:00'),
    status: 'NOT_STARTED',
    priority: 'HIGH',
  });
  portal.call(uniqueName, {
    at: at('2026-08-12T15:50:00'),
    title: 'Bronze finish options',
    body: '<p>Walked Evelyn through three finishes; she prefers <em>antique bronze</em>.</p>',
    status: 'COMPLETED',
    direction: 'INBOUND',
    durationSeconds: 645,
  });
}

/** acme's generated contacts: one every 17 days after the named ones, each with a few interactions. */
function seedRegulars(portal: PortalBuilder): void {
  ACME_REGULARS.forEach(([firstname, lastname, company], k) => {
    const createdAt = plus(ACME_REGULARS_FROM.createdAt, k * 17 * DAY + (k % 5) * HOUR);
    const contact = portal.contact({
      id: String(ACME_REGULARS_FROM.id + k * 50),
      createdAt,
      firstname,
      lastname,
      email: `${firstname}.${lastname}@example.org`.toLowerCase(),
      phone: k % 3 === 0 ? `+1 312 555 ${String(1000 + k * 7).slice(-4)}` : undefined,
      company,
      lifecyclestage: k % 2 === 0 ? 'customer' : 'lead',
    });
    for (let j = 0; j < k % 3; j++) {
      portal.ticket(contact, generatedTicket(k + j, plus(createdAt, (j + 1) * 9 * DAY + 3 * HOUR), j > 0));
    }
    if (k % 2 === 1) portal.note(contact, { at: plus(createdAt, 2 * DAY), html: SHORT_NOTES[k % SHORT_NOTES.length]! });
    if (k % 4 === 0) {
      portal.task(contact, {
        ...taskFrom(k),
        at: plus(createdAt, DAY),
        due: plus(createdAt, 8 * DAY),
        status: 'COMPLETED',
        priority: 'LOW',
      });
    }
  });
}

export function seedAcme(): HubspotPortalData {
  const pipelines = [defaultPipeline(at('2025-01-02T09:00:00')), escalationsPipeline(at('2025-03-01T12:00:00'))];
  const portal = new PortalBuilder(ACME_CAST, pipelines);
  for (const spec of Object.values(ACME_PEOPLE)) portal.contact(spec);
  seedJane(portal, ACME_PEOPLE.jane);
  seedHeavy(portal, ACME_PEOPLE.heavy);
  seedNamed(portal, ACME_PEOPLE);
  seedRegulars(portal);
  // Last and newest, so that the ids handed out above stay as they were.
  portal.note(ACME_PEOPLE.otherFormats, { at: at('2026-10-30T10:00:00'), html: SHORT_NOTES[1]! });
  return portal.build();
}

export function seedGlobex(): HubspotPortalData {
  const portal = new PortalBuilder(GLOBEX_CAST, [defaultPipeline(at('2025-01-06T08:00:00'))]);
  const jane = portal.contact(GLOBEX_PEOPLE.jane);
  portal.ticket(jane, {
    at: at('2025-03-10T09:30:00'),
    subject: 'Framework agreement renewal 2025',
    content: 'Please send the renewal draft to procurement.',
    stage: ticketStage.closed,
    priority: 'MEDIUM',
  });
  portal.ticket(jane, {
    at: at('2026-05-04T13:10:00'),
    subject: 'Delivery to the Hamburg site delayed',
    content: 'Pallets expected last week have not arrived.',
    stage: ticketStage.waitingOnUs,
    priority: 'URGENT',
  });
  portal.ticket(jane, {
    at: at('2026-10-08T07:55:00'),
    subject: 'New cost centre for invoices',
    content: null,
    stage: ticketStage.new,
    priority: null,
  });
  portal.note(jane, {
    at: at('2025-03-11T12:00:00'),
    html: '<p>Jane (Globex Berlin) prefers calls in the morning, CET.</p>',
  });
  portal.note(jane, {
    at: at('2026-05-05T16:20:00'),
    html: '<p>Carrier confirmed the delay:<br>new ETA <strong>Friday</strong>.</p>',
  });
  portal.task(jane, {
    ...taskFrom(2),
    at: at('2026-05-06T08:00:00'),
    due: at('2026-05-08T12:00:00'),
    status: 'COMPLETED',
    priority: 'MEDIUM',
  });
  portal.task(jane, {
    ...taskFrom(0),
    at: at('2026-10-09T09:00:00'),
    due: at('2027-01-20T12:00:00'),
    status: 'NOT_STARTED',
    priority: 'HIGH',
  });

  GLOBEX_REGULARS.forEach(([id, createdAt, firstname, lastname, email], k) => {
    const contact = portal.contact({
      id,
      createdAt,
      firstname,
      lastname,
      email,
      company: 'Globex',
      lifecyclestage: 'customer',
    });
    portal.ticket(contact, generatedTicket(k, plus(createdAt, 5 * DAY), k % 2 === 0, false));
    if (k % 2 === 1) portal.note(contact, { at: plus(createdAt, 6 * DAY), html: SHORT_NOTES[k]! });
  });
  return portal.build();
}

/** Every seeded portal. Same code, same data, every time. */
export function seedHubspotPortals(): HubspotPortalData[] {
  return [seedAcme(), seedGlobex()];
}
