/**
 * What the conformance suite needs to know about each connector to run against the sandbox CRM. A connector is
 * done when its entry here passes `connector-conformance.spec.ts`; the architecture test fails for a registered
 * connector without an entry.
 */
export interface ContactData {
  contact_external_id?: string;
  contact_name?: string;
  contact_emails?: string[];
  contact_phones?: string[];
}

export interface ConformanceFixture {
  /** Credentials the sandbox accepts. */
  auth: Record<string, string>;
  /** Well-formed credentials the sandbox rejects (its 401). */
  rejectedAuth: Record<string, string>;
  /** Every interaction type the connector supports. */
  types: string[];
  /** One contact with interactions of every type, found by each identifier kind. */
  found: { externalId: ContactData; email: ContactData; phone: ContactData; name: ContactData };
  /** Identifiers that match nobody. */
  notFound: ContactData;
  /**
   * A contact whose items of `type` span more than one CRM page: the answer must hold `count` items including
   * `beyondFirstPageId` (its id in the CRM), an item the connector only sees by following the CRM's pagination.
   */
  paginated: { data: ContactData; type: string; count: number; beyondFirstPageId: string };
}

export const CONFORMANCE_CONNECTORS: Record<string, ConformanceFixture> = {};

export function registerConformanceFixture(name: string, fixture: ConformanceFixture): void {
  CONFORMANCE_CONNECTORS[name] = fixture;
}
