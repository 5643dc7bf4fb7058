import type { IntegrationDeclaration } from '#interactions';

/**
 * Freshdesk as Talkdesk presents it: a `custom` integration asking for the account's domain and an agent's API key
 * ("Configuring an Integration", https://docs.talkdesk.com/docs/integration-configuration). Freshdesk's API v2
 * authenticates with the API key as the Basic user name ("Authentication", https://developers.freshdesk.com/api/#authentication;
 * "How to find your API key", https://support.freshdesk.com/support/solutions/articles/215517): there is no OAuth
 * flow for it to run.
 */
export const FRESHDESK_INTEGRATION: IntegrationDeclaration = {
  displayName: 'Freshdesk',
  description:
    "Shows the caller's Freshdesk tickets, phone tickets and private notes beside the call, found by the contact's " +
    'Freshdesk id, email addresses or phone numbers.',
  authenticationType: 'custom',
  fields: [
    {
      name: 'domain',
      display: 'Freshdesk domain',
      mandatory: true,
      help: 'The "acme" of acme.freshdesk.com: letters, digits and hyphens only.',
      format: 'https://{{domain}}.freshdesk.com',
    },
    {
      name: 'api_key',
      display: 'API key',
      mandatory: true,
      help: 'Profile settings > View API key, of the agent whose tickets the bridge may read. The bridge only reads, and sees what this agent sees.',
    },
  ],
};
