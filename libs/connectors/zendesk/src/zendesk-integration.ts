import type { IntegrationDeclaration } from '#interactions';

/**
 * Zendesk Support as Talkdesk presents it: a `custom` integration asking for the subdomain, an agent's email and an
 * API token ("Configuring an Integration", https://docs.talkdesk.com/docs/integration-configuration). Zendesk's OAuth
 * endpoints live on each customer's own subdomain, so one integration document cannot name them; the connector also
 * accepts an OAuth `access_token` instead of email and token, for a connection configured per account with the
 * endpoints below ("OAuth Tokens for Grant Types", https://developer.zendesk.com/api-reference/ticketing/oauth/grant_type_tokens/).
 */
export const ZENDESK_INTEGRATION: IntegrationDeclaration = {
  displayName: 'Zendesk Support',
  description:
    "Shows the caller's Zendesk tickets, tasks and internal notes beside the call, found by the contact's Zendesk " +
    'user id, email addresses or phone numbers.',
  authenticationType: 'custom',
  fields: [
    {
      name: 'subdomain',
      display: 'Zendesk subdomain',
      mandatory: true,
      help: 'The "acme" of acme.zendesk.com: letters, digits and hyphens only.',
      format: 'https://{{subdomain}}.zendesk.com',
    },
    {
      name: 'email',
      display: 'Agent email',
      mandatory: true,
      help: 'The email address of the Zendesk agent or admin whose API token this is. The bridge only reads, and sees what this agent sees.',
    },
    {
      name: 'token',
      display: 'API token',
      mandatory: true,
      help: 'Admin Center > Apps and integrations > APIs > Zendesk API > Settings: enable token access and add an API token.',
    },
  ],
  oauth2: {
    authorizeUrl: 'https://{subdomain}.zendesk.com/oauth/authorizations/new',
    tokenUrl: 'https://{subdomain}.zendesk.com/oauth/tokens',
    tokenFields: ['access_token'],
    source: 'https://developer.zendesk.com/api-reference/ticketing/oauth/grant_type_tokens/',
    scopes: [
      {
        scope: 'read',
        usedFor:
          'GET /api/v2/users/me, /users/{id}, /users/search, /users/show_many (identities sideloaded), /users/{id}/tickets/requested, /tickets/{id}/comments',
        sources: ['https://developer.zendesk.com/api-reference/ticketing/oauth/oauth_tokens/'],
      },
    ],
  },
};
