/**
 * Text for the seed: ticket subjects and bodies, note HTML as HubSpot's rich-text editor stores it (paragraphs,
 * line breaks, lists, links, entities), task subjects and bodies. Written for the sandbox.
 */

/** Note bodies that exercise HTML-to-text: entities, breaks, lists, links, nested markup, a long body. */
export const NOTE_HTML = {
  callRecap:
    '<p>Called Jane about order <strong>#88213</strong>.</p>' +
    '<p>The replacement lamp arrived&nbsp;intact.<br>She asked us to close the damage claim &amp; keep the credit on file.</p>',
  renewalChecklist:
    '<p>Renewal checklist for <em>Doe Lighting</em>:</p>' +
    '<ul><li>Confirm seat count (12 &rarr; 15)</li><li>Send the updated quote &amp; terms</li>' +
    '<li>Loop in <a href="https://example.com/legal/msa" target="_blank" rel="noopener">legal</a> for the MSA</li></ul>',
  entities:
    '<div>Q&amp;A follow-up &mdash; Jane&#39;s team wants &quot;net 45&quot; terms &lt;not 30&gt;.</div>' +
    '<div><br></div><div>Price stays at &euro;1,200&nbsp;/&nbsp;month &amp; shipping is included.</div>',
  steps:
    '<p><span style="font-size: 14px;">Onboarding call</span></p>' +
    '<ol><li>Walked through the <b>dashboard</b></li><li>Set up two users<br/>(Jane + Bob)</li>' +
    '<li>Scheduled training for <u>next week</u></li></ol><p></p>',
  longMeeting:
    '<h3>Quarterly business review</h3>' +
    '<p>Attendees: Jane Doe (Operations), Bob Martinez (Finance), and our account team. We reviewed the last quarter ' +
    'of orders, the support backlog and the rollout plan for the new warehouse in Columbus.</p>' +
    '<p>Highlights: on-time delivery went from 91% to 97%; damaged shipments dropped by half after the packaging ' +
    'change in March; average first response time on tickets is now under two hours.</p>' +
    '<p>Concerns: the invoicing export still needs manual fixes every month, and the team would like a single ' +
    'contact for escalations instead of the shared inbox. Jane also raised the cost of expedited shipping during ' +
    'the holiday peak and asked whether a flat rate is possible.</p>' +
    '<p>Next steps:</p><ul><li>We send a proposal for a flat expedited rate by the 15th</li>' +
    '<li>Finance shares the invoice samples that fail to import</li>' +
    '<li>We name a dedicated escalation manager before the next review</li></ul>' +
    '<p>Overall sentiment: positive, renewal likely. Follow up in <a href="https://example.com/qbr/doe-lighting">the QBR ' +
    'folder</a>&nbsp;&amp; the shared tracker.</p>',
} as const;

/** Short notes for everyone else. */
export const SHORT_NOTES = [
  '<p>Left a voicemail; will try again tomorrow.</p>',
  '<p>Customer prefers email over phone.<br>Best time: mornings.</p>',
  '<p>Sent the product sheet &amp; price list.</p>',
  '<p>Discussed the <strong>annual plan</strong>; waiting on budget approval.</p>',
  '<ul><li>Asked for a demo</li><li>Two decision makers</li></ul>',
  '<p>Confirmed the shipping address change.</p>',
];

export interface TicketText {
  subject: string;
  content: string | null;
}

/** Subjects and bodies for generated tickets. */
export const TICKET_TEXTS: TicketText[] = [
  { subject: 'Order arrived damaged', content: 'The box was crushed and two items inside are broken.' },
  { subject: 'Invoice shows the wrong VAT number', content: 'Please reissue the invoice with our new VAT number.' },
  { subject: 'Cannot log in to the portal', content: 'Password reset emails never arrive.' },
  { subject: 'Change delivery address', content: 'We moved; please ship future orders to the new warehouse.' },
  { subject: 'Missing items in shipment', content: 'Packing slip lists 12 units, we received 10.' },
  { subject: 'Request for bulk pricing', content: null },
  { subject: 'Tracking number not working', content: 'The carrier site says the number is unknown.' },
  { subject: 'Refund not received', content: 'The refund was approved two weeks ago but has not arrived.' },
  { subject: 'Product question: dimmer compatibility', content: 'Do the LED panels work with our existing dimmers?' },
  { subject: 'Duplicate charge on card', content: 'We were charged twice for the same order.' },
];

export interface TaskText {
  subject: string;
  body: string | null;
}

export const TASK_TEXTS: TaskText[] = [
  { subject: 'Follow up on quote', body: 'Check whether the quote was approved.' },
  { subject: 'Call back about delivery window', body: null },
  { subject: 'Send onboarding guide', body: '<p>Attach the PDF guide and the video link.</p>' },
  { subject: 'Confirm payment received', body: 'Finance should have it by Friday.' },
];
