import type { IntegrationDeclaration } from '#interactions';

/**
 * Dynamics 365 as Talkdesk presents it: an OAuth 2.0 app registered with Microsoft Entra ID. Talkdesk runs the
 * authorization-code flow against Entra ID ("Microsoft identity platform and OAuth 2.0 authorization code flow",
 * https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-auth-code-flow; `organizations` for work
 * accounts of any tenant) and passes the access token in `auth`. The token is issued for one environment, named in
 * the scope, so Talkdesk asks for the environment URL first and stores it as `org_url`; the token exchange does not
 * return it. A 401 from the bridge makes Talkdesk refresh the token.
 */
export const DYNAMICS_INTEGRATION: IntegrationDeclaration = {
  displayName: 'Microsoft Dynamics 365',
  description:
    "Shows the caller's Dynamics 365 cases, tasks, phone calls and notes beside the call, found by the contact's " +
    'Dynamics 365 id, email addresses, phone numbers or name.',
  authenticationType: 'oauth2',
  fields: [
    {
      name: 'org_url',
      display: 'Dynamics 365 environment URL',
      mandatory: true,
      help:
        'The address of your Dynamics 365 environment, e.g. https://contoso.crm.dynamics.com (in Power Apps: ' +
        'Settings > Session details > Instance url). No path after the host.',
      format: '{{org_url}}/api/data/v9.2/',
    },
  ],
  oauth2: {
    authorizeUrl: 'https://login.microsoftonline.com/organizations/oauth2/v2.0/authorize',
    tokenUrl: 'https://login.microsoftonline.com/organizations/oauth2/v2.0/token',
    tokenFields: ['access_token'],
    source: 'https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-auth-code-flow',
    scopes: [
      {
        scope: '{org_url}/.default',
        usedFor:
          'the Dataverse Web API as the signed-in user (the app registration holds the Dynamics CRM ' +
          'user_impersonation delegated permission): GET WhoAmI (validation), contacts, incidents, tasks, ' +
          'phonecalls, annotations; "For a confidential client, use a scope of <environment-url>/.default"',
        sources: ['https://learn.microsoft.com/en-us/power-apps/developer/data-platform/authenticate-oauth'],
      },
      {
        scope: 'offline_access',
        usedFor: 'a refresh token, so that Talkdesk can get a new access token when the bridge answers 401',
        sources: ['https://learn.microsoft.com/en-us/entra/identity-platform/scopes-oidc#offline_access'],
      },
    ],
  },
};
