import { ZENDESK_SANDBOX } from '../../apps/crm-sandbox/src/zendesk/fixtures.js';

/** The sandbox's two Zendesk tenants, their valid `auth` hashes, and acme's customer jane. */
export const acme = ZENDESK_SANDBOX.acme;
export const globex = ZENDESK_SANDBOX.globex;
export const jane = acme.users.jane;

export const ACME_AUTH = { subdomain: acme.subdomain, email: acme.credentials.email, token: acme.credentials.token };
export const GLOBEX_AUTH = {
  subdomain: globex.subdomain,
  email: globex.credentials.email,
  token: globex.credentials.token,
};
