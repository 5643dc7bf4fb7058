/**
 * The knobs of the request handling (docs/contract.md, "Handling a request"), set from the environment at boot (see the
 * bridge's config).
 */
export interface InteractionSettings {
  /** One deadline per request, in milliseconds (default 5,000). */
  deadlineMs: number;
  /** Most recent items read per interaction type and contact (default 50). */
  maxItemsPerType: number;
  /** Contacts whose interactions are merged when an email or phone matches several (default 5). */
  maxContacts: number;
  /** `description` is cut to this many characters at a word boundary (default 500). */
  descriptionMaxLength: number;
  /**
   * Contact identifiers looked up per request, in resolution order (docs/contract.md, "The CRM's API budget": default
   * 10). However many emails and phones a request carries, its lookups stay bounded.
   */
  maxLookupsPerRequest: number;
}

export const INTERACTION_SETTINGS = Symbol('INTERACTION_SETTINGS');

export const DEFAULT_INTERACTION_SETTINGS: InteractionSettings = {
  deadlineMs: 5_000,
  maxItemsPerType: 50,
  maxContacts: 5,
  descriptionMaxLength: 500,
  maxLookupsPerRequest: 10,
};

/**
 * The process environment, injectable, so that each connector module reads and validates its own variables at
 * boot (readValidatedEnv) and tests can hand an app its own environment.
 */
export const ENVIRONMENT = Symbol('ENVIRONMENT');
export type Environment = Record<string, string | undefined>;
