import { SalesforceOrg } from './org.js';
import type { SObject } from './schema.js';

/**
 * The seeded orgs. Deterministic: the same ids, dates and texts on every start. Dates count back from
 * 2026-10-20 so that the newest items of each kind are easy to name.
 */
const DAY = 86_400_000;
const BASE = Date.UTC(2026, 9, 20, 9, 0, 0);
const at = (daysAgo: number, hours = 0) => new Date(BASE - daysAgo * DAY + hours * 3_600_000).toISOString();
const dateOnly = (daysAgo: number) => at(daysAgo).slice(0, 10);

function person(
  org: SalesforceOrg,
  object: 'Contact' | 'Lead',
  first: string,
  last: string,
  fields: Record<string, unknown>,
  daysAgo: number,
): SObject {
  return org.insert(object, {
    FirstName: first,
    LastName: last,
    Name: `${first} ${last}`,
    CreatedDate: at(daysAgo),
    ...(object === 'Lead' ? { IsConverted: false } : {}),
    ...fields,
  });
}

function note(org: SalesforceOrg, linkedTo: string, title: string, html: string, daysAgo: number): SObject {
  // TextPreview is the note's text, first 255 characters (ContentNote, Object Reference).
  const text = html
    .replace(/<\/?(?:p|li|ul|ol|br|div)\b[^>]*>/g, ' ')
    .replace(/<[^>]*>/g, '')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 255);
  const record = org.insert('ContentNote', {
    Title: title,
    Content: Buffer.from(html).toString('base64'),
    TextPreview: text,
    CreatedDate: at(daysAgo),
  });
  org.insert('ContentDocumentLink', { ContentDocumentId: record.Id, LinkedEntityId: linkedTo, ShareType: 'V' });
  return record;
}

export function seedAcme(): SalesforceOrg {
  const org = new SalesforceOrg(
    'acme.my.salesforce.com',
    '00Dacme000000001!sandbox-access-token',
    '00Dacme000000001!expired-session',
    { code: 'Ac' },
  );

  // Jane: a Contact, and an older Lead with the same email (Contacts come first). Numbers stored in two formats.
  const jane = person(
    org,
    'Contact',
    'Jane',
    'Doe',
    { Email: 'jane.doe@example.com', Phone: '+1 404-555-0127', MobilePhone: '(404) 555-0199' },
    400,
  );
  const janeLead = person(org, 'Lead', 'Jane', 'Doe', { Email: 'jane.doe@example.com', Phone: '404.555.0127' }, 500);
  org.insert('Task', {
    WhoId: janeLead.Id,
    Subject: 'Qualify the lead',
    CreatedDate: at(499),
    Priority: 'Low',
    Status: 'Completed',
    IsClosed: true,
    TaskSubtype: 'Task',
  });
  org.insert('Case', {
    ContactId: jane.Id,
    Subject: 'Pulse speaker arrived cracked',
    Description: 'The box was crushed &amp; the speaker is cracked.\nCan you send a replacement?',
    CreatedDate: at(2, 5),
    Priority: 'High',
    Status: 'New',
    IsClosed: false,
  });
  org.insert('Case', {
    ContactId: jane.Id,
    Subject: 'Refund for order #48213',
    Description: 'Refund requested after the replacement.',
    CreatedDate: at(5),
    Priority: 'Medium',
    Status: 'Waiting on Customer',
    IsClosed: false,
  });
  org.insert('Case', {
    ContactId: jane.Id,
    Subject: 'Wi-Fi setup keeps failing',
    Description: 'Router firmware was out of date.',
    CreatedDate: at(20),
    Priority: 'Low',
    Status: 'Working',
    IsClosed: false,
  });
  org.insert('Case', {
    ContactId: jane.Id,
    Subject: '',
    Description: 'Where is my invoice for September? I need it for my accountant.',
    CreatedDate: at(40),
    Priority: 'Medium',
    Status: 'Closed',
    IsClosed: true,
  });
  org.insert('Task', {
    WhoId: jane.Id,
    Subject: 'Send replacement speaker',
    Description: 'Ship from the Atlanta warehouse.',
    ActivityDate: dateOnly(-2),
    CreatedDate: at(2, 6),
    Priority: 'High',
    Status: 'In Progress',
    IsClosed: false,
    TaskSubtype: 'Task',
  });
  org.insert('Task', {
    WhoId: jane.Id,
    Subject: 'Confirm refund with finance',
    Description: null,
    ActivityDate: null,
    CreatedDate: at(4),
    Priority: 'Normal',
    Status: 'Waiting on someone else',
    IsClosed: false,
    TaskSubtype: 'Task',
  });
  org.insert('Task', {
    WhoId: jane.Id,
    Subject: 'Follow-up email',
    Description: 'Sent the setup guide.',
    ActivityDate: dateOnly(19),
    CreatedDate: at(20),
    Priority: 'Low',
    Status: 'Completed',
    IsClosed: true,
    TaskSubtype: 'Email',
  });
  org.insert('Task', {
    WhoId: jane.Id,
    Subject: 'Inbound call: damaged speaker',
    Description: 'Jane called about the cracked speaker; replacement promised.',
    ActivityDate: dateOnly(2),
    CreatedDate: at(2, 4),
    Priority: 'Normal',
    Status: 'Completed',
    IsClosed: true,
    TaskSubtype: 'Call',
  });
  org.insert('Task', {
    WhoId: jane.Id,
    Subject: 'Outbound call: refund status',
    Description: 'Left a voicemail.',
    ActivityDate: dateOnly(4),
    CreatedDate: at(4, 3),
    Priority: 'Normal',
    Status: 'Completed',
    IsClosed: true,
    TaskSubtype: 'Call',
  });
  note(
    org,
    jane.Id,
    'Courier update',
    '<p>Spoke to the courier &mdash; the parcel is held at the depot &amp; goes out <b>tomorrow</b>.</p>',
    1,
  );
  note(org, jane.Id, 'Preferences', '<ul><li>Prefers email</li><li>Calls after 5 pm only</li></ul>', 30);
  // A classic Note (orgs that never moved to Lightning notes), its Body written as HTML-ish text.
  org.insert('Note', {
    ParentId: jane.Id,
    Title: 'Warehouse call',
    Body: '<p>Atlanta warehouse confirmed stock &amp; will ship <b>Monday</b>.</p>',
    CreatedDate: at(10),
    IsPrivate: false,
  });

  // Lee: only a Lead, with a task, a call and a note.
  const lee = person(org, 'Lead', 'Lee', 'Lead', { Email: 'lee.lead@example.com', Phone: '4045550142' }, 60);
  org.insert('Task', {
    WhoId: lee.Id,
    Subject: 'Send the price list',
    ActivityDate: dateOnly(-1),
    CreatedDate: at(3),
    Priority: 'Normal',
    Status: 'Not Started',
    IsClosed: false,
    TaskSubtype: 'Task',
  });
  org.insert('Task', {
    WhoId: lee.Id,
    Subject: 'Discovery call',
    Description: 'Interested in 40 seats.',
    ActivityDate: dateOnly(3),
    CreatedDate: at(3, 1),
    Priority: 'Normal',
    Status: 'Completed',
    IsClosed: true,
    TaskSubtype: 'Call',
  });
  note(org, lee.Id, 'Budget', '<p>Budget approved for <i>Q1</i>.</p>', 3);

  // Pat: found by phone only, stored as bare digits with a country code.
  const pat = person(org, 'Contact', 'Pat', 'Phone', { Email: null, Phone: '14045550188' }, 90);
  org.insert('Case', {
    ContactId: pat.Id,
    Subject: 'Billing address change',
    Description: 'Moved to Decatur.',
    CreatedDate: at(6),
    Priority: 'Low',
    Status: 'On Hold',
    IsClosed: false,
  });
  org.insert('Task', {
    WhoId: pat.Id,
    Subject: 'Callback about billing',
    CreatedDate: at(6, 2),
    Priority: 'Normal',
    Status: 'Completed',
    IsClosed: true,
    TaskSubtype: 'Call',
  });

  // Ursula: the only one with her name. Sam Same: two Contacts share the name.
  const ursula = person(
    org,
    'Contact',
    'Ursula',
    'Unique',
    { Email: 'ursula@example.com', MobilePhone: '+1 (404) 555-0166' },
    120,
  );
  org.insert('Case', {
    ContactId: ursula.Id,
    Subject: 'Account locked',
    Description: 'Reset sent.',
    CreatedDate: at(8),
    Priority: 'High',
    Status: 'Escalated',
    IsClosed: false,
  });
  person(org, 'Contact', 'Sam', 'Same', { Email: 'sam.one@example.com' }, 130);
  person(org, 'Contact', 'Sam', 'Same', { Email: 'sam.two@example.com' }, 131);

  // Hank: 60 cases, more than one batch of query results.
  const hank = person(org, 'Contact', 'Hank', 'Heavy', { Email: 'hank@example.com' }, 700);
  for (let n = 0; n < 60; n++) {
    org.insert('Case', {
      ContactId: hank.Id,
      Subject: `Order issue #${1000 + n}`,
      Description: `Case number ${n}.`,
      CreatedDate: at(300 - n * 4),
      Priority: 'Medium',
      Status: n % 5 === 0 ? 'Closed' : 'Working',
      IsClosed: n % 5 === 0,
    });
  }
  // A note on someone else, which Jane's notes must not include.
  note(org, ursula.Id, 'Ursula only', "<p>Not Jane's.</p>", 1);
  return org;
}

export function seedGlobex(): SalesforceOrg {
  const org = new SalesforceOrg(
    'globex--uat.sandbox.my.salesforce.com',
    '00Dglobex00000001!sandbox-access-token',
    '00Dglobex00000001!expired-session',
    { code: 'Gx' },
  );
  // Another Jane Doe, in another org: nothing of acme's may show through.
  const jane = person(org, 'Contact', 'Jane', 'Doe', { Email: 'jane.doe@example.com', Phone: '+1 404 555 0127' }, 50);
  org.insert('Case', {
    ContactId: jane.Id,
    Subject: 'Globex: badge not working',
    Description: 'Badge reader at gate 3.',
    CreatedDate: at(1),
    Priority: 'Low',
    Status: 'New',
    IsClosed: false,
  });
  note(org, jane.Id, 'Globex note', '<p>VIP at <b>Globex</b>.</p>', 2);
  return org;
}
