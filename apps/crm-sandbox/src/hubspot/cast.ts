import type { HubspotAccountDetails } from './model.js';
import type { ObjectTypeName } from './object-types.js';

/**
 * Who is who in the sandbox's HubSpot portals: each portal's token and account, and the contacts tests name.
 * Contact ids are fixed here (HubSpot ids are numeric strings that grow with creation time, so each id is higher
 * than those of every contact created before it); the ids of tickets, notes, tasks and calls are handed out by the
 * seed in creation order, from each portal's `idBases`.
 */

export interface ContactSpec {
  id: string;
  createdAt: string;
  firstname?: string;
  lastname?: string;
  email?: string;
  phone?: string;
  mobilephone?: string;
  /** Other addresses, `;`-separated, as HubSpot keeps them. */
  hs_additional_emails?: string;
  company?: string;
  jobtitle?: string;
  city?: string;
  country?: string;
  lifecyclestage?: string;
}

export interface PortalCast {
  key: string;
  token: string;
  account: HubspotAccountDetails;
  /** The first id of each non-contact type; later records get higher ids in creation order. */
  idBases: Record<Exclude<ObjectTypeName, 'contacts'>, number>;
}

export const ACME_CAST: PortalCast = {
  key: 'acme',
  token: 'pat-na1-sandbox-acme-0000-000000000001',
  account: {
    portalId: 24_681_357,
    accountType: 'STANDARD',
    timeZone: 'US/Eastern',
    companyCurrency: 'USD',
    additionalCurrencies: ['CAD'],
    utcOffset: '-05:00',
    utcOffsetMilliseconds: -18_000_000,
    uiDomain: 'app.hubspot.com',
    dataHostingLocation: 'na1',
  },
  idBases: { tickets: 2_090_114_001, notes: 45_872_300_001, tasks: 61_234_500_001, calls: 70_117_800_001 },
};

export const GLOBEX_CAST: PortalCast = {
  key: 'globex',
  token: 'pat-eu1-sandbox-globex-0000-000000000002',
  account: {
    portalId: 139_004_221,
    accountType: 'STANDARD',
    timeZone: 'Europe/Berlin',
    companyCurrency: 'EUR',
    additionalCurrencies: ['GBP', 'USD'],
    utcOffset: '+01:00',
    utcOffsetMilliseconds: 3_600_000,
    uiDomain: 'app-eu1.hubspot.com',
    dataHostingLocation: 'eu1',
  },
  idBases: { tickets: 3_114_870_001, notes: 47_021_900_001, tasks: 62_451_600_001, calls: 71_300_200_001 },
};

/** acme's notable contacts, oldest first. */
export const ACME_PEOPLE = {
  /**
   * The example request's contact (examples/hubspot-request.json): tickets in both pipelines, rich notes, tasks of
   * every status and priority.
   */
  jane: {
    id: '10400000101',
    createdAt: '2025-01-14T09:12:00.000Z',
    firstname: 'Jane',
    lastname: 'Doe',
    email: 'jane.doe@example.com',
    phone: '+15555555555',
    company: 'Doe Lighting Co.',
    jobtitle: 'Operations Manager',
    city: 'Springfield',
    country: 'United States',
    lifecyclestage: 'customer',
  },
  /** More associated tickets than one page of associations (500). */
  heavy: {
    id: '10400000151',
    createdAt: '2025-02-03T14:40:00.000Z',
    firstname: 'Marcus',
    lastname: 'Whitfield',
    email: 'marcus.whitfield@bigretail.example',
    phone: '+1 212 555 0199',
    company: 'Big Retail Group',
    jobtitle: 'Head of Procurement',
    lifecyclestage: 'customer',
  },
  sharedEmail1: {
    id: '10400000201',
    createdAt: '2025-02-20T11:05:00.000Z',
    firstname: 'Sam',
    lastname: 'Lee',
    email: 'shared@example.com',
    company: 'Lee & Lee Bakery',
    lifecyclestage: 'customer',
  },
  /** No email; the phone as someone typed it. */
  phoneOnly: {
    id: '10400000251',
    createdAt: '2025-03-11T16:22:00.000Z',
    firstname: 'Priya',
    lastname: 'Raman',
    phone: '+1 (415) 555-0132',
    city: 'San Francisco',
    lifecyclestage: 'lead',
  },
  sameName1: {
    id: '10400000301',
    createdAt: '2025-04-02T08:30:00.000Z',
    firstname: 'John',
    lastname: 'Smith',
    email: 'john.smith@alpha.example',
    phone: '+1 303 555 0110',
    company: 'Alpha Freight',
    lifecyclestage: 'customer',
  },
  /** No email, no phone: only a mobile phone, ten bare digits. */
  mobileOnly: {
    id: '10400000351',
    createdAt: '2025-04-28T13:47:00.000Z',
    firstname: 'Tomás',
    lastname: 'Alvarez',
    mobilephone: '4155550177',
    city: 'Oakland',
    lifecyclestage: 'lead',
  },
  uniqueName: {
    id: '10400000401',
    createdAt: '2025-05-19T10:10:00.000Z',
    firstname: 'Evelyn',
    lastname: 'Hartwell',
    email: 'evelyn.hartwell@example.net',
    phone: '+1 617 555 0143',
    company: 'Hartwell Architects',
    lifecyclestage: 'opportunity',
  },
  sharedEmail2: {
    id: '10400000451',
    createdAt: '2025-06-09T15:55:00.000Z',
    firstname: 'Sasha',
    lastname: 'Lee',
    email: 'shared@example.com',
    mobilephone: '+1 206 555 0175',
    company: 'Lee & Lee Bakery',
    lifecyclestage: 'customer',
  },
  sameName2: {
    id: '10400000501',
    createdAt: '2025-07-15T09:00:00.000Z',
    firstname: 'John',
    lastname: 'Smith',
    email: 'jsmith@beta.example',
    mobilephone: '+1 720 555 0188',
    company: 'Beta Analytics',
    lifecyclestage: 'lead',
  },
  /** Associated with nothing. */
  noAssociations: {
    id: '10400000551',
    createdAt: '2025-08-21T17:35:00.000Z',
    firstname: 'Nora',
    lastname: 'Quinn',
    email: 'nora.quinn@example.com',
    phone: '+1 512 555 0161',
    lifecyclestage: 'subscriber',
  },
  /** A dotted phone, a formatted mobile and two other emails: found by any of them. */
  otherFormats: {
    id: '10400000571',
    createdAt: '2025-08-25T10:00:00.000Z',
    firstname: 'Ruth',
    lastname: 'Okoye',
    email: 'ruth.okoye@example.com',
    hs_additional_emails: 'ruth@okoye-consulting.example;r.okoye@example.org',
    phone: '415.555.0163',
    mobilephone: '+1 415-555-0164',
    company: 'Okoye Consulting',
    lifecyclestage: 'customer',
  },
} satisfies Record<string, ContactSpec>;

/** The first id and creation time of acme's generated contacts (after every named one). */
export const ACME_REGULARS_FROM = { id: 10_400_000_601, createdAt: '2025-09-01T09:00:00.000Z' };

/** A few acme regulars: [firstname, lastname, company]. Emails are `first.last@example.org`. */
export const ACME_REGULARS: [string, string, string][] = [
  ['Olivia', 'Bennett', 'Bennett Dental'],
  ['Liam', 'Okafor', 'Okafor Logistics'],
  ['Mei', 'Tanaka', 'Tanaka Design'],
  ['Noah', 'Fischer', 'Fischer Tools'],
  ['Amara', 'Nwosu', 'Nwosu Catering'],
  ['Lucas', 'Moreau', 'Moreau Wines'],
  ['Sofia', 'Rossi', 'Rossi Motors'],
  ['Ethan', 'Kowalski', 'Kowalski Print'],
  ['Hana', 'Suzuki', 'Suzuki Florist'],
  ['Mateo', 'Garcia', 'Garcia Builders'],
  ['Chloe', 'Dubois', 'Dubois Bistro'],
  ['Arjun', 'Mehta', 'Mehta Pharmacy'],
  ['Grace', 'Oduya', 'Oduya Studio'],
  ['Felix', 'Wagner', 'Wagner Bikes'],
  ['Isla', 'Campbell', 'Campbell Farms'],
  ['Omar', 'Haddad', 'Haddad Imports'],
  ['Lena', 'Novak', 'Novak Legal'],
  ['Diego', 'Santos', 'Santos Surf'],
  ['Ava', 'Lindqvist', 'Lindqvist Optics'],
  ['Kofi', 'Asante', 'Asante Coffee'],
];

/** globex's notable contacts. */
export const GLOBEX_PEOPLE = {
  /** acme's Jane's email, but another contact: other id, phone, company and interactions. */
  jane: {
    id: '52800000251',
    createdAt: '2025-03-03T08:15:00.000Z',
    firstname: 'Jane',
    lastname: 'Doe',
    email: 'jane.doe@example.com',
    phone: '+44 20 7946 0321',
    company: 'Globex Europe GmbH',
    jobtitle: 'Procurement Lead',
    city: 'Berlin',
    country: 'Germany',
    lifecyclestage: 'customer',
  },
} satisfies Record<string, ContactSpec>;

/** A few globex regulars, created before and after its Jane: [id, createdAt, firstname, lastname, email]. */
export const GLOBEX_REGULARS: [string, string, string, string, string][] = [
  ['52800000101', '2025-01-20T10:00:00.000Z', 'Klaus', 'Berger', 'klaus.berger@globex.example'],
  ['52800000151', '2025-02-11T12:30:00.000Z', 'Ingrid', 'Larsen', 'ingrid.larsen@globex.example'],
  ['52800000301', '2025-05-26T09:45:00.000Z', 'Pierre', 'Lambert', 'pierre.lambert@globex.example'],
  ['52800000351', '2025-11-04T14:20:00.000Z', 'Marta', 'Kowalczyk', 'marta.kowalczyk@globex.example'],
  ['52800000401', '2026-04-17T11:05:00.000Z', 'Jonas', 'Eriksen', 'jonas.eriksen@globex.example'],
];
