import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { InvalidConfigurationError } from '#interactions';

/**
 * The sandbox CRM's module, for CRM_SANDBOX=embedded. A build that leaves the sandbox out (the production image ships
 * `dist/apps/bridge` and `dist/libs` only) has nothing at the place `#sandbox` maps to: that is a configuration
 * mistake, refused with one line like any other bad variable, not a module-loader stack trace. Only a missing entry
 * module counts: anything failing inside a sandbox that is there is a bug, and is thrown as it is.
 */
export async function importEmbeddedSandbox(): Promise<typeof import('#sandbox')> {
  const entry = import.meta.resolve('#sandbox');
  if (entry.startsWith('file:') && !existsSync(fileURLToPath(entry))) {
    throw new InvalidConfigurationError([
      'CRM_SANDBOX=embedded, but this build has no sandbox CRM (the production image leaves it out): set CRM_SANDBOX=off, and CRM_SANDBOX_URL to a sandbox container to try the bridge against one',
    ]);
  }
  return import('#sandbox');
}
