/** One item of the array Talkdesk's Interaction Retriever expects (see shared/docs/talkdesk-interaction-retriever.md). */
export interface TalkdeskInteraction {
  /** The interaction's id in the CRM, unique within one response. */
  id: string;
  subject: string;
  /** Plain text preview. */
  description?: string;
  /** `YYYY-MM-DD HH:MM:SS UTC`, see toTalkdeskDate. */
  date: string;
  /** The page a human opens in the CRM. */
  url?: string;
  /** One of the asked interaction types. */
  type: string;
  priority?: TalkdeskPriority;
  status?: TalkdeskStatus;
}

export const TALKDESK_PRIORITIES = ['none', 'low', 'normal', 'high', 'urgent'] as const;
export type TalkdeskPriority = (typeof TALKDESK_PRIORITIES)[number];

export const TALKDESK_STATUSES = ['new', 'open', 'pending', 'solved', 'closed'] as const;
export type TalkdeskStatus = (typeof TALKDESK_STATUSES)[number];

export const TALKDESK_DATE_PATTERN = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC$/;

/** The contact identifiers of a request's `data`, normalised (trimmed, empty values dropped). */
export interface ContactQuery {
  externalId?: string;
  name?: string;
  emails: string[];
  phones: string[];
}

/** A CRM contact found for a request. Emails and phones are what the CRM holds, used to confirm exact matches. */
export interface Contact {
  id: string;
  name?: string;
  emails: string[];
  phones: string[];
}
