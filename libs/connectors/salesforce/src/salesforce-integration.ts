import type { IntegrationDeclaration } from '#interactions';

/**
 * Salesforce as Talkdesk presents it: an OAuth 2.0 connected app. Talkdesk runs the authorization-code flow ("web
 * server flow") and passes the token exchange's fields in `auth`: `access_token`, and `instance_url`, the org's own
 * host, which Salesforce returns with the token ("OAuth 2.0 Web Server Flow for Web App Integration",
 * https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_web_server_flow.htm). A 401 from the bridge
 * (Salesforce's INVALID_SESSION_ID) makes Talkdesk refresh the token. Endpoints: Salesforce's OpenID configuration,
 * https://login.salesforce.com/.well-known/openid-configuration (sandbox orgs sign in at test.salesforce.com).
 */
export const SALESFORCE_INTEGRATION: IntegrationDeclaration = {
  displayName: 'Salesforce',
  description:
    "Shows the caller's Salesforce cases, tasks, logged calls and notes beside the call, found by the Contact's or " +
    "Lead's id, email addresses or phone numbers.",
  authenticationType: 'oauth2',
  fields: [],
  oauth2: {
    authorizeUrl: 'https://login.salesforce.com/services/oauth2/authorize',
    tokenUrl: 'https://login.salesforce.com/services/oauth2/token',
    tokenFields: ['access_token', 'instance_url'],
    source: 'https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_web_server_flow.htm',
    scopes: [
      {
        scope: 'api',
        usedFor:
          'the REST API: GET /services/data/v62.0 (validation), POST /composite, GET /query, GET /search, GET /sobjects/{Contact,Lead}/{id}',
        sources: ['https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_scopes.htm'],
      },
      {
        scope: 'refresh_token',
        usedFor: 'a refresh token, so that Talkdesk can get a new access token when the bridge answers 401',
        sources: ['https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_scopes.htm'],
      },
    ],
  },
};
