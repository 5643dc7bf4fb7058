import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConnectorRegistry } from '#interactions';
import { startBridge, type BridgeHarness } from '../support/bridge-harness.js';
import { CONNECTOR_MODULES } from '../../apps/bridge/src/connectors.js';

/**
 * The integration document Talkdesk's submission form asks for, as the bridge serves it: for every registered
 * connector it validates against the schema written from Talkdesk's pages, the Markdown form carries the same
 * values, and what the operator has not configured is named instead of invented.
 */
const schema = JSON.parse(readFileSync(new URL('./integration-configuration.schema.json', import.meta.url), 'utf8'));
const validate = new Ajv({ allErrors: true }).compile(schema);

const CALLER_SECRET = 'integration-test-caller-secret';
const CONFIGURED = {
  BRIDGE_PUBLIC_URL: 'https://bridge.example.com/',
  INTEGRATION_LOGO_URL: 'https://assets.example.com/talkdesk/{connector}.png',
  INTEGRATION_ICON_URL: 'https://assets.example.com/talkdesk/{connector}-icon.png',
};

let configured: BridgeHarness;
let bare: BridgeHarness;
let connectors: string[];

beforeAll(async () => {
  [configured, bare] = await Promise.all([
    startBridge({ env: { ...CONFIGURED, BRIDGE_CALLER_SECRET: CALLER_SECRET } }),
    startBridge(),
  ]);
  connectors = configured.app
    .get(ConnectorRegistry)
    .list()
    .map((connector) => connector.name);
});

afterAll(async () => {
  await Promise.all([configured?.close(), bare?.close()]);
});

async function integration(bridge: BridgeHarness, path: string, headers: Record<string, string> = {}) {
  const secret: Record<string, string> = bridge === configured ? { 'x-bridge-caller-secret': CALLER_SECRET } : {};
  const response = await fetch(`${bridge.bridgeUrl}${path}`, { headers: { ...secret, ...headers } });
  const text = await response.text();
  return { status: response.status, type: response.headers.get('content-type') ?? '', text };
}

describe('GET /:connector/integration', () => {
  it('serves a document that validates against Talkdesk’s configuration, for every connector', async () => {
    // Every connector the app lists, found by discovery.
    expect(connectors.length).toBe(CONNECTOR_MODULES.length);
    for (const name of connectors) {
      const response = await integration(configured, `/${name}/integration`);
      expect(response.status, name).toBe(200);
      expect(response.type).toMatch(/^application\/json/);
      const document = JSON.parse(response.text);
      expect(validate(document), `${name}: ${JSON.stringify(validate.errors)}`).toBe(true);
      expect(document).toMatchObject({
        name,
        logo_url: `https://assets.example.com/talkdesk/${name}.png`,
        icon_url: `https://assets.example.com/talkdesk/${name}-icon.png`,
        interaction_retriever_url: `https://bridge.example.com/${name}/interactions`,
        authorization_validator_url: `https://bridge.example.com/${name}/auth/validate`,
      });
      const registered = configured.app.get(ConnectorRegistry).get(name)!;
      expect(document.interaction_types).toEqual([...registered.providers.keys()].sort());
      const fields = (document.authentication_configuration as { field_name: string }[]).map((f) => f.field_name);
      expect(new Set(fields).size, 'each field once').toBe(fields.length);
      // Every field the validator answers is declared, so that Talkdesk expects and keeps it.
      for (const { name: derived } of registered.derivedAuthFields) expect(fields).toContain(derived);
      expect(fields).toContain('bridge_caller_secret');
      // Nothing secret: the caller secret's field is there, never its value.
      expect(response.text).not.toContain(CALLER_SECRET);
    }
  });

  it('names each connector’s authentication: Zendesk custom fields, HubSpot and Salesforce OAuth 2.0', async () => {
    const document = async (name: string) => JSON.parse((await integration(configured, `/${name}/integration`)).text);
    const zendesk = await document('zendesk');
    expect(zendesk.authentication_type).toBe('custom');
    expect(zendesk.authentication_configuration.slice(0, 3)).toEqual([
      expect.objectContaining({
        field_name: 'subdomain',
        mandatory: true,
        format: 'https://{{subdomain}}.zendesk.com',
      }),
      expect.objectContaining({ field_name: 'email', mandatory: true }),
      expect.objectContaining({ field_name: 'token', mandatory: true }),
    ]);
    expect(zendesk.oauth2).toBeUndefined();
    const hubspot = await document('hubspot');
    expect(hubspot.authentication_type).toBe('oauth2');
    expect(hubspot.oauth2).toEqual({
      authorization_url: 'https://app.hubspot.com/oauth/authorize',
      token_url: 'https://api.hubapi.com/oauth/v1/token',
      scope: 'oauth crm.objects.contacts.read tickets',
      token_fields: ['access_token'],
    });
    expect(hubspot.authentication_configuration.map((field: { field_name: string }) => field.field_name)).toEqual([
      'hubspot_portal_id',
      'hubspot_app_host',
      'bridge_caller_secret',
    ]);
    const salesforce = await document('salesforce');
    expect(salesforce.authentication_type).toBe('oauth2');
    expect(salesforce.oauth2).toMatchObject({
      authorization_url: 'https://login.salesforce.com/services/oauth2/authorize',
      scope: 'api refresh_token',
      token_fields: ['access_token', 'instance_url'],
    });
  });

  it('gives the same data as Markdown for the submission form, on Accept: text/markdown or ?format=markdown', async () => {
    for (const name of connectors) {
      const document = JSON.parse((await integration(configured, `/${name}/integration`)).text);
      const byQuery = await integration(configured, `/${name}/integration?format=markdown`);
      const byAccept = await integration(configured, `/${name}/integration`, { accept: 'text/markdown' });
      expect(byQuery.status).toBe(200);
      expect(byQuery.type).toMatch(/^text\/markdown/);
      expect(byAccept.text).toBe(byQuery.text);
      const markdown = byQuery.text;
      expect(markdown).toContain('| Field | Value |');
      for (const key of ['name', 'display_name', 'description', 'logo_url', 'icon_url', 'authentication_type']) {
        expect(markdown, `${name} ${key}`).toContain(`| ${key} | ${document[key]} |`);
      }
      for (const field of document.authentication_configuration) {
        expect(markdown).toContain(`field_name: ${field.field_name}<br>display: ${field.display}`);
      }
      expect(markdown).toContain(`| POST | ${document.interaction_retriever_url} |`);
      expect(markdown).toContain(`| POST | ${document.authorization_validator_url} |`);
      if (document.oauth2) {
        expect(markdown).toContain(`| scope | ${document.oauth2.scope} |`);
        // Each scope with the vendor's page that requires it.
        for (const scope of document.oauth2.scope.split(' '))
          expect(markdown).toMatch(new RegExp(`\\| \`${scope}\` \\| .+ \\| https://`));
      }
    }
    // JSON stays the default, and wins when the client prefers it.
    const preferred = await integration(configured, '/zendesk/integration', {
      accept: 'application/json, text/markdown',
    });
    expect(preferred.type).toMatch(/^application\/json/);
  });

  it('leaves out what the operator has not configured, and the Markdown names the variable to set', async () => {
    const response = await integration(bare, '/hubspot/integration');
    expect(response.status).toBe(200);
    const document = JSON.parse(response.text);
    for (const key of ['logo_url', 'icon_url', 'interaction_retriever_url', 'authorization_validator_url']) {
      expect(document[key]).toBeUndefined();
    }
    expect(validate(document)).toBe(false);
    // Without BRIDGE_CALLER_SECRET, Talkdesk has no secret to send.
    expect(document.authentication_configuration.map((field: { field_name: string }) => field.field_name)).toEqual([
      'hubspot_portal_id',
      'hubspot_app_host',
    ]);
    const markdown = (await integration(bare, '/hubspot/integration?format=markdown')).text;
    for (const variable of ['BRIDGE_PUBLIC_URL', 'INTEGRATION_LOGO_URL', 'INTEGRATION_ICON_URL']) {
      expect(markdown).toContain(`**not configured: set ${variable}**`);
    }
  });

  it('answers 404 for an unknown connector, and is public like /docs, even with a caller secret', async () => {
    expect((await integration(bare, '/acme-crm/integration')).status).toBe(404);
    const anonymous = await fetch(`${configured.bridgeUrl}/zendesk/integration`);
    expect(anonymous.status).toBe(200);
    expect(await anonymous.text()).not.toContain(CALLER_SECRET);
    // Talkdesk's routes still ask for it.
    const validate = await fetch(`${configured.bridgeUrl}/zendesk/auth/validate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ auth: { subdomain: 'acme', email: 'a@b.example', token: 't' } }),
    });
    expect(validate.status).toBe(401);
  });
});

describe('integration variables are validated at boot', () => {
  it('refuses a public URL or logo that is not https, naming the variable and not its value', async () => {
    const { loadBridgeConfig } = await import('../../apps/bridge/src/bridge-config.js');
    expect(() => loadBridgeConfig({ BRIDGE_PUBLIC_URL: 'http://bridge.example.com' })).toThrow(
      /BRIDGE_PUBLIC_URL must be an https URL/,
    );
    expect(() => loadBridgeConfig({ INTEGRATION_LOGO_URL: 'https://user:pw@assets.example.com/x.png' })).toThrow(
      /INTEGRATION_LOGO_URL must not carry a user name or password/,
    );
    expect(() => loadBridgeConfig({ INTEGRATION_ICON_URL: 'not a url' })).toThrow(/INTEGRATION_ICON_URL/);
    expect(() => loadBridgeConfig({ INTEGRATION_ICON_URL: 'not a url' })).not.toThrow(/not a url/);
    expect(loadBridgeConfig({ BRIDGE_PUBLIC_URL: 'https://bridge.example.com/talkdesk/' }).integration.publicUrl).toBe(
      'https://bridge.example.com/talkdesk',
    );
  });
});

/** `npm run talkdesk:integration -- <args>`, run from the sources (the npm script runs the build of the same file). */
function printIntegration(args: string[], env: Record<string, string>) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      [
        '--conditions=source',
        '--import',
        './test/faults/support/register-typescript.mjs',
        'apps/bridge/src/integration/print-integration.ts',
        ...args,
      ],
      {
        cwd: fileURLToPath(new URL('../..', import.meta.url)),
        env: { PATH: process.env.PATH, CRM_SANDBOX: 'off', ...env },
      },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

// Each run compiles the bridge's sources on the fly: seconds on a loaded machine.
describe('npm run talkdesk:integration', { timeout: 120_000 }, () => {
  it('prints what the bridge serves: JSON, or the Markdown with --markdown', async () => {
    const env = { ...CONFIGURED, BRIDGE_CALLER_SECRET: CALLER_SECRET };
    const [json, markdown] = await Promise.all([
      printIntegration(['zendesk'], env),
      printIntegration(['hubspot', '--markdown'], env),
    ]);
    expect(json.code, json.stderr).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual(JSON.parse((await integration(configured, '/zendesk/integration')).text));
    expect(markdown.code, markdown.stderr).toBe(0);
    expect(markdown.stdout).toBe((await integration(configured, '/hubspot/integration?format=markdown')).text);
  });

  it('exits 1 naming the variables to set when the document is incomplete, 2 for an unknown connector', async () => {
    const [incomplete, unknown] = await Promise.all([
      printIntegration(['salesforce'], {}),
      printIntegration(['acme-crm'], {}),
    ]);
    expect(incomplete.code).toBe(1);
    expect(JSON.parse(incomplete.stdout).name).toBe('salesforce');
    expect(incomplete.stderr).toMatch(/set BRIDGE_PUBLIC_URL, INTEGRATION_LOGO_URL, INTEGRATION_ICON_URL/);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain(`connectors: ${[...connectors].sort().join(', ')}`);
  });
});
