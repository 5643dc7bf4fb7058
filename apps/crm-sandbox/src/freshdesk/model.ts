/** The records of one sandbox Freshdesk account, as Freshdesk's API v2 shows them (https://developers.freshdesk.com/api/). */

export interface FreshdeskPlan {
  /** The plan's name, for humans. */
  name: string;
  /** API calls (credits) a minute for the account. */
  perMinute: number;
  /** "Tickets List" calls a minute, within `perMinute`. */
  ticketsList: number;
  /** "Contacts List" calls a minute, within `perMinute`. */
  contactsList: number;
}

export interface FreshdeskAgent {
  id: number;
  name: string;
  email: string;
  phone: string | null;
  apiKey: string;
}

export interface FreshdeskContactRecord {
  id: number;
  name: string;
  email: string | null;
  other_emails: string[];
  phone: string | null;
  mobile: string | null;
  active: boolean;
  company_id: number | null;
  twitter_id: string | null;
  /** Present (true) only on a deleted contact, as View a Contact shows it. */
  deleted?: true;
  created_at: string;
  updated_at: string;
}

export interface FreshdeskTicketRecord {
  id: number;
  subject: string;
  /** HTML. */
  description: string;
  description_text: string;
  /** 2 Open, 3 Pending, 4 Resolved, 5 Closed, or an account's custom status. */
  status: number;
  /** 1 Low, 2 Medium, 3 High, 4 Urgent. */
  priority: number;
  /** 1 Email, 2 Portal, 3 Phone, 7 Chat, 9 Feedback Widget, 10 Outbound Email. */
  source: number;
  type: string | null;
  requester_id: number;
  spam: boolean;
  created_at: string;
  updated_at: string;
}

export interface FreshdeskConversationRecord {
  id: number;
  ticket_id: number;
  /** HTML. */
  body: string;
  body_text: string;
  incoming: boolean;
  private: boolean;
  /** 0 Reply, 2 Note, … */
  source: number;
  user_id: number;
  created_at: string;
  updated_at: string;
}

export interface FreshdeskAccountData {
  domain: string;
  plan: FreshdeskPlan;
  agent: FreshdeskAgent;
  contacts: FreshdeskContactRecord[];
  tickets: FreshdeskTicketRecord[];
  conversations: FreshdeskConversationRecord[];
}
