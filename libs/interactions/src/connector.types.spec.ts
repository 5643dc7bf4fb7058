import { Injectable } from '@nestjs/common';
import { describe, expect, it } from 'vitest';
import {
  Connector,
  ProvidesInteractions,
  ProvidesInteractionsMetadata,
  type CrmConnector,
  type InteractionProvider,
} from './connector.js';
import type { Contact, TalkdeskInteraction } from './interaction.js';

/**
 * The session type flows from a connector to its providers. The `@ts-expect-error` lines below are checked by
 * `npm run typecheck` (tsc over libs/ and test/): if a mismatched provider ever compiled, tsc would report the
 * directive as unused and fail.
 */
class AcmeSession {
  private readonly acme = true;
}
class OtherSession {
  private readonly other = true;
}

const lookups = {
  verifyCredentials: async () => undefined,
  findContactById: async () => undefined,
  findContactsByEmail: async () => [],
  findContactsByPhone: async () => [],
  findContactsByName: async () => [],
};

@Injectable()
@Connector({ name: 'acme', authFields: ['token'] })
class AcmeConnector implements CrmConnector<AcmeSession> {
  openSession = () => new AcmeSession();
  verifyCredentials = lookups.verifyCredentials;
  findContactById = lookups.findContactById;
  findContactsByEmail = lookups.findContactsByEmail;
  findContactsByPhone = lookups.findContactsByPhone;
  findContactsByName = lookups.findContactsByName;
}

@ProvidesInteractions({ connector: AcmeConnector, type: 'case' })
class AcmeCaseProvider implements InteractionProvider<AcmeSession> {
  async fetchInteractions(_session: AcmeSession, _contact: Contact, _limit: number): Promise<TalkdeskInteraction[]> {
    return [];
  }
}

// @ts-expect-error a provider for another connector's session does not compile
@ProvidesInteractions({ connector: AcmeConnector, type: 'note' })
class OtherNoteProvider implements InteractionProvider<OtherSession> {
  async fetchInteractions(_session: OtherSession, _contact: Contact, _limit: number): Promise<TalkdeskInteraction[]> {
    return [];
  }
}

// @ts-expect-error a class that is not a provider at all does not compile either
@ProvidesInteractions({ connector: AcmeConnector, type: 'task' })
class NotAProvider {}

describe('@ProvidesInteractions', () => {
  it("records the connector's class and the type for discovery", () => {
    expect(Reflect.getMetadata(ProvidesInteractionsMetadata.KEY, AcmeCaseProvider)).toEqual({
      connector: AcmeConnector,
      type: 'case',
    });
    expect(Reflect.getMetadata(Connector.KEY, AcmeConnector)).toEqual({ name: 'acme', authFields: ['token'] });
  });

  it('checks the binding only at compile time: the mismatched classes above carry the metadata they were given', () => {
    // They exist for `npm run typecheck` (the @ts-expect-error lines); at run time the decorator records what it got.
    expect(Reflect.getMetadata(ProvidesInteractionsMetadata.KEY, OtherNoteProvider)).toBeDefined();
    expect(Reflect.getMetadata(ProvidesInteractionsMetadata.KEY, NotAProvider)).toBeDefined();
  });
});
