import type { ZendeskCredentials, ZendeskRole } from './model.js';

/**
 * The people of each sandbox Zendesk account, fixed by hand: their ids, names, emails and phones are what tests and
 * the docs refer to (through `ZENDESK_SANDBOX` in fixtures.ts). Their tickets are built in seed.ts.
 */

/** Zendesk's own time-zone names, with the IANA zone it reports beside them. */
export const TIME_ZONES = {
  pacific: ['Pacific Time (US & Canada)', 'America/Los_Angeles'],
  eastern: ['Eastern Time (US & Canada)', 'America/New_York'],
  central: ['Central Time (US & Canada)', 'America/Chicago'],
  london: ['London', 'Europe/London'],
  lisbon: ['Lisbon', 'Europe/Lisbon'],
  berlin: ['Berlin', 'Europe/Berlin'],
  tokyo: ['Tokyo', 'Asia/Tokyo'],
  brasilia: ['Brasilia', 'America/Sao_Paulo'],
} as const satisfies Record<string, readonly [string, string]>;

export type TimeZoneKey = keyof typeof TIME_ZONES;

export interface PersonSpec {
  id: number;
  name: string;
  email: string | null;
  phone: string | null;
  /** Defaults to end-user. */
  role?: ZendeskRole;
  zone: TimeZoneKey;
  organizationId?: number | null;
  externalId?: string | null;
  createdAt: string;
  /** Identities besides the primary email and phone (Zendesk users may have several). */
  secondary?: { emails?: string[]; phones?: string[] };
  /** A suspended user (Users API `suspended`): still searchable, not a contact. */
  suspended?: boolean;
}

export interface TenantCast {
  subdomain: string;
  /** Shown as the support address's name, e.g. "Acme Support". */
  company: string;
  /** The seed of the tenant's pseudo-random ticket generator. */
  seed: number;
  credentials: ZendeskCredentials;
  /** The agent the credentials belong to (an admin), then the other agents. */
  agents: readonly [PersonSpec, ...PersonSpec[]];
  firstTicketId: number;
  firstCommentId: number;
  firstAuditId: number;
  brandId: number;
  ticketFormId: number;
  groupId: number;
  /** Zendesk's custom status ids of the six system statuses. */
  customStatusBase: number;
}

// ---------------------------------------------------------------------------------------------------------------
// acme
// ---------------------------------------------------------------------------------------------------------------

const ACME_AGENT: PersonSpec = {
  id: 361000000001,
  name: 'Sam Rivera',
  email: 'agent@acme.example',
  phone: '+1 415-555-0101',
  role: 'admin',
  zone: 'pacific',
  createdAt: '2024-11-04T16:20:00Z',
};

export const ACME_CAST: TenantCast = {
  subdomain: 'acme',
  company: 'Acme',
  seed: 0x0ac3e,
  credentials: {
    email: 'agent@acme.example',
    token: 'acme-sandbox-api-token',
    accessToken: 'acme-sandbox-oauth-token',
  },
  agents: [
    ACME_AGENT,
    {
      id: 361000000002,
      name: 'Priya Shah',
      email: 'priya.shah@acme.example',
      phone: null,
      role: 'agent',
      zone: 'eastern',
      createdAt: '2024-11-12T14:00:00Z',
    },
    {
      id: 361000000003,
      name: 'Tomás Ruiz',
      email: 'tomas.ruiz@acme.example',
      phone: null,
      role: 'agent',
      zone: 'central',
      createdAt: '2024-12-02T15:30:00Z',
    },
  ],
  firstTicketId: 1001,
  firstCommentId: 38100000001,
  firstAuditId: 38170000001,
  brandId: 360000200001,
  ticketFormId: 360000300001,
  groupId: 360000400001,
  customStatusBase: 360000500001,
};

const ACME_ORG = 360000100001;

/** The acme users tests and examples name. */
export const ACME_PEOPLE = {
  /** The example request's contact (examples/zendesk-request.json): a handful of cases, tasks and internal notes. */
  jane: {
    id: 361000000101,
    name: 'Jane Doe',
    email: 'jane.doe@example.com',
    phone: '+15555555555',
    zone: 'eastern',
    externalId: 'crm-contact-0001',
    createdAt: '2025-01-08T09:12:44Z',
  },
  /** Dozens of tickets: reading the newest 50 cases takes more than one page of 50. */
  heavy: {
    id: 361000000102,
    name: 'Marcus Whitaker',
    email: 'marcus.whitaker@example.com',
    phone: '+14155550100',
    zone: 'pacific',
    organizationId: ACME_ORG,
    createdAt: '2025-01-03T17:45:10Z',
  },
  /** No email: found only by phone, each stored in a different spelling of a US number. */
  phoneOnly: [
    {
      id: 361000000103,
      name: 'Luis Ortega',
      email: null,
      phone: '+1 (415) 555-0132',
      zone: 'pacific',
      createdAt: '2025-02-11T19:02:31Z',
    },
    {
      id: 361000000104,
      name: 'Mei Chen',
      email: null,
      phone: '4155550177',
      zone: 'pacific',
      createdAt: '2025-04-22T15:48:05Z',
    },
    {
      id: 361000000105,
      name: 'Sven Larsen',
      email: null,
      phone: '415-555-0188',
      zone: 'central',
      createdAt: '2025-07-30T13:27:50Z',
    },
  ],
  /** Two users behind one email address (a household sharing a mailbox). */
  sharedEmail: [
    {
      id: 361000000106,
      name: 'Chris Park',
      email: 'shared@example.com',
      phone: null,
      zone: 'eastern',
      createdAt: '2025-03-05T10:10:10Z',
    },
    {
      id: 361000000107,
      name: 'Robin Park',
      email: 'shared@example.com',
      phone: null,
      zone: 'eastern',
      createdAt: '2025-05-19T21:33:00Z',
    },
  ],
  /** Two different people called Alex Morgan: a name alone must not pick one. */
  sameName: [
    {
      id: 361000000108,
      name: 'Alex Morgan',
      email: 'alex.morgan@example.com',
      phone: null,
      zone: 'london',
      createdAt: '2025-02-27T08:05:00Z',
    },
    {
      id: 361000000109,
      name: 'Alex Morgan',
      email: 'amorgan@example.net',
      phone: '+1 312-555-0143',
      zone: 'central',
      createdAt: '2025-06-14T12:40:22Z',
    },
  ],
  /** The only user of that name: a name search finds exactly one. */
  uniqueName: {
    id: 361000000110,
    name: 'Bartholomew Quince',
    email: 'b.quince@example.com',
    phone: null,
    zone: 'london',
    createdAt: '2025-03-18T11:11:11Z',
  },
  /** Has never opened a ticket. */
  noTickets: {
    id: 361000000111,
    name: 'Olivia Bennett',
    email: 'olivia.bennett@example.com',
    phone: '+1 646-555-0119',
    zone: 'eastern',
    createdAt: '2025-09-09T09:09:09Z',
  },
  /** A work email and a mobile besides the primary ones: found through either, though `email`/`phone` show neither. */
  secondaryIdentities: {
    id: 361000000112,
    name: 'Ines Duarte',
    email: 'ines.duarte@example.com',
    phone: '+1 305-555-0150',
    zone: 'eastern',
    createdAt: '2025-09-15T14:00:00Z',
    secondary: { emails: ['ines@duarte-studio.example'], phones: ['(305) 555-0151'] },
  },
  /** Suspended: Zendesk still finds the user, but a suspended user is not a contact. */
  suspended: {
    id: 361000000113,
    name: 'Victor Hale',
    email: 'victor.hale@example.com',
    phone: '+1 702-555-0142',
    zone: 'pacific',
    createdAt: '2025-09-20T10:00:00Z',
    suspended: true,
  },
} as const satisfies Record<string, PersonSpec | readonly PersonSpec[]>;

/** Everyday customers, a few tickets each. */
export const ACME_REGULARS: readonly PersonSpec[] = [
  {
    id: 361000000201,
    name: 'Fatima Al-Sayed',
    email: 'fatima.alsayed@example.com',
    phone: '+1 718-555-0164',
    zone: 'eastern',
    createdAt: '2025-01-15T13:00:00Z',
  },
  {
    id: 361000000202,
    name: 'Noah Fischer',
    email: 'noah.fischer@example.de',
    phone: null,
    zone: 'berlin',
    createdAt: '2025-01-21T07:45:00Z',
  },
  {
    id: 361000000203,
    name: 'Grace Kim',
    email: 'grace.kim@example.com',
    phone: '+1 206-555-0182',
    zone: 'pacific',
    organizationId: ACME_ORG,
    createdAt: '2025-02-02T18:30:00Z',
  },
  {
    id: 361000000204,
    name: 'Diego Alvarez',
    email: 'diego.alvarez@example.com',
    phone: null,
    zone: 'central',
    createdAt: '2025-04-09T16:15:00Z',
  },
  {
    id: 361000000205,
    name: 'Hannah Schmidt',
    email: 'hannah.schmidt@example.org',
    phone: null,
    zone: 'berlin',
    createdAt: '2025-06-01T06:20:00Z',
  },
  {
    id: 361000000206,
    name: 'Kwame Mensah',
    email: 'kwame.mensah@example.com',
    phone: '+1 404-555-0127',
    zone: 'eastern',
    createdAt: '2025-08-23T20:05:00Z',
  },
];

// ---------------------------------------------------------------------------------------------------------------
// globex
// ---------------------------------------------------------------------------------------------------------------

export const GLOBEX_CAST: TenantCast = {
  subdomain: 'globex',
  company: 'Globex',
  seed: 0x910be,
  credentials: {
    email: 'agent@globex.example',
    token: 'globex-sandbox-api-token',
    accessToken: 'globex-sandbox-oauth-token',
  },
  agents: [
    {
      id: 372000000001,
      name: 'Dana Whitfield',
      email: 'agent@globex.example',
      phone: null,
      role: 'admin',
      zone: 'london',
      createdAt: '2024-10-28T09:00:00Z',
    },
    {
      id: 372000000002,
      name: 'Ravi Menon',
      email: 'ravi.menon@globex.example',
      phone: null,
      role: 'agent',
      zone: 'london',
      createdAt: '2024-12-09T10:30:00Z',
    },
  ],
  firstTicketId: 5001,
  firstCommentId: 39200000001,
  firstAuditId: 39270000001,
  brandId: 372000200001,
  ticketFormId: 372000300001,
  groupId: 372000400001,
  customStatusBase: 372000500001,
};

export const GLOBEX_PEOPLE = {
  /** Same email as acme's Jane Doe, but another person with other tickets: tenants never mix. */
  jane: {
    id: 372000000101,
    name: 'Jane M. Doe',
    email: 'jane.doe@example.com',
    phone: '+44 20 7946 0958',
    zone: 'london',
    createdAt: '2025-03-02T10:00:00Z',
  },
} as const satisfies Record<string, PersonSpec>;

export const GLOBEX_REGULARS: readonly PersonSpec[] = [
  {
    id: 372000000102,
    name: 'Tom Becker',
    email: 'tom.becker@example.org',
    phone: null,
    zone: 'berlin',
    createdAt: '2025-02-14T08:30:00Z',
  },
  {
    id: 372000000103,
    name: 'Ana Souza',
    email: 'ana.souza@example.com.br',
    phone: '+55 11 91234-5678',
    zone: 'brasilia',
    createdAt: '2025-05-06T13:15:00Z',
  },
  {
    id: 372000000104,
    name: 'Kenji Watanabe',
    email: 'kenji.watanabe@example.jp',
    phone: null,
    zone: 'tokyo',
    createdAt: '2025-07-21T01:00:00Z',
  },
];
