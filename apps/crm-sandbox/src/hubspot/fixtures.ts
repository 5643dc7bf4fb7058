import { ACME_CAST, ACME_PEOPLE, GLOBEX_CAST, GLOBEX_PEOPLE, type ContactSpec, type PortalCast } from './cast.js';
import { compareIds } from './ids.js';
import type { HubspotPortalData } from './model.js';
import { OBJECT_TYPES, type ObjectTypeName } from './object-types.js';
import { DEFAULT_PIPELINE, ESCALATIONS_PIPELINE } from './pipelines.js';
import { seedAcme, seedGlobex } from './seed.js';

/**
 * What tests (the sandbox's, the connector's, end-to-end) need to know about the sandbox's HubSpot data, so that
 * they name contacts instead of repeating magic numbers. Identities come from cast.ts; associated ids are read from
 * the seed itself, so they cannot drift from what the sandbox serves.
 */

export interface HubspotSandboxContact {
  id: string;
  firstname: string | null;
  lastname: string | null;
  email: string | null;
  /** As stored (one spelling of the number). */
  phone: string | null;
  mobilephone: string | null;
  /** Ids of the associated records of each type, ascending (= oldest first). */
  ticketIds: string[];
  noteIds: string[];
  taskIds: string[];
  callIds: string[];
}

export interface HubspotSandboxPortal {
  /** The sandbox's name for the portal. */
  key: string;
  /** The private-app token (`Authorization: Bearer …`; the bridge's `access_token`). */
  token: string;
  portalId: number;
  /** For record urls: `https://{uiDomain}/contacts/{portalId}/record/{objectTypeId}/{id}`. */
  uiDomain: string;
}

export interface AcmeHubspotSandbox extends HubspotSandboxPortal {
  contacts: {
    /** Jane Doe, jane.doe@example.com, +15555555555: the example request's contact. Tickets in both pipelines with
     *  every priority (and none, and cleared), rich HTML notes, tasks of every status and priority. */
    jane: HubspotSandboxContact;
    /** 620 tickets: listing them takes two pages of 500 associations. */
    heavy: HubspotSandboxContact;
    /** No email; `phone` spelled `+1 (415) 555-0132`. */
    phoneOnly: HubspotSandboxContact;
    /** No email, no phone; `mobilephone` spelled `4155550177`. */
    mobileOnly: HubspotSandboxContact;
    /** Phone `415.555.0163`, mobile `+1 415-555-0164`, two hs_additional_emails. */
    otherFormats: HubspotSandboxContact;
    /** Two contacts with one email; one ticket is associated with both. */
    sharedEmail: { email: string; contacts: HubspotSandboxContact[] };
    /** Two contacts named John Smith. */
    sameName: { firstname: string; lastname: string; contacts: HubspotSandboxContact[] };
    /** The only Evelyn Hartwell. */
    uniqueName: HubspotSandboxContact;
    /** Associated with nothing. */
    noAssociations: HubspotSandboxContact;
  };
  pipelines: {
    /** HubSpot's default ticket pipeline: stages 1–3 OPEN, 4 CLOSED. */
    default: { id: string; stages: { new: string; waitingOnContact: string; waitingOnUs: string; closed: string } };
    /** The custom one: triage (first), investigating and fixScheduled (middle), resolved (CLOSED). */
    custom: {
      id: string;
      label: string;
      stages: { triage: string; investigating: string; fixScheduled: string; resolved: string };
    };
  };
}

export interface GlobexHubspotSandbox extends HubspotSandboxPortal {
  contacts: {
    /** jane.doe@example.com again, but another contact (other id, phone and interactions) than acme's. */
    jane: HubspotSandboxContact;
  };
}

export interface HubspotSandboxFixture {
  acme: AcmeHubspotSandbox;
  globex: GlobexHubspotSandbox;
  /** A well-formed token no portal has. */
  unknownToken: string;
  /** HubSpot's object type ids, as in record urls. */
  objectTypeIds: Record<ObjectTypeName, string>;
}

function associated(data: HubspotPortalData, contactId: string, type: ObjectTypeName): string[] {
  return data.associations
    .filter((association) => association.contactId === contactId && association.toType === type)
    .map((association) => association.toId)
    .sort(compareIds);
}

function contact(data: HubspotPortalData, spec: ContactSpec): HubspotSandboxContact {
  return {
    id: spec.id,
    firstname: spec.firstname ?? null,
    lastname: spec.lastname ?? null,
    email: spec.email ?? null,
    phone: spec.phone ?? null,
    mobilephone: spec.mobilephone ?? null,
    ticketIds: associated(data, spec.id, 'tickets'),
    noteIds: associated(data, spec.id, 'notes'),
    taskIds: associated(data, spec.id, 'tasks'),
    callIds: associated(data, spec.id, 'calls'),
  };
}

function portal(cast: PortalCast): HubspotSandboxPortal {
  return { key: cast.key, token: cast.token, portalId: cast.account.portalId, uiDomain: cast.account.uiDomain };
}

function buildFixture(): HubspotSandboxFixture {
  const acme = seedAcme();
  const globex = seedGlobex();
  const p = ACME_PEOPLE;
  return {
    acme: {
      ...portal(ACME_CAST),
      contacts: {
        jane: contact(acme, p.jane),
        heavy: contact(acme, p.heavy),
        phoneOnly: contact(acme, p.phoneOnly),
        mobileOnly: contact(acme, p.mobileOnly),
        otherFormats: contact(acme, p.otherFormats),
        sharedEmail: {
          email: p.sharedEmail1.email,
          contacts: [contact(acme, p.sharedEmail1), contact(acme, p.sharedEmail2)],
        },
        sameName: {
          firstname: p.sameName1.firstname,
          lastname: p.sameName1.lastname,
          contacts: [contact(acme, p.sameName1), contact(acme, p.sameName2)],
        },
        uniqueName: contact(acme, p.uniqueName),
        noAssociations: contact(acme, p.noAssociations),
      },
      pipelines: {
        default: { id: DEFAULT_PIPELINE.id, stages: { ...DEFAULT_PIPELINE.stages } },
        custom: {
          id: ESCALATIONS_PIPELINE.id,
          label: ESCALATIONS_PIPELINE.label,
          stages: { ...ESCALATIONS_PIPELINE.stages },
        },
      },
    },
    globex: {
      ...portal(GLOBEX_CAST),
      contacts: { jane: contact(globex, GLOBEX_PEOPLE.jane) },
    },
    unknownToken: 'pat-na1-sandbox-nobody-0000-000000000000',
    objectTypeIds: Object.fromEntries(
      Object.values(OBJECT_TYPES).map((type) => [type.name, type.objectTypeId]),
    ) as Record<ObjectTypeName, string>,
  };
}

export const HUBSPOT_SANDBOX: HubspotSandboxFixture = buildFixture();
