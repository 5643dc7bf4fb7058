import { Module } from '@nestjs/common';
import { CrmHttpModule } from '#crm-http';
import type { Environment } from '#interactions';
import { DynamicsCallProvider } from './dynamics-call.provider.js';
import { DynamicsCaseProvider } from './dynamics-case.provider.js';
import { dynamicsConfigFrom, dynamicsConfigProvider, type DynamicsConfig } from './dynamics-config.js';
import { DynamicsNoteProvider } from './dynamics-note.provider.js';
import { DynamicsServiceProtection } from './dynamics-service-protection.js';
import { DynamicsTaskProvider } from './dynamics-task.provider.js';
import { DynamicsConnector } from './dynamics.connector.js';

/** Dynamics 365 (Dataverse Web API): the connector, the org's service protection limits, one provider per type. */
@Module({
  imports: [CrmHttpModule],
  providers: [
    dynamicsConfigProvider,
    DynamicsServiceProtection,
    DynamicsConnector,
    DynamicsCaseProvider,
    DynamicsTaskProvider,
    DynamicsCallProvider,
    DynamicsNoteProvider,
  ],
})
export class DynamicsModule {
  static configFrom(environment: Environment): DynamicsConfig {
    return dynamicsConfigFrom(environment);
  }
}
