import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { CrmConnector, InteractionProvider, type CrmConnectorOptions } from './connector.js';

export interface RegisteredConnector {
  name: string;
  authFields: string[];
  /** The `auth` fields that name the tenant (CrmConnectorOptions.tenantFields); empty when none do. */
  tenantFields?: string[];
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
    for (const wrapper of this.discovery.getProviders({ metadataKey: CrmConnector.KEY })) {
      const options = this.discovery.getMetadataByDecorator(CrmConnector, wrapper) as CrmConnectorOptions;
      if (this.connectors.has(options.name)) throw new Error(`two connectors are named "${options.name}"`);
      this.connectors.set(options.name, {
        name: options.name,
        authFields: options.authFields,
        tenantFields: options.tenantFields ?? [],
        connector: wrapper.instance as CrmConnector,
        providers: new Map(),
      });
    }
    for (const wrapper of this.discovery.getProviders({ metadataKey: InteractionProvider.KEY })) {
      const { connector, type } = this.discovery.getMetadataByDecorator(InteractionProvider, wrapper)!;
      const registered = this.connectors.get(connector);
      if (!registered) throw new Error(`${wrapper.name} provides "${type}" for unknown connector "${connector}"`);
      if (registered.providers.has(type)) throw new Error(`two providers claim ${connector}/${type}`);
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
