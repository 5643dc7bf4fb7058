import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { ConnectorRegistry, InvalidConfigurationError } from '#interactions';
import { loadBridgeConfig } from '../bridge-config.js';
import { checkConnectorEnvironments } from '../connectors.js';
import { IntegrationCatalogModule } from './integration-catalog.module.js';
import { integrationDocument, integrationMarkdown } from './integration-document.js';

/**
 * `npm run talkdesk:integration -- <connector> [--markdown]`: the document GET /:connector/integration serves, from
 * the same environment the bridge reads (BRIDGE_PUBLIC_URL, INTEGRATION_LOGO_URL, INTEGRATION_ICON_URL,
 * BRIDGE_CALLER_SECRET), printed to stdout: JSON, or Markdown for Talkdesk's submission form. Exits 1, after printing,
 * when the document is incomplete (stderr names the variables to set), 2 for a usage error or a bad environment.
 */
async function main(args: string[]): Promise<number> {
  const markdown = args.includes('--markdown');
  const names = args.filter((arg) => !arg.startsWith('--'));
  const unknownOptions = args.filter((arg) => arg.startsWith('--') && arg !== '--markdown');
  const environment = { ...process.env };
  const config = loadBridgeConfig(environment);
  checkConnectorEnvironments(environment);
  const context = await NestFactory.createApplicationContext(IntegrationCatalogModule.forRoot(config, environment), {
    logger: false,
    abortOnError: false,
  });
  try {
    const registry = context.get(ConnectorRegistry);
    const registered = names.length === 1 && unknownOptions.length === 0 ? registry.get(names[0]!) : undefined;
    const generated = registered && integrationDocument(registered, config.integration);
    if (!registered || !generated) {
      const known = registry
        .list()
        .filter((connector) => connector.integration)
        .map((connector) => connector.name)
        .sort();
      console.error(`usage: npm run talkdesk:integration -- <connector> [--markdown]; connectors: ${known.join(', ')}`);
      return 2;
    }
    process.stdout.write(
      markdown ? integrationMarkdown(registered, generated) : `${JSON.stringify(generated.document, null, 2)}\n`,
    );
    const variables = [...new Set(generated.missing.map(({ variable }) => variable))];
    if (variables.length > 0) {
      console.error(`incomplete: set ${variables.join(', ')} (docs/configuration.md) for a document Talkdesk accepts`);
      return 1;
    }
    return 0;
  } finally {
    await context.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof InvalidConfigurationError ? error.message : error);
    process.exit(2);
  },
);
