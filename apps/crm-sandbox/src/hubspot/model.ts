import type { ObjectTypeName } from './object-types.js';

/** GET /account-info/v3/details */
export interface HubspotAccountDetails {
  portalId: number;
  accountType: 'STANDARD' | 'SANDBOX' | 'DEVELOPER_TEST' | 'APP_DEVELOPER';
  timeZone: string;
  companyCurrency: string;
  additionalCurrencies: string[];
  utcOffset: string;
  utcOffsetMilliseconds: number;
  uiDomain: string;
  dataHostingLocation: string;
}

/** A stage as GET /crm/v3/pipelines/tickets lists it. */
export interface HubspotPipelineStage {
  id: string;
  label: string;
  displayOrder: number;
  archived: boolean;
  createdAt: string;
  updatedAt: string;
  metadata: { ticketState: 'OPEN' | 'CLOSED' };
  writePermissions: 'CRM_PERMISSIONS_ENFORCEMENT';
}

export interface HubspotPipeline {
  id: string;
  label: string;
  displayOrder: number;
  archived: boolean;
  createdAt: string;
  updatedAt: string;
  stages: HubspotPipelineStage[];
}

/**
 * One CRM record of any type. `properties` holds every property that has a value, as HubSpot's API shows values:
 * strings. `''` is a value that was cleared; a property missing here has none (null in answers). The id and the
 * timestamps are also there (`hs_object_id`, `createdate`, …), as in HubSpot.
 */
export interface HubspotRecord {
  id: string;
  createdAt: string;
  updatedAt: string;
  properties: Record<string, string>;
}

/** One association, kept from the contact's side; the store answers both directions. */
export interface HubspotAssociation {
  contactId: string;
  toType: ObjectTypeName;
  toId: string;
}

/** Everything one portal (HubSpot account) holds. */
export interface HubspotPortalData {
  /** The sandbox's name for it: `acme`, `globex`. */
  key: string;
  /** The private-app access token that reaches it (the one tests and the bridge use). */
  token: string;
  /** The tokens of the account's other private apps, if any: each app has its own 10-second budget. */
  otherTokens?: string[];
  account: HubspotAccountDetails;
  /** Pipelines by object type (only tickets have some here). */
  pipelines: Partial<Record<ObjectTypeName, HubspotPipeline[]>>;
  /** Records by type, ascending id (= oldest first); every known type is present, maybe empty. */
  objects: Record<ObjectTypeName, HubspotRecord[]>;
  associations: HubspotAssociation[];
}
