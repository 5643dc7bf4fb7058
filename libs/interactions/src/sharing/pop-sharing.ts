import { Inject, Injectable, Logger, Optional, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectSharedRedis, type SharedRedis } from '#shared-state';
import type { AuthFields, CrmConnector } from '../connector.js';
import { canonicalQuery } from '../contact-resolution.js';
import type { Contact, ContactQuery, TalkdeskInteraction } from '../interaction.js';
import type { PartialInteractions } from '../connector.js';
import type { RequestContext } from '../request-context.js';
import { CrmBudget } from './crm-budget.js';
import { bindCallGate } from './crm-call-gate.js';
import { credentialHash, keyedHash } from './credential-hash.js';
import { bindCredentialMetadata } from './credential-metadata.js';
import { InteractionsCache } from './interactions-cache.js';
import { SHARING_SETTINGS, type SharingSettings } from './sharing-settings.js';

/** What a contact's cached items of one type depend on: how many were read, how long a description may be. */
export interface InteractionsShape {
  limit: number;
  descriptionMaxLength: number;
}

/** What one request may share with others of the same tenant and credentials: its cache entries and its work. */
export interface RequestSharing {
  /** Contact resolution for this (bounded) query, through the contacts tier. */
  contacts(query: ContactQuery, work: () => Promise<Contact[]>): Promise<Contact[]>;
  /**
   * One contact's interactions of one type, finalised, through the interactions tier; partial answers are not kept.
   * The entry is keyed by what its items depend on besides the contact and the type (`shape`), so replicas set up
   * differently never read each other's.
   */
  interactions(
    contactId: string,
    type: string,
    shape: InteractionsShape,
    work: () => Promise<TalkdeskInteraction[] | PartialInteractions>,
  ): Promise<TalkdeskInteraction[] | PartialInteractions>;
  /** The whole pop, coalesced with identical pops in flight (same tenant, credentials, query, types). */
  coalesce<T>(types: string[], query: ContactQuery, limit: number, work: () => Promise<T>): Promise<T>;
}

/**
 * Cache, coalescing and CRM budget for the core (InteractionsService): scoped per request to its connector, tenant
 * (the CRM account when the connector names it, else the credentials) and keyed hash of its credentials.
 */
@Injectable()
export class PopSharing implements OnApplicationBootstrap {
  constructor(
    @Inject(SHARING_SETTINGS) private readonly settings: SharingSettings,
    private readonly cache: InteractionsCache,
    private readonly budget: CrmBudget,
    @Optional() @InjectSharedRedis() private readonly redis?: SharedRedis | null,
  ) {}

  onApplicationBootstrap(): void {
    if (this.redis && this.settings.keySecretConfigured === false) {
      new Logger(PopSharing.name).warn(
        'REDIS_URL is set but CACHE_KEY_SECRET is not: each replica hashes keys with its own random secret, so they ' +
          'share no cache, coalescing or CRM budget. Set the same CACHE_KEY_SECRET on every replica.',
      );
    }
  }

  forRequest<S>(
    connectorName: string,
    connector: CrmConnector<S>,
    auth: AuthFields,
    context: RequestContext,
    {
      screenPop = true,
      credentialFields,
    }: {
      screenPop?: boolean;
      /**
       * The connector's credential fields (its declared `authFields`). The credential alone names a tenant without an
       * account and keys what is learnt about it: fields the validator derived, or any other, cannot change either.
       * Unset: every field of `auth`.
       */
      credentialFields?: string[];
    } = {},
  ): RequestSharing | undefined {
    const { keySecret: secret, contactTtlSeconds, interactionsTtlSeconds, coalesce, budgetShare } = this.settings;
    // All off (the benchmark's SHARING_OFF, or an operator's choice): nothing to key, so no hashing per request.
    if (contactTtlSeconds <= 0 && interactionsTtlSeconds <= 0 && !coalesce && budgetShare <= 0) return undefined;
    // Every field, derived ones included: an answer's links may depend on them, so pops differing in any field never
    // share cached answers.
    const credentials = credentialHash(secret, connectorName, auth);
    const credential = credentialFields
      ? credentialHash(
          secret,
          connectorName,
          Object.fromEntries(credentialFields.map((field) => [field, auth[field] ?? ''])),
        )
      : credentials;
    const account = connector.accountOf?.(auth);
    // The tenant as it appears in keys: the account's name hashed too, so keys carry nothing a caller sent in clear.
    const tenant = account === undefined ? `credentials-${credential}` : keyedHash(secret, account);
    const gate = this.budget.gate(connectorName, tenant, { prepayFirstRead: screenPop, requestId: context.requestId });
    if (gate) bindCallGate(context, gate);
    bindCredentialMetadata(context, {
      through: (name, ttlSeconds, load) =>
        this.cache.through(
          'metadata',
          `metadata:${connectorName}:${credential}:${name}`,
          ttlSeconds,
          load,
          () => ttlSeconds,
        ),
      set: (name, value, ttlSeconds) =>
        this.cache.write(`metadata:${connectorName}:${credential}:${name}`, value, ttlSeconds),
    });
    const scope = `${connectorName}:${tenant}:${credentials}`;
    // A pop asks both keys with the same query (coalescing, then its contact lookup): its phones are parsed once.
    let canonical: { asked: ContactQuery; key: ContactQuery } | undefined;
    const canonicalOf = (query: ContactQuery): ContactQuery => {
      if (canonical?.asked !== query) canonical = { asked: query, key: canonicalQuery(query) };
      return canonical.key;
    };
    return {
      contacts: (query, work) =>
        this.cache.through(
          'contacts',
          `contacts:${scope}:${keyedHash(secret, JSON.stringify(canonicalOf(query)))}`,
          contactTtlSeconds,
          work,
          // "Not found" may change any minute (a new customer calls): kept no longer than interactions.
          (contacts) => (contacts.length > 0 ? contactTtlSeconds : Math.min(contactTtlSeconds, interactionsTtlSeconds)),
          context.onCacheHit,
        ),
      interactions: (contactId, type, { limit, descriptionMaxLength }, work) =>
        this.cache.through(
          'interactions',
          `interactions:${scope}:${keyedHash(secret, JSON.stringify([contactId, type, limit, descriptionMaxLength]))}`,
          interactionsTtlSeconds,
          work,
          (answer) => (Array.isArray(answer) ? interactionsTtlSeconds : 0),
          context.onCacheHit,
        ),
      coalesce: (types, query, limit, work) =>
        this.cache.coalesce(
          `pop:${scope}:${keyedHash(secret, JSON.stringify([[...types].sort(), canonicalOf(query), limit]))}`,
          context.deadline,
          work,
        ),
    };
  }
}
