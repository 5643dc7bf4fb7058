/**
 * The records of the Zendesk stand-in, in Zendesk Support's JSON shapes (API v2). The stored records carry no `url`:
 * Zendesk's `url` is the record's API address, which depends on where the sandbox is reached, so the routes add it
 * when they answer (see `present.ts`).
 */

export type ZendeskRole = 'end-user' | 'agent' | 'admin';
export type ZendeskTicketType = 'problem' | 'incident' | 'question' | 'task';
export type ZendeskTicketPriority = 'urgent' | 'high' | 'normal' | 'low';
export type ZendeskTicketStatus = 'new' | 'open' | 'pending' | 'hold' | 'solved' | 'closed';
export type ZendeskChannel = 'web' | 'email' | 'voice' | 'api' | 'chat';

export const TICKET_STATUSES: readonly ZendeskTicketStatus[] = ['new', 'open', 'pending', 'hold', 'solved', 'closed'];
export const TICKET_PRIORITIES: readonly ZendeskTicketPriority[] = ['low', 'normal', 'high', 'urgent'];

export interface ZendeskVia {
  channel: ZendeskChannel;
  source: { from: Record<string, unknown>; to: Record<string, unknown>; rel: string | null };
}

export interface ZendeskUser {
  id: number;
  name: string;
  email: string | null;
  created_at: string;
  updated_at: string;
  time_zone: string;
  iana_time_zone: string;
  phone: string | null;
  shared_phone_number: boolean | null;
  photo: null;
  locale_id: number;
  locale: string;
  organization_id: number | null;
  role: ZendeskRole;
  verified: boolean;
  external_id: string | null;
  tags: string[];
  alias: string;
  active: boolean;
  shared: boolean;
  shared_agent: boolean;
  last_login_at: string | null;
  two_factor_auth_enabled: boolean | null;
  signature: string | null;
  details: string;
  notes: string;
  role_type: number | null;
  custom_role_id: number | null;
  moderator: boolean;
  ticket_restriction: 'requested' | 'organization' | 'groups' | 'assigned' | null;
  only_private_comments: boolean;
  restricted_agent: boolean;
  suspended: boolean;
  default_group_id: number | null;
  report_csv: boolean;
  user_fields: Record<string, unknown>;
}

/**
 * One of a user's identities (User Identities API: `type` email, phone_number, …; `value`; `primary`). A user's
 * `email` and `phone` are its primary ones; search matches every identity.
 */
export interface ZendeskIdentity {
  id: number;
  user_id: number;
  type: 'email' | 'phone_number';
  value: string;
  verified: boolean;
  primary: boolean;
  created_at: string;
  updated_at: string;
}

export interface ZendeskTicket {
  id: number;
  external_id: string | null;
  via: ZendeskVia;
  created_at: string;
  updated_at: string;
  generated_timestamp: number;
  type: ZendeskTicketType | null;
  subject: string;
  raw_subject: string;
  /** The first comment's text. */
  description: string;
  priority: ZendeskTicketPriority | null;
  status: ZendeskTicketStatus;
  recipient: string | null;
  requester_id: number;
  submitter_id: number;
  assignee_id: number | null;
  organization_id: number | null;
  group_id: number | null;
  collaborator_ids: number[];
  follower_ids: number[];
  email_cc_ids: number[];
  forum_topic_id: null;
  problem_id: number | null;
  has_incidents: boolean;
  is_public: boolean;
  /** Only tasks have one, and not all of them. */
  due_at: string | null;
  tags: string[];
  custom_fields: { id: number; value: unknown }[];
  satisfaction_rating: { score: string } | null;
  sharing_agreement_ids: number[];
  custom_status_id: number;
  fields: { id: number; value: unknown }[];
  followup_ids: number[];
  ticket_form_id: number;
  brand_id: number;
  allow_channelback: boolean;
  allow_attachments: boolean;
  from_messaging_channel: boolean;
}

export interface ZendeskComment {
  id: number;
  type: 'Comment';
  author_id: number;
  body: string;
  html_body: string;
  plain_body: string;
  /** false for an internal note. */
  public: boolean;
  attachments: unknown[];
  audit_id: number;
  via: ZendeskVia;
  created_at: string;
  metadata: { system: Record<string, unknown>; custom: Record<string, unknown> };
}

/** A ticket with its comments, oldest first; the first comment is the description. */
export interface ZendeskThread {
  ticket: ZendeskTicket;
  comments: ZendeskComment[];
}

export interface ZendeskCredentials {
  /** The agent's email for Basic `{email}/token:{token}`. */
  email: string;
  /** The API token. */
  token: string;
  /** An OAuth access token, sent as `Authorization: Bearer …`. */
  accessToken: string;
}

/** One Zendesk account (tenant), as seeded. */
export interface ZendeskTenantData {
  subdomain: string;
  credentials: ZendeskCredentials;
  /** Users by ascending id; the first is the agent the credentials belong to. */
  users: ZendeskUser[];
  /** Every user's identities, primary and secondary, by ascending id. */
  identities: ZendeskIdentity[];
  /** Tickets by ascending id (which is also creation order). */
  threads: ZendeskThread[];
  /** This account's requests a minute (its plan); the sandbox's `rateLimitPerMinute` when unset. */
  rateLimitPerMinute?: number;
}
