import type { IntegrationDeclaration } from '#interactions';

/**
 * HubSpot as Talkdesk presents it: an OAuth 2.0 app. Talkdesk runs the authorization-code flow and sends the access
 * token in `auth.access_token` ("Configuring an Integration", https://docs.talkdesk.com/docs/integration-configuration);
 * a 401 from the bridge makes it refresh the token. Endpoints: "Working with OAuth",
 * https://developers.hubspot.com/docs/apps/legacy-apps/authentication/working-with-oauth.
 *
 * The scopes are those of the calls in hubspot-api.ts, each as the endpoint's own page lists it.
 */
export const HUBSPOT_INTEGRATION: IntegrationDeclaration = {
  displayName: 'HubSpot',
  description:
    "Shows the caller's HubSpot tickets, notes, tasks and logged calls beside the call, found by the contact's " +
    'HubSpot id, email addresses or phone numbers.',
  authenticationType: 'oauth2',
  fields: [],
  oauth2: {
    authorizeUrl: 'https://app.hubspot.com/oauth/authorize',
    tokenUrl: 'https://api.hubapi.com/oauth/v1/token',
    tokenFields: ['access_token'],
    source: 'https://developers.hubspot.com/docs/apps/legacy-apps/authentication/working-with-oauth',
    scopes: [
      {
        scope: 'oauth',
        usedFor: "GET /account-info/v3/details (the account's portal id and app host, for record links)",
        sources: ['https://developers.hubspot.com/docs/api-reference/latest/account/account-information/guide'],
      },
      {
        scope: 'crm.objects.contacts.read',
        usedFor:
          'GET /crm/v3/objects/contacts/{id}, POST /crm/v3/objects/contacts/search (the contact); POST /crm/v3/objects/{notes,tasks,calls}/search (note, task, call)',
        sources: [
          'https://developers.hubspot.com/docs/api-reference/latest/crm/objects/contacts/guide',
          'https://developers.hubspot.com/docs/api-reference/latest/crm/activities/notes/guide',
          'https://developers.hubspot.com/docs/api-reference/latest/crm/activities/tasks/guide',
          'https://developers.hubspot.com/docs/api-reference/latest/crm/activities/calls/guide',
        ],
      },
      {
        scope: 'tickets',
        usedFor: 'POST /crm/v3/objects/tickets/search (case), GET /crm/v3/pipelines/tickets (ticket statuses)',
        sources: [
          'https://developers.hubspot.com/docs/api-reference/latest/crm/objects/tickets/guide',
          'https://developers.hubspot.com/docs/api-reference/latest/crm/pipelines/guide',
        ],
      },
    ],
  },
};
