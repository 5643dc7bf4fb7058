import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { BridgeMetrics } from './bridge-metrics.js';
import { PartialInteractions, type AuthFields } from './connector.js';
import { ConnectorRegistry, type RegisteredConnector } from './connector-registry.js';
import { boundLookups, resolveContacts } from './contact-resolution.js';
import { AllInteractionTypesFailedError, asBridgeError, UnknownConnectorError, type BridgeError } from './errors.js';
import type { Contact, ContactQuery, TalkdeskInteraction } from './interaction.js';
import { INTERACTION_SETTINGS, type InteractionSettings } from './interaction-settings.js';
import { finaliseInteraction, mergeInteractions } from './interaction-merge.js';
import type { RequestContext } from './request-context.js';
import { CallShedError, inTypeScope } from './sharing/crm-call-gate.js';
import { PopSharing, type RequestSharing } from './sharing/pop-sharing.js';
import { forEachInSlices } from './time-slices.js';

export interface InteractionRequest {
  auth: AuthFields;
  types: string[];
  contact: ContactQuery;
}

/**
 * The Interaction Retriever, CRM-agnostic: credentials, types, contact resolution, one provider per type run
 * concurrently within the request's deadline, then validation, merge and sort.
 */
@Injectable()
export class InteractionsService {
  private readonly logger = new Logger(InteractionsService.name);

  constructor(
    private readonly registry: ConnectorRegistry,
    private readonly metrics: BridgeMetrics,
    @Inject(INTERACTION_SETTINGS) private readonly settings: InteractionSettings,
    /** Cache, coalescing and CRM budget (SharingModule); without it every request calls the CRM. */
    @Optional() private readonly sharing?: PopSharing,
  ) {}

  async retrieve(request: InteractionRequest, context: RequestContext): Promise<TalkdeskInteraction[]> {
    const registered = this.connector(context.connector);
    const session = registered.connector.openSession(request.auth, context);
    const types = this.supportedTypes(registered, request.types, context);
    if (types.length === 0) return [];

    const { query, dropped } = boundLookups(request.contact, this.settings.maxLookupsPerRequest);
    if (dropped > 0) {
      this.logger.warn(
        `[${context.requestId}] looked up the first ${this.settings.maxLookupsPerRequest} contact identifiers; ${dropped} more ignored`,
      );
    }
    const sharing = this.sharing?.forRequest(registered.name, registered.connector, request.auth, context, {
      credentialFields: registered.credentialFields,
    });
    if (!sharing) return this.fetch(registered, session, types, query, context);
    // Not raced against the deadline here: fetch() answers at the deadline with what arrived (or which types failed),
    // and a pop joining identical work in flight started later, so its deadline is later.
    const limit = this.settings.maxItemsPerType;
    return sharing.coalesce(types, query, limit, () => this.fetch(registered, session, types, query, context, sharing));
  }

  /** Resolves the contact and fetches every asked type, through the cache when there is one. */
  private async fetch(
    registered: RegisteredConnector,
    session: unknown,
    types: string[],
    query: ContactQuery,
    context: RequestContext,
    sharing?: RequestSharing,
  ): Promise<TalkdeskInteraction[]> {
    registered.connector.planInteractions?.(session, { types, limitPerType: this.settings.maxItemsPerType });
    const resolve = () => resolveContacts(registered.connector, session, query, this.settings.maxContacts);
    let contacts: Contact[];
    try {
      contacts = await withinDeadline(sharing ? sharing.contacts(query, resolve) : resolve(), context);
    } catch (error) {
      if (!(error instanceof CallShedError)) throw error;
      // The tenant's CRM budget is spent: nothing can be looked up, and a 200 with nothing beats a 429 for everyone.
      this.logger.warn(`[${context.requestId}] ${context.connector} contact lookup shed: ${error.message}`);
      return [];
    }
    if (contacts.length === 0) return [];

    const { maxItemsPerType: limit, descriptionMaxLength } = this.settings;
    const results = await Promise.all(
      types.map(async (type) => {
        const provider = registered.providers.get(type)!;
        const perContact = await Promise.allSettled(
          contacts.map((contact) => {
            // Finalised before the cache keeps it: a hit costs no cleaning, and the metrics count each CRM read once.
            const read = () =>
              inTypeScope(context, type, () => provider.fetchInteractions(session, contact, limit)).then((answer) =>
                this.finalise(answer, type, context),
              );
            const shape = { limit, descriptionMaxLength };
            return withinDeadline(sharing ? sharing.interactions(contact.id, type, shape, read) : read(), context);
          }),
        );
        return { type, perContact };
      }),
    );

    const items: TalkdeskInteraction[] = [];
    const failures: { type: string; error: BridgeError }[] = [];
    for (const { type, perContact } of results) {
      const errors: BridgeError[] = [];
      let shed = 0;
      for (const outcome of perContact) {
        if (outcome.status === 'rejected' && outcome.reason instanceof CallShedError) shed++;
        else if (outcome.status === 'rejected') errors.push(asBridgeError(outcome.reason));
        else if (outcome.value instanceof PartialInteractions) {
          items.push(...outcome.value.items);
          for (const failure of outcome.value.failures) this.recordPartial(type, asBridgeError(failure), context);
        } else items.push(...outcome.value);
      }
      for (const error of errors) this.recordFailure(type, error, context);
      if (shed > 0)
        this.logger.warn(`[${context.requestId}] ${context.connector} ${type} shed to spare the CRM budget`);
      if (errors.length === perContact.length) failures.push({ type, error: errors[0]! });
    }
    if (failures.length === types.length) throw new AllInteractionTypesFailedError(failures);
    return mergeInteractions(items);
  }

  /**
   * Talkdesk's authorization validator: resolves when the CRM accepts the credentials, with what the connector derived
   * for Talkdesk to store and send back in `auth` (its declared `derivedAuthFields` with a text value; nothing else).
   */
  async verifyCredentials(auth: AuthFields, context: RequestContext): Promise<AuthFields> {
    const registered = this.connector(context.connector);
    const { connector, name, derivedAuthFields } = registered;
    const session = connector.openSession(auth, context);
    // Its calls spend the tenant's budget too, and what it learns is shared like a pop's.
    this.sharing?.forRequest(name, connector, auth, context, {
      screenPop: false,
      credentialFields: registered.credentialFields,
    });
    const derived = (await withinDeadline(connector.verifyCredentials(session), context)) ?? {};
    const answer: AuthFields = {};
    for (const { name: field } of derivedAuthFields) {
      const value = Object.hasOwn(derived, field) ? derived[field] : undefined;
      if (typeof value === 'string' && value !== '') answer[field] = value;
    }
    return answer;
  }

  private connector(name: string): RegisteredConnector {
    const registered = this.registry.get(name);
    if (!registered) throw new UnknownConnectorError(`no connector named "${name}"`);
    return registered;
  }

  /** The asked types this connector supports, deduplicated, in the asked order; the rest are logged and counted. */
  private supportedTypes(registered: RegisteredConnector, asked: string[], context: RequestContext): string[] {
    const unique = [...new Set(asked.map((type) => type.trim()))];
    const unsupported = unique.filter((type) => !registered.providers.has(type));
    for (const type of unsupported)
      this.metrics.unsupportedTypes.inc({ connector: registered.name, type: this.typeLabel(type) });
    if (unsupported.length > 0) {
      this.logger.warn(
        `[${context.requestId}] ${registered.name} does not support interaction types ${JSON.stringify(unsupported)}; ` +
          `it supports ${JSON.stringify([...registered.providers.keys()])}`,
      );
    }
    return unique.filter((type) => registered.providers.has(type));
  }

  /** Metric labels come from a fixed set: a type some connector supports, else "other", never a request's string. */
  private typeLabel(type: string): string {
    return this.registry.list().some(({ providers }) => providers.has(type)) ? type : 'other';
  }

  /**
   * A provider's answer as Talkdesk items (finaliseInteraction); items that cannot be made valid are dropped and
   * counted. Cleaning a CRM's text costs time in proportion to it, so items are finalised in slices
   * (forEachInSlices): a contact with many long records holds up no other request by more than a slice.
   */
  private async finalise(
    answer: TalkdeskInteraction[] | PartialInteractions,
    type: string,
    context: RequestContext,
  ): Promise<TalkdeskInteraction[] | PartialInteractions> {
    const valid: TalkdeskInteraction[] = [];
    let datedByCreation = 0;
    let dropped = 0;
    await forEachInSlices(PartialInteractions.itemsOf(answer), (item) => {
      const finalised = finaliseInteraction(item, type, this.settings.descriptionMaxLength);
      if (!finalised) dropped++;
      else {
        valid.push(finalised.interaction);
        if (finalised.datedByCreation) datedByCreation++;
      }
    });
    // Counted and logged once per type and read, not per item: a CRM answer may hold thousands (and prom-client
    // hashes the labels on every call).
    if (dropped > 0) {
      this.metrics.droppedItems.inc({ connector: context.connector, type }, dropped);
      this.logger.warn(
        `[${context.requestId}] dropped ${dropped} ${context.connector} ${type} record(s) that are not valid interactions`,
      );
    }
    if (datedByCreation > 0) {
      this.metrics.itemsDatedByCreation.inc({ connector: context.connector, type }, datedByCreation);
    }
    return answer instanceof PartialInteractions ? new PartialInteractions(valid, answer.failures) : valid;
  }

  /** Part of a type's reads failed and the rest was answered: counted and logged, the type still succeeds. */
  private recordPartial(type: string, error: BridgeError, context: RequestContext): void {
    this.metrics.partialResults.inc({ connector: context.connector, type, cause: error.kind });
    this.logger.warn(
      `[${context.requestId}] ${context.connector} ${type} answered without part of its reads: ${error.kind}: ${error.message}`,
    );
  }

  private recordFailure(type: string, error: BridgeError, context: RequestContext): void {
    this.metrics.typeFailures.inc({ connector: context.connector, type, cause: error.kind });
    const line = `[${context.requestId}] ${context.connector} ${type} failed: ${error.kind}: ${error.message}`;
    if (error.kind === 'internal') {
      this.logger.error(`${line}\n${error.cause instanceof Error ? error.cause.stack : String(error.cause)}`);
    } else {
      this.logger.warn(`${line} (attempts: ${error.attempts ?? 1})`);
    }
  }
}

/** Settles with the work, or with the deadline's error once it passes, whichever comes first. */
function withinDeadline<T>(work: Promise<T>, context: RequestContext): Promise<T> {
  return Promise.race([work, context.deadline.whenExpired()]);
}
