import { Inject, Injectable, Logger } from '@nestjs/common';
import { BridgeMetrics } from './bridge-metrics.js';
import { PartialInteractions, type AuthFields } from './connector.js';
import { ConnectorRegistry, type RegisteredConnector } from './connector-registry.js';
import { boundLookups, resolveContacts } from './contact-resolution.js';
import { AllInteractionTypesFailedError, asBridgeError, UnknownConnectorError, type BridgeError } from './errors.js';
import type { ContactQuery, TalkdeskInteraction } from './interaction.js';
import { INTERACTION_SETTINGS, type InteractionSettings } from './interaction-settings.js';
import { finaliseInteraction, mergeInteractions } from './interaction-merge.js';
import type { RequestContext } from './request-context.js';

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
  ) {}

  async retrieve(request: InteractionRequest, context: RequestContext): Promise<TalkdeskInteraction[]> {
    const registered = this.connector(context.connector);
    const session = registered.connector.openSession(request.auth, context);
    const types = this.supportedTypes(registered, request.types, context);
    if (types.length === 0) return [];
    registered.connector.planInteractions?.(session, { types, limitPerType: this.settings.maxItemsPerType });

    const { query, dropped } = boundLookups(request.contact, this.settings.maxLookupsPerRequest);
    if (dropped > 0) {
      this.logger.warn(
        `[${context.requestId}] looked up the first ${this.settings.maxLookupsPerRequest} contact identifiers; ${dropped} more ignored`,
      );
    }
    const contacts = await withinDeadline(
      resolveContacts(registered.connector, session, query, this.settings.maxContacts),
      context,
    );
    if (contacts.length === 0) return [];

    const results = await Promise.all(
      types.map(async (type) => {
        const provider = registered.providers.get(type)!;
        const perContact = await Promise.allSettled(
          contacts.map((contact) =>
            withinDeadline(provider.fetchInteractions(session, contact, this.settings.maxItemsPerType), context),
          ),
        );
        return { type, perContact };
      }),
    );

    const items: TalkdeskInteraction[] = [];
    const failures: { type: string; error: BridgeError }[] = [];
    for (const { type, perContact } of results) {
      const errors: BridgeError[] = [];
      for (const outcome of perContact) {
        if (outcome.status === 'rejected') errors.push(asBridgeError(outcome.reason));
        else if (outcome.value instanceof PartialInteractions) {
          items.push(...this.finalise(outcome.value.items, type, context));
          for (const failure of outcome.value.failures) this.recordPartial(type, asBridgeError(failure), context);
        } else items.push(...this.finalise(outcome.value, type, context));
      }
      for (const error of errors) this.recordFailure(type, error, context);
      if (errors.length === perContact.length) failures.push({ type, error: errors[0]! });
    }
    if (failures.length === types.length) throw new AllInteractionTypesFailedError(failures);
    return mergeInteractions(items);
  }

  /** Talkdesk's authorization validator: resolves when the CRM accepts the credentials. */
  async verifyCredentials(auth: AuthFields, context: RequestContext): Promise<void> {
    const { connector } = this.connector(context.connector);
    await withinDeadline(connector.verifyCredentials(connector.openSession(auth, context)), context);
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

  private finalise(items: TalkdeskInteraction[], type: string, context: RequestContext): TalkdeskInteraction[] {
    const valid: TalkdeskInteraction[] = [];
    for (const item of items) {
      const finalised = finaliseInteraction(item, type, this.settings.descriptionMaxLength);
      if (finalised) {
        valid.push(finalised.interaction);
        if (finalised.datedByCreation) this.metrics.itemsDatedByCreation.inc({ connector: context.connector, type });
      } else {
        this.metrics.droppedItems.inc({ connector: context.connector, type });
        this.logger.warn(
          `[${context.requestId}] dropped a ${context.connector} ${type} that is not a valid interaction`,
        );
      }
    }
    return valid;
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
