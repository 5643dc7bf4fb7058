import type { ZendeskIdentity, ZendeskTicket, ZendeskUser } from './model.js';

/**
 * Records as the API returns them: with `url`, the record's API address under the base the caller used
 * (`http://127.0.0.1:4010/zendesk/acme` in the sandbox, `https://acme.zendesk.com` at Zendesk).
 */
export function presentUser(user: ZendeskUser, base: string): Record<string, unknown> {
  const { id, ...rest } = user;
  return { id, url: `${base}/api/v2/users/${id}.json`, ...rest };
}

export function presentIdentity(identity: ZendeskIdentity, base: string): Record<string, unknown> {
  return { url: `${base}/api/v2/users/${identity.user_id}/identities/${identity.id}.json`, ...identity };
}

export function presentTicket(ticket: ZendeskTicket, base: string): Record<string, unknown> {
  return { url: `${base}/api/v2/tickets/${ticket.id}.json`, ...ticket };
}

/** What `users/me` says to a caller without credentials: a user with no id. */
export const ANONYMOUS_USER = {
  id: null,
  url: null,
  name: 'Anonymous user',
  email: 'invalid@example.com',
  created_at: null,
  updated_at: null,
  time_zone: 'Pacific Time (US & Canada)',
  iana_time_zone: 'America/Los_Angeles',
  phone: null,
  shared_phone_number: null,
  photo: null,
  locale_id: 1,
  locale: 'en-US',
  organization_id: null,
  role: 'end-user',
  verified: false,
} as const;

/** Zendesk's error bodies. */
export const RECORD_NOT_FOUND = { error: 'RecordNotFound', description: 'Not found' } as const;
export const INVALID_ENDPOINT = { error: 'InvalidEndpoint', description: 'Not found' } as const;
export const RATE_LIMITED_TEXT = 'Number of allowed API requests per minute exceeded';

export function noHelpDesk(subdomain: string): Record<string, unknown> {
  return {
    error: {
      title: `No help desk at ${subdomain}.zendesk.com`,
      message:
        'There is no help desk configured at this address. This means that the address is available and that you can claim it at http://www.zendesk.com/signup',
    },
  };
}
