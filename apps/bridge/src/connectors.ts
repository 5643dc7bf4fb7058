import { HubspotModule } from '#connectors/hubspot';
import { SalesforceModule } from '#connectors/salesforce';
import { ZendeskModule } from '#connectors/zendesk';

/** The CRMs this deployable serves. A new CRM is one Nest module in libs/connectors, listed here. */
export const CONNECTOR_MODULES = [ZendeskModule, HubspotModule, SalesforceModule];
