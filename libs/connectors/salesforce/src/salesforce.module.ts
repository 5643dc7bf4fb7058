import { Module } from '@nestjs/common';
import { CrmHttpModule } from '#crm-http';
import { InteractionsModule, type Environment } from '#interactions';
import { SalesforceApiUsage } from './salesforce-api-usage.js';
import { salesforceConfigFrom, salesforceConfigProvider, type SalesforceConfig } from './salesforce-config.js';
import { SalesforceCallProvider } from './salesforce-call.provider.js';
import { SalesforceCaseProvider } from './salesforce-case.provider.js';
import { SalesforceNoteProvider } from './salesforce-note.provider.js';
import { SalesforceTaskProvider } from './salesforce-task.provider.js';
import { SalesforceConnector } from './salesforce.connector.js';

/** Salesforce: the connector (instance URL, contacts, composite calls), its API-usage reporting, one provider per type. */
@Module({
  imports: [
    CrmHttpModule,
    InteractionsModule, // BridgeMetrics: SalesforceApiUsage reports the org's API usage as a gauge
  ],
  providers: [
    salesforceConfigProvider,
    SalesforceApiUsage,
    SalesforceConnector,
    SalesforceCaseProvider,
    SalesforceTaskProvider,
    SalesforceCallProvider,
    SalesforceNoteProvider,
  ],
})
export class SalesforceModule {
  static configFrom(environment: Environment): SalesforceConfig {
    return salesforceConfigFrom(environment);
  }
}
