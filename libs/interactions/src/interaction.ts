/** One item of the array Talkdesk's Interaction Retriever expects (docs/contract.md, "The answer"). */
export interface TalkdeskInteraction {
  /**
   * Unique within the whole response, across types, and the same for the same record in every request:
   * `<type>:<the record's id in the CRM>` (`case:1130`, `note:38100000431`). See qualifiedId.
   */
  id: string;
  /** Plain text, never empty. */
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

/**
 * A CRM record as a connector's mapping hands it to the core, which makes a TalkdeskInteraction of it
 * (finaliseInteraction): the mapping reads fields, the core owns every rule that is the same for all CRMs.
 * Assignable to TalkdeskInteraction, so a provider returns these as its interactions.
 */
export interface MappedInteraction {
  /** The record's id in the CRM, as it is; the core qualifies it with the type. '' when the record has none. */
  id: string;
  /**
   * The record's title as the CRM holds it, HTML or text; '' when it has none. The core makes it plain text
   * (toPlainText), and when that is empty takes the first line of the description, else the type's name.
   */
  subject: string;
  /** The record's body as the CRM holds it, HTML or text: the core makes it plain text and cuts it. */
  description?: string;
  /** The date the type is dated by (a task's due date, say), formatted by toTalkdeskDate; '' when missing. */
  date: string;
  /** When the record was created, formatted by toTalkdeskDate: the core dates the item by it when `date` is ''. */
  createdDate?: string;
  url?: string;
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
