import type { Type } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import type { Contact, TalkdeskInteraction } from './interaction.js';
import type { Environment } from './interaction-settings.js';
import type { PhoneNumber } from './phone-numbers.js';
import type { RequestContext } from './request-context.js';

/** A request's `auth` hash: a flat object of strings. */
export type AuthFields = Record<string, string>;

/**
 * What a CRM module provides, besides its interaction providers. The core decides the resolution order and the
 * matching rules (contact-resolution.ts); a connector only answers lookups against its CRM.
 *
 * A session is whatever the connector needs for the calls of one request: validated credentials, a base URL,
 * the request context. `openSession` makes no request, so bad credentials fail before anything leaves the bridge.
 */
export interface CrmConnector<Session = unknown> {
  /** Validates the auth hash (fields present, well formed); throws CredentialsError naming the problem. */
  openSession(auth: AuthFields, context: RequestContext): Session;
  /**
   * Asks the CRM whether it accepts the credentials; throws CredentialsError when it does not. Talkdesk's authorization
   * validator: resolves with the values of the connector's `derivedAuthFields` (what it learns once per account and
   * wants back in `auth`), or nothing when it declares none. Only declared fields reach Talkdesk.
   */
  verifyCredentials(session: Session): Promise<AuthFields | void>;
  /** The contact with this CRM id, or undefined when there is none. */
  findContactById(session: Session, id: string): Promise<Contact | undefined>;
  /**
   * Contacts holding any of these emails, as any of their emails (not only the primary one). Only customers are
   * contacts: leave out the CRM's agents and suspended or deleted users. The core keeps only exact matches.
   */
  findContactsByEmail(session: Session, emails: string[]): Promise<Contact[]>;
  /**
   * Contacts holding any of these numbers, however the CRM stored them: use the CRM's format-insensitive phone
   * search (at most one query per number), not a list of guessed spellings. The core keeps only contacts with the
   * same number once parsed (E.164).
   */
  findContactsByPhone(session: Session, numbers: PhoneNumber[]): Promise<Contact[]>;
  /** Contacts whose name matches. The core uses the answer only when exactly one has exactly this name. */
  findContactsByName(session: Session, name: string): Promise<Contact[]>;
  /**
   * Optional. Told, before contact resolution, which types this request will fetch and how many items of each, so
   * that a CRM which can fold the lookup and the reads into one call (Salesforce's composite request) can do so.
   * The providers are still called afterwards, as for every connector.
   */
  planInteractions?(session: Session, plan: InteractionPlan): void;
  /**
   * Optional. The customer's CRM account these credentials belong to (a Zendesk subdomain, a Salesforce org's
   * host), read from the account's own field as `openSession` reads it, without any request; undefined when `auth`
   * does not name one (malformed). The other fields play no part: a request with a malformed token still speaks for
   * its account, and its refusal counts toward that account's lockout. It is the tenant of the cache, of the CRM
   * budget, and of the edge's per-tenant rate limit and credential lockout. Without it, each credential is a tenant
   * of its own (HubSpot: a token is one account).
   */
  accountOf?(auth: AuthFields): string | undefined;
}

/** What a request will fetch once its contact is known. */
export interface InteractionPlan {
  types: string[];
  /** MAX_ITEMS_PER_TYPE: the `limit` each provider will be given. */
  limitPerType: number;
}

/** One interaction type of one CRM, e.g. Zendesk `case`. */
export interface InteractionProvider<Session = unknown> {
  /**
   * At most `limit` of the contact's most recent interactions of this type, in the Talkdesk shape. When some of its
   * reads fail (a page, one ticket's comments) but others arrived, return what arrived as PartialInteractions: the
   * core keeps it and counts the failures. Throw only when nothing arrived.
   */
  fetchInteractions(
    session: Session,
    contact: Contact,
    limit: number,
  ): Promise<TalkdeskInteraction[] | PartialInteractions>;
}

/** A provider's answer when part of its reads failed: the items that arrived, and the errors of the rest. */
export class PartialInteractions {
  constructor(
    readonly items: TalkdeskInteraction[],
    readonly failures: unknown[],
  ) {}

  /** The items of a provider's answer, partial or not. */
  static itemsOf(answer: TalkdeskInteraction[] | PartialInteractions): TalkdeskInteraction[] {
    return answer instanceof PartialInteractions ? answer.items : answer;
  }

  /** The items alone when nothing failed, else the items with the failures. */
  static of(items: TalkdeskInteraction[], failures: unknown[]): TalkdeskInteraction[] | PartialInteractions {
    return failures.length > 0 ? new PartialInteractions(items, failures) : items;
  }
}

/**
 * Settles every piece of a provider's reads (pages, one call per ticket) and keeps what arrived. Rejects with the
 * first failure only when every piece failed: then there is nothing to keep.
 */
export async function keepWhatArrived<T>(pieces: Promise<T>[]): Promise<{ arrived: T[]; failures: unknown[] }> {
  const settled = await Promise.allSettled(pieces);
  const arrived = settled.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : []));
  const failures = settled.flatMap((outcome) => (outcome.status === 'rejected' ? [outcome.reason] : []));
  if (arrived.length === 0 && failures.length > 0) throw failures[0];
  return { arrived, failures };
}

export interface ConnectorOptions {
  /** The `:connector` path segment, e.g. `zendesk`. */
  name: string;
  /**
   * The `auth` fields this CRM needs, each named first (`'subdomain (or account)'`). A 401 for missing or malformed
   * credentials lists them, and the OpenAPI document at `/docs` describes them.
   */
  authFields: string[];
  /**
   * The vendor's documented default API allowance of one customer account (`limit` calls per `windowSeconds`), cited
   * where it is declared. The CRM budget spends CRM_BUDGET_SHARE of it; CRM_PLAN_LIMITS overrides it per deployment,
   * and the CRM's own rate-limit headers correct it per account. Without one, the connector's calls are not budgeted.
   */
  planLimit?: PlanLimit;
  /**
   * What the connector learns once per account and wants back in `auth`: Talkdesk stores every field its authorization
   * validator answers and sends it back on every later call ("Implementing an Authorization Validator",
   * https://docs.talkdesk.com/docs/implementing-an-authorization-validator). `verifyCredentials` returns their values.
   * A connector reading them back checks their format, uses them instead of asking the CRM, works without them
   * (integrations configured before), and never lets them choose whose data is read: they are not credentials, and
   * the core leaves them out of the tenant.
   */
  derivedAuthFields?: DerivedAuthField[];
  /**
   * How the connector is presented to Talkdesk: its integration configuration document (GET /:connector/integration,
   * docs/contract.md). Every registered connector declares one (the architecture test checks it).
   */
  integration?: IntegrationDeclaration;
}

/** A field the authorization validator answers, which Talkdesk stores and sends back in `auth`. */
export interface DerivedAuthField {
  /** The `auth` key, e.g. `hubspot_portal_id`. */
  name: string;
  /** Its label in Talkdesk's settings. */
  display: string;
  /** What it holds, for whoever sees it in Talkdesk's settings. */
  help: string;
}

/**
 * Talkdesk's `authentication_type` ("Configuring an Integration", https://docs.talkdesk.com/docs/integration-configuration):
 * `custom` asks the user for the `auth` fields; `oauth2` runs the vendor's authorization-code flow and passes the
 * token exchange's fields in `auth`. (Talkdesk also has `none`, `oauth2_password` and `oauth2_client_credentials`,
 * which no CRM connector uses: a screen pop reads one customer's CRM on behalf of that customer.)
 */
export type TalkdeskAuthenticationType = 'custom' | 'oauth2';

/** What Talkdesk shows for a connector, and how it authenticates: the source of its integration document. */
export interface IntegrationDeclaration {
  /** A user-friendly name, e.g. `Zendesk Support`. */
  displayName: string;
  /** A user-friendly description of the CRM the integration bridges to. */
  description: string;
  authenticationType: TalkdeskAuthenticationType;
  /**
   * The fields Talkdesk asks the user for (`custom`), in order; with `oauth2`, none (the token exchange fills `auth`).
   * Each name is one of `authFields`.
   */
  fields: IntegrationField[];
  /**
   * The vendor's OAuth 2.0 authorization-code flow: what Talkdesk needs to run it (`oauth2`), or the alternative a
   * `custom` connector also accepts (documented, not in the document).
   */
  oauth2?: OAuth2Declaration;
}

export interface IntegrationField {
  name: string;
  /** Its label in Talkdesk's form. */
  display: string;
  mandatory: boolean;
  /** Where the user finds the value. */
  help: string;
  /** How the value is used, `{{name}}` standing for it, e.g. `https://{{subdomain}}.zendesk.com`. */
  format?: string;
}

export interface OAuth2Declaration {
  /** The vendor's authorization endpoint; `{placeholder}` where it depends on the customer (a Zendesk subdomain). */
  authorizeUrl: string;
  tokenUrl: string;
  /** Every scope the connector's calls need, each with the calls it serves and the vendor page that says so. */
  scopes: OAuth2Scope[];
  /** The `auth` fields the connector reads from the token exchange, e.g. `access_token`, `instance_url`. */
  tokenFields: string[];
  /** Where the vendor documents the flow and its endpoints. */
  source: string;
}

export interface OAuth2Scope {
  scope: string;
  /** The calls that need it. */
  usedFor: string;
  /** The vendor's pages that document the scope for those calls. */
  sources: string[];
}

/** The field a declaration such as `subdomain (or account)` names: its first word. */
export function authFieldName(declared: string): string | undefined {
  return /^[A-Za-z_][\w-]*/.exec(declared)?.[0];
}

/** One CRM account's API allowance: `limit` calls per `windowSeconds`. */
export interface PlanLimit {
  limit: number;
  windowSeconds: number;
}

/** What `@ProvidesInteractions` records: the connector's class (not its name), and the Talkdesk type. */
export interface ProvidesInteractionsOptions<Session = unknown> {
  /** The connector this provider serves: its sessions are what `fetchInteractions` is given. */
  connector: Type<CrmConnector<Session>>;
  /** The Talkdesk interaction type this provider answers, e.g. `case`. */
  type: string;
}

/**
 * `@Connector({ name, authFields })` marks the class that implements CrmConnector for one CRM. Found at start-up by
 * discovery; there is no list to edit.
 */
export const Connector = DiscoveryService.createDecorator<ConnectorOptions>();

/**
 * The metadata under `@ProvidesInteractions`, for whoever discovers providers (the registry, the architecture test):
 * `discovery.getProviders({ metadataKey: ProvidesInteractionsMetadata.KEY })`. Classes use `@ProvidesInteractions`.
 */
export const ProvidesInteractionsMetadata = DiscoveryService.createDecorator<ProvidesInteractionsOptions>();

/**
 * `@ProvidesInteractions({ connector: ZendeskConnector, type: 'case' })` marks the class that implements
 * InteractionProvider for one type of one CRM; found by discovery too. The connector's session type flows to the
 * provider: a provider whose `fetchInteractions` takes another session does not compile.
 */
export function ProvidesInteractions<Session>(
  options: ProvidesInteractionsOptions<Session>,
): <P extends Type<InteractionProvider<Session>>>(provider: P) => void {
  return (provider) => ProvidesInteractionsMetadata(options as ProvidesInteractionsOptions)(provider);
}

/**
 * What the app needs of a connector's Nest module (apps/bridge/src/connectors.ts lists them): the module itself, and
 * the reader of its environment variables, which the app calls before it builds the container so that a bad
 * variable stops the boot with one line naming it.
 */
export interface ConnectorModule extends Type<unknown> {
  /** Reads and validates the connector's variables; throws InvalidConfigurationError naming each bad one. */
  configFrom(environment: Environment): unknown;
}
