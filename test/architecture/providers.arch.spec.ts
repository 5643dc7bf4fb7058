import { Test } from '@nestjs/testing';
import { DiscoveryService } from '@nestjs/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Connector, ConnectorRegistry, ProvidesInteractionsMetadata } from '#interactions';
import { AppModule } from '../../apps/bridge/src/app.module.js';
import { loadBridgeConfig } from '../../apps/bridge/src/bridge-config.js';
import { CONFORMANCE_CONNECTORS } from '../conformance/conformance-connectors.js';
import '../conformance/fixtures/index.js';
import type { TestingModule } from '@nestjs/testing';

/**
 * Architecture rules, checked on the real application container (like Immich's controller index spec):
 * every provider declares a connector and a type, no two claim the same pair, nothing that looks like a provider
 * escaped registration, and every connector is covered by the conformance suite.
 */
describe('architecture: connectors and interaction providers', () => {
  let module: TestingModule;
  let discovery: DiscoveryService;

  beforeAll(async () => {
    const environment = { CRM_SANDBOX: 'off' };
    module = await Test.createTestingModule({
      imports: [AppModule.forRoot(loadBridgeConfig(environment), environment)],
    }).compile();
    await module.init();
    discovery = module.get(DiscoveryService);
  });

  afterAll(async () => {
    await module.close();
  });

  it('every @ProvidesInteractions names a @Connector class and a type, and no two claim the same pair', () => {
    const wrappers = discovery.getProviders({ metadataKey: ProvidesInteractionsMetadata.KEY });
    expect(wrappers.length).toBeGreaterThan(0);
    const pairs = wrappers.map((wrapper) => {
      const options = discovery.getMetadataByDecorator(ProvidesInteractionsMetadata, wrapper)!;
      const connector = Reflect.getMetadata(Connector.KEY, options.connector) as { name: string } | undefined;
      expect(connector?.name, `${wrapper.name} connector`).toMatch(/^[a-z][a-z0-9-]*$/);
      expect(options.type, `${wrapper.name} type`).toMatch(/^[a-z][a-z0-9_-]*$/);
      return `${connector!.name}/${options.type}`;
    });
    expect(new Set(pairs).size).toBe(pairs.length);
  });

  it('every provider belongs to a registered connector, and every connector provides at least one type', () => {
    const registry = module.get(ConnectorRegistry);
    const connectors = discovery.getProviders({ metadataKey: Connector.KEY });
    expect(
      registry
        .list()
        .map((c) => c.name)
        .sort(),
    ).toEqual(connectors.map((w) => discovery.getMetadataByDecorator(Connector, w)!.name).sort());
    for (const connector of registry.list()) expect(connector.providers.size, connector.name).toBeGreaterThan(0);
  });

  it('no class with fetchInteractions() escaped the @ProvidesInteractions decorator', () => {
    const undecorated = discovery
      .getProviders()
      .filter(
        (wrapper) =>
          wrapper.instance &&
          typeof (wrapper.instance as { fetchInteractions?: unknown }).fetchInteractions === 'function',
      )
      .filter((wrapper) => !discovery.getMetadataByDecorator(ProvidesInteractionsMetadata, wrapper))
      .map((wrapper) => wrapper.name);
    expect(undecorated).toEqual([]);
  });

  it('every connector declares how Talkdesk presents it, from its own auth fields, each OAuth scope cited', () => {
    for (const connector of module.get(ConnectorRegistry).list()) {
      const integration = connector.integration;
      expect(integration, `${connector.name} declares @Connector({ integration })`).toBeDefined();
      expect(integration!.displayName.trim()).not.toBe('');
      expect(integration!.description.trim()).not.toBe('');
      for (const field of integration!.fields) {
        expect(connector.credentialFields, `${connector.name}: ${field.name} is one of its authFields`).toContain(
          field.name,
        );
        expect(field.display.trim() && field.help.trim(), `${connector.name}.${field.name}`).toBeTruthy();
      }
      // Talkdesk asks for the fields of a custom integration; an OAuth one gets its token from the flow.
      if (integration!.authenticationType === 'custom') expect(integration!.fields.length).toBeGreaterThan(0);
      else expect(integration!.oauth2, `${connector.name}: oauth2 needs the vendor's flow`).toBeDefined();
      for (const { scope, usedFor, sources } of integration!.oauth2?.scopes ?? []) {
        expect(scope).toMatch(/^\S+$/);
        expect(usedFor.trim()).not.toBe('');
        expect(sources.length, `${connector.name} scope ${scope} is cited`).toBeGreaterThan(0);
        for (const source of sources) expect(new URL(source).protocol).toBe('https:');
      }
      // What the validator answers comes back in `auth` beside the credentials: never in their place.
      for (const { name } of connector.derivedAuthFields) {
        expect(connector.credentialFields).not.toContain(name);
        expect(name).toMatch(/^[a-z][a-z0-9_]*$/);
      }
    }
  });

  it('every registered connector runs in the conformance suite', () => {
    const registered = module
      .get(ConnectorRegistry)
      .list()
      .map((c) => c.name)
      .sort();
    expect(Object.keys(CONFORMANCE_CONNECTORS).sort()).toEqual(registered);
  });
});
