import { DynamicsModule } from '#connectors/dynamics';
import { FreshdeskModule } from '#connectors/freshdesk';
import { HubspotModule } from '#connectors/hubspot';
import { SalesforceModule } from '#connectors/salesforce';
import { ZendeskModule } from '#connectors/zendesk';
import { InvalidConfigurationError, type ConnectorModule, type Environment } from '#interactions';

/** The CRMs this deployable serves. A new CRM is one Nest module in libs/connectors, listed here. */
export const CONNECTOR_MODULES: ConnectorModule[] = [
  ZendeskModule,
  HubspotModule,
  SalesforceModule,
  FreshdeskModule,
  DynamicsModule,
];

/**
 * Reads every connector's environment variables before the application is built, so a bad one stops the boot with
 * one line naming it (main.ts) instead of an error inside Nest's module loading, which logs a stack trace.
 */
export function checkConnectorEnvironments(environment: Environment): void {
  const problems = new Set<string>();
  for (const connector of CONNECTOR_MODULES) {
    try {
      connector.configFrom(environment);
    } catch (error) {
      if (!(error instanceof InvalidConfigurationError)) throw error;
      problems.add(error.message.replace(/^Invalid configuration: /, ''));
    }
  }
  if (problems.size > 0) throw new InvalidConfigurationError([...problems]);
}
