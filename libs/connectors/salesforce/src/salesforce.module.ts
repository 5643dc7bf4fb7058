import { Module } from '@nestjs/common';
import { SalesforceApiUsage } from './salesforce-api-usage.js';
import { salesforceConfigProvider } from './salesforce-config.js';
import {
  SalesforceCallProvider,
  SalesforceCaseProvider,
  SalesforceNoteProvider,
  SalesforceTaskProvider,
} from './salesforce.providers.js';
import { SalesforceConnector } from './salesforce.connector.js';

/** Salesforce: the connector (instance URL, contacts, composite calls), its API-usage reporting, one provider per type. */
@Module({
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
export class SalesforceModule {}
