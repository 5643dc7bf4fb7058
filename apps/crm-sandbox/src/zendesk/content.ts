import type { ZendeskTicketType } from './model.js';

/**
 * The words of the generated tickets: what customers ask, what agents answer, what they note internally.
 * `{product}`, `{order}` and `{name}` are filled in per ticket.
 */

export interface IssueTemplate {
  type: Exclude<ZendeskTicketType, 'task'>;
  subject: string;
  description: string;
  tags: string[];
}

export interface TaskTemplate {
  subject: string;
  description: string;
  tags: string[];
}

export const PRODUCTS = [
  'AX200 router',
  'Pulse smart speaker',
  'Nimbus robot vacuum',
  'Vista 4K monitor',
  'Echo wireless earbuds',
  'Trail e-bike battery',
] as const;

export const ISSUES: readonly IssueTemplate[] = [
  {
    type: 'incident',
    subject: 'Order {order} arrived damaged',
    description: 'The box was crushed and the {product} inside is cracked. Can you send a replacement?',
    tags: ['damaged', 'shipping'],
  },
  {
    type: 'question',
    subject: 'Refund not received for order {order}',
    description: 'I returned the {product} three weeks ago and have not seen the refund yet.',
    tags: ['refund'],
  },
  {
    type: 'incident',
    subject: 'Cannot log in to my account',
    description: 'The password reset email never arrives. I checked the spam folder too.',
    tags: ['login'],
  },
  {
    type: 'problem',
    subject: 'Charged twice for order {order}',
    description: 'My card statement shows two charges for order {order}.',
    tags: ['billing'],
  },
  {
    type: 'incident',
    subject: '{product} will not turn on',
    description: 'Since the last firmware update the {product} stays dark. I tried another cable and another socket.',
    tags: ['hardware'],
  },
  {
    type: 'question',
    subject: 'How do I change my delivery address?',
    description: 'I am moving next week and order {order} has not shipped yet. Can you send it to my new address?',
    tags: ['shipping'],
  },
  {
    type: 'question',
    subject: 'Warranty claim for my {product}',
    description: 'My {product} stopped working after ten months. Is it still under warranty?',
    tags: ['warranty'],
  },
  {
    type: 'problem',
    subject: 'Discount code not accepted',
    description: 'The code from your newsletter is rejected at checkout as invalid.',
    tags: ['promo'],
  },
  {
    type: 'incident',
    subject: 'Wrong item in my package',
    description: 'I ordered a {product} but received a different model (order {order}).',
    tags: ['fulfilment'],
  },
  {
    type: 'question',
    subject: 'Invoice for order {order}',
    description: 'Could you resend the invoice for order {order} with our VAT number on it?',
    tags: ['billing', 'invoice'],
  },
  {
    type: 'problem',
    subject: 'App crashes when I open Settings',
    description: 'Version 4.2 of the app on Android closes as soon as I tap Settings.',
    tags: ['app'],
  },
  {
    type: 'question',
    subject: 'Cancel my subscription',
    description: 'Please cancel my monthly plan at the end of this billing period.',
    tags: ['subscription'],
  },
  {
    type: 'incident',
    subject: 'Tracking number does not work',
    description: 'The courier website says the tracking number for order {order} does not exist.',
    tags: ['shipping'],
  },
  {
    type: 'incident',
    subject: 'Missing parts in the {product} box',
    description: 'The mounting kit was not in the box of my {product}.',
    tags: ['fulfilment'],
  },
  {
    type: 'question',
    subject: 'Upgrade options for my plan',
    description: 'We are adding five more users next month. What are the upgrade options?',
    tags: ['sales'],
  },
  {
    type: 'problem',
    subject: 'Payment declined at checkout',
    description: 'My card works everywhere else but your checkout declines it with error P-104.',
    tags: ['billing', 'checkout'],
  },
];

export const TASKS: readonly TaskTemplate[] = [
  {
    subject: 'Call back {name} about order {order}',
    description: 'The customer asked for a call back to confirm the delivery window of order {order}.',
    tags: ['callback'],
  },
  {
    subject: 'Send replacement {product}',
    description: 'Ship a replacement {product} once the return label has been scanned.',
    tags: ['replacement'],
  },
  {
    subject: 'Schedule technician visit',
    description: 'Book an on-site visit for the {product} installation and confirm the slot with the customer.',
    tags: ['field-service'],
  },
  {
    subject: 'Confirm refund for order {order}',
    description: 'Check with finance that the refund for order {order} went out, then tell the customer.',
    tags: ['refund'],
  },
  {
    subject: 'Follow up on warranty claim',
    description: 'Chase the manufacturer for the RMA number of the {product}.',
    tags: ['warranty'],
  },
  {
    subject: 'Update billing details in ERP',
    description: 'The customer sent a new billing address; update it in the ERP before the next invoice run.',
    tags: ['billing'],
  },
  {
    subject: 'Send loyalty voucher to {name}',
    description: 'Send the 15% loyalty voucher promised on the phone.',
    tags: ['loyalty'],
  },
];

export const AGENT_REPLIES = [
  'Thanks for reaching out! I am looking into this now and will get back to you shortly.',
  'Sorry about the trouble. Could you send a photo of the {product} and of the shipping label?',
  'I have escalated this to our logistics team; you will hear from us within 24 hours.',
  'Thanks for your patience. I have checked your account and everything is set up correctly on our side.',
  'I have issued a prepaid return label; you will find it attached to the email we just sent.',
] as const;

export const CLOSING_REPLIES = [
  'Glad we could sort this out. I am marking this ticket as solved; just reply to reopen it.',
  'The fix is in place. Let us know if anything else comes up!',
  'Your request has been completed. Have a great day!',
] as const;

export const REQUESTER_REPLIES = [
  'Thanks, here is the photo you asked for.',
  'Any update on this? It has been a few days.',
  'That worked, thank you!',
  'I tried that, but it still does not work.',
] as const;

/** Internal notes as agents write them in the editor: HTML, with the odd entity and list. */
export const NOTES_HTML = [
  '<p>Checked the <strong>payment gateway</strong>: the second charge is a pre-authorisation that drops off in 3&ndash;5 days.</p>',
  '<p>Customer is on the <em>legacy plan</em>. Do not offer the loyalty discount again.</p><p>See the <a href="https://wiki.example.com/refunds" rel="noreferrer">refund policy</a>.</p>',
  '<p>Escalated to tier 2:</p><ul><li>firmware 2.3.1</li><li>factory reset done twice</li><li>no lights on power-up</li></ul>',
  '<p>Spoke to the courier &mdash; the parcel is held at the depot &amp; goes out tomorrow.</p>',
  '<p><strong>VIP</strong> account. Keep it formal; the customer prefers email to phone.</p>',
  '<p>Possible fraud flag on this order. Do <u>not</u> ship a replacement until finance confirms.</p>',
] as const;

const ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  '#39': "'",
  nbsp: ' ',
  mdash: '—',
  ndash: '–',
  rsquo: '’',
};

/** The plain text Zendesk shows for a comment's HTML (`plain_body`): blocks on their own lines, entities decoded. */
export function htmlToPlainText(html: string): string {
  return html
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<li[^>]*>/gi, '- ')
    .replace(/<\/(p|div|li|ul|ol|h\d)>/gi, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&(#?\w+);/g, (entity, name: string) => ENTITIES[name] ?? entity)
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .join('\n');
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** How Zendesk renders a plain-text comment as `html_body`. */
export function textToCommentHtml(text: string): string {
  const paragraphs = text
    .split(/\n{2,}/)
    .map((paragraph) => `<p dir="auto">${escapeHtml(paragraph).replace(/\n/g, '<br>')}</p>`)
    .join('');
  return `<div class="zd-comment" dir="auto">${paragraphs}</div>`;
}

/** Wraps editor HTML as Zendesk stores it in `html_body`. */
export function wrapCommentHtml(html: string): string {
  return `<div class="zd-comment" dir="auto">${html}</div>`;
}

export function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (placeholder, key: string) => values[key] ?? placeholder);
}
