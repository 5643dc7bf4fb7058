import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import type { Type } from '@nestjs/common';
import {
  authFieldName,
  Connector,
  ProvidesInteractionsMetadata,
  type ConnectorOptions,
  type CrmConnector,
  type DerivedAuthField,
  type IntegrationDeclaration,
  type InteractionProvider,
  type PlanLimit,
} from './connector.js';

export interface RegisteredConnector {
  name: string;
  authFields: string[];
  /** The names of the credential fields `authFields` declares (`subdomain` for `subdomain (or account)`). */
  credentialFields: string[];
  /** The vendor's default allowance per account, from `@Connector`; CRM_PLAN_LIMITS overrides it. */
  planLimit?: PlanLimit;
  /** What its authorization validator answers, and Talkdesk sends back in `auth` (`@Connector({ derivedAuthFields })`). */
  derivedAuthFields: DerivedAuthField[];
  /** How it is presented to Talkdesk (`@Connector({ integration })`). */
  integration?: IntegrationDeclaration;
  connector: CrmConnector;
  /** Interaction type → its provider. */
  providers: Map<string, InteractionProvider>;
}

/**
 * Every connector and provider in the application, found by their decorators when the app starts.
 * A provider without its connector, or two providers claiming one (connector, type), stop the boot.
 */
@Injectable()
export class ConnectorRegistry implements OnModuleInit {
  private readonly logger = new Logger(ConnectorRegistry.name);
  private readonly connectors = new Map<string, RegisteredConnector>();

  constructor(private readonly discovery: DiscoveryService) {}

  onModuleInit(): void {
    const byClass = new Map<Type, RegisteredConnector>();
    for (const wrapper of this.discovery.getProviders({ metadataKey: Connector.KEY })) {
      const options = this.discovery.getMetadataByDecorator(Connector, wrapper) as ConnectorOptions;
      if (this.connectors.has(options.name)) throw new Error(`two connectors are named "${options.name}"`);
      const registered: RegisteredConnector = {
        name: options.name,
        authFields: options.authFields,
        credentialFields: options.authFields.flatMap((declared) => authFieldName(declared) ?? []),
        planLimit: options.planLimit,
        derivedAuthFields: options.derivedAuthFields ?? [],
        integration: options.integration,
        connector: wrapper.instance as CrmConnector,
        providers: new Map(),
      };
      this.connectors.set(options.name, registered);
      byClass.set(wrapper.metatype as Type, registered);
    }
    for (const wrapper of this.discovery.getProviders({ metadataKey: ProvidesInteractionsMetadata.KEY })) {
      const { connector, type } = this.discovery.getMetadataByDecorator(ProvidesInteractionsMetadata, wrapper)!;
      const registered = byClass.get(connector);
      if (!registered) {
        throw new Error(
          `${wrapper.name} provides "${type}" for ${connector.name}, which is not a registered @Connector`,
        );
      }
      if (registered.providers.has(type)) throw new Error(`two providers claim ${registered.name}/${type}`);
      registered.providers.set(type, wrapper.instance as InteractionProvider);
    }
    for (const { name, providers } of this.connectors.values()) {
      this.logger.log(`connector ${name}: ${[...providers.keys()].sort().join(', ') || 'no interaction types'}`);
    }
  }

  get(name: string): RegisteredConnector | undefined {
    return this.connectors.get(name);
  }

  list(): RegisteredConnector[] {
    return [...this.connectors.values()];
  }
}
