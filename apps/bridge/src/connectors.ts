import { hubspotConfigFrom, HubspotModule } from '#connectors/hubspot';
import { salesforceConfigFrom, SalesforceModule } from '#connectors/salesforce';
import { zendeskConfigFrom, ZendeskModule } from '#connectors/zendesk';
import { InvalidConfigurationError, type Environment } from '#interactions';

/** The CRMs this deployable serves. A new CRM is one Nest module in libs/connectors, listed here. */
export const CONNECTOR_MODULES = [ZendeskModule, HubspotModule, SalesforceModule];

/**
 * Reads every connector's environment variables before the application is built, so a bad one stops the boot with
 * one line naming it (main.ts) instead of an error inside Nest's module loading, which logs a stack trace.
 */
const CONNECTOR_ENVIRONMENTS: ((environment: Environment) => unknown)[] = [
  zendeskConfigFrom,
  hubspotConfigFrom,
  salesforceConfigFrom,
];

export function checkConnectorEnvironments(environment: Environment): void {
  const problems: string[] = [];
  for (const read of CONNECTOR_ENVIRONMENTS) {
    try {
      read(environment);
    } catch (error) {
      if (!(error instanceof InvalidConfigurationError)) throw error;
      problems.push(error.message.replace(/^Invalid configuration: /, ''));
    }
  }
  if (problems.length > 0) throw new InvalidConfigurationError(problems);
}
