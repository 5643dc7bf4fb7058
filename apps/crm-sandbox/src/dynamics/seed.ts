import { DynamicsOrg } from './org.js';
import type { Row } from './schema.js';

/**
 * The seeded orgs. Deterministic: the same ids, dates and texts on every start. Dates count back from 2026-10-20 so
 * that the newest items of each kind are easy to name. Choice columns hold the documented codes (incident statecode
 * 0 Active, 1 Resolved, 2 Canceled; activity statecode 0 Open, 1 Completed, 2 Canceled; …).
 */
const DAY = 86_400_000;
const BASE = Date.UTC(2026, 9, 20, 9, 0, 0);
const at = (daysAgo: number, hours = 0) =>
  new Date(BASE - daysAgo * DAY + hours * 3_600_000).toISOString().replace('.000Z', 'Z');

/** participationtypemask: 1 Sender (from), 2 To Recipient (activityparty table reference). */
const FROM = 1;
const TO = 2;

function contact(org: DynamicsOrg, first: string, last: string, columns: Row, daysAgo: number): Row {
  return org.insert('contact', {
    firstname: first,
    lastname: last,
    fullname: `${first} ${last}`,
    createdon: at(daysAgo),
    modifiedon: at(daysAgo),
    statecode: 0,
    statuscode: 1,
    ...columns,
  });
}

function incident(org: DynamicsOrg, customer: Row, columns: Row, daysAgo: number, hours = 0): Row {
  const count = org.rows('incident').length + 1;
  return org.insert('incident', {
    _customerid_value: customer.contactid!,
    ticketnumber: `CAS-${String(1000 + count).padStart(5, '0')}-${org.host.slice(0, 2).toUpperCase()}`,
    createdon: at(daysAgo, hours),
    modifiedon: at(daysAgo, hours),
    ...columns,
  });
}

function task(org: DynamicsOrg, regarding: Row, columns: Row, daysAgo: number): Row {
  return org.insert('task', {
    _regardingobjectid_value: regarding.contactid ?? regarding.incidentid!,
    regardingobjecttypecode: regarding.contactid ? 'contact' : 'incident',
    createdon: at(daysAgo),
    modifiedon: at(daysAgo),
    ...columns,
  });
}

/** A phone call regarding a row, between the org's user and a contact (from and to by its direction). */
function phonecall(
  org: DynamicsOrg,
  regarding: Row,
  caller: Row,
  columns: Row & { directioncode: boolean },
  daysAgo: number,
): Row {
  const call = org.insert('phonecall', {
    _regardingobjectid_value: regarding.contactid ?? regarding.incidentid!,
    regardingobjecttypecode: regarding.contactid ? 'contact' : 'incident',
    createdon: at(daysAgo),
    modifiedon: at(daysAgo),
    ...columns,
  });
  const outgoing = columns.directioncode;
  org.insert('activityparty', {
    _activityid_value: call.activityid!,
    _partyid_value: caller.contactid!,
    partyobjecttypecode: 'contact',
    participationtypemask: outgoing ? TO : FROM,
  });
  org.insert('activityparty', {
    _activityid_value: call.activityid!,
    _partyid_value: org.userId,
    partyobjecttypecode: 'systemuser',
    participationtypemask: outgoing ? FROM : TO,
  });
  return call;
}

function note(org: DynamicsOrg, on: Row, subject: string, html: string, daysAgo: number): Row {
  return org.insert('annotation', {
    _objectid_value: on.contactid ?? on.incidentid!,
    objecttypecode: on.contactid ? 'contact' : 'incident',
    subject,
    notetext: html,
    isdocument: false,
    createdon: at(daysAgo),
    modifiedon: at(daysAgo),
  });
}

export function seedAcme(): DynamicsOrg {
  const org = new DynamicsOrg(
    'acme.crm.dynamics.com',
    'eyJ0eXAiOiJKV1QifQ.eyJhdWQiOiJodHRwczovL2FjbWUuY3JtLmR5bmFtaWNzLmNvbSJ9.sandbox-acme-access-token',
    'eyJ0eXAiOiJKV1QifQ.eyJhdWQiOiJodHRwczovL2FjbWUuY3JtLmR5bmFtaWNzLmNvbSJ9.sandbox-acme-expired-token',
    'ac3e0000',
  );

  // Jane: every type. Her numbers in two spellings; a deactivated duplicate shares her email.
  const jane = contact(
    org,
    'Jane',
    'Doe',
    {
      emailaddress1: 'jane.doe@example.com',
      emailaddress2: 'jane@doe.family',
      telephone1: '+1 404-555-0127',
      mobilephone: '(404) 555-0199',
    },
    400,
  );
  contact(org, 'Jane', 'Doe', { emailaddress1: 'jane.doe@example.com', statecode: 1, statuscode: 2 }, 900);
  const speaker = incident(
    org,
    jane,
    {
      title: 'Pulse speaker arrived cracked',
      description: 'The box was crushed & the speaker is cracked.\nCan you send a replacement?',
      statecode: 0,
      statuscode: 1,
      prioritycode: 1,
    },
    2,
    5,
  );
  const refund = incident(
    org,
    jane,
    {
      title: 'Refund for order #48213',
      description: 'Refund requested after the replacement.',
      statecode: 0,
      statuscode: 3,
      prioritycode: 2,
    },
    5,
  );
  incident(
    org,
    jane,
    {
      title: 'Wi-Fi setup keeps failing',
      description: 'Router firmware was out of date.',
      statecode: 1,
      statuscode: 5,
      prioritycode: 3,
    },
    20,
  );
  incident(
    org,
    jane,
    { title: 'Speaker case opened twice', description: null, statecode: 2, statuscode: 2000, prioritycode: 2 },
    30,
  );
  task(
    org,
    jane,
    {
      subject: 'Send replacement speaker',
      description: 'Ship from the Atlanta warehouse.',
      scheduledend: at(-2),
      statecode: 0,
      statuscode: 3,
      prioritycode: 2,
    },
    2,
  );
  task(
    org,
    jane,
    { subject: 'Confirm refund with finance', statecode: 0, statuscode: 2, prioritycode: 1, scheduledend: null },
    4,
  );
  task(
    org,
    jane,
    {
      subject: 'Follow-up email',
      description: 'Sent the setup guide.',
      scheduledend: at(19),
      statecode: 1,
      statuscode: 5,
      prioritycode: 0,
    },
    20,
  );
  // A task on her case, not on her: tasks are read regarding the contact.
  task(org, speaker, { subject: 'Inspect returned speaker', statecode: 0, statuscode: 2, prioritycode: 1 }, 1);
  phonecall(
    org,
    jane,
    jane,
    {
      subject: 'Inbound call: damaged speaker',
      description: 'Jane called about the cracked speaker; replacement promised.',
      phonenumber: '+1 404-555-0127',
      directioncode: false,
      actualstart: at(2, 4),
      statecode: 1,
      statuscode: 4,
      prioritycode: 1,
    },
    2,
  );
  // Regarding her refund case, with Jane only as the party called.
  phonecall(
    org,
    refund,
    jane,
    {
      subject: 'Outbound call: refund status',
      description: 'Left a voicemail.',
      phonenumber: '(404) 555-0199',
      directioncode: true,
      actualstart: at(4, 3),
      statecode: 1,
      statuscode: 2,
      prioritycode: 1,
    },
    4,
  );
  phonecall(
    org,
    jane,
    jane,
    {
      subject: 'Scheduled callback about the refund',
      directioncode: true,
      scheduledstart: at(-1),
      actualstart: null,
      statecode: 0,
      statuscode: 1,
      prioritycode: 2,
    },
    1,
  );
  note(
    org,
    jane,
    'Courier update',
    '<div><p>Spoke to the courier &mdash; the parcel is held at the depot &amp; goes out <b>tomorrow</b>.</p></div>',
    1,
  );
  note(org, jane, 'Preferences', '<ul><li>Prefers email</li><li>Calls after 5&nbsp;pm only</li></ul>', 30);
  note(org, speaker, 'Warehouse call', '<p>Atlanta warehouse confirmed stock &amp; will ship <b>Monday</b>.</p>', 10);

  // Callers found by phone, each number stored in its own spelling.
  const pat = contact(org, 'Pat', 'Phone', { telephone2: '404.555.0188' }, 90);
  const patCase = incident(
    org,
    pat,
    { title: 'Billing address change', description: 'Moved to Decatur.', statecode: 0, statuscode: 2, prioritycode: 3 },
    6,
  );
  phonecall(
    org,
    pat,
    pat,
    {
      subject: 'Callback about billing',
      directioncode: true,
      actualstart: at(6, 2),
      statecode: 1,
      statuscode: 2,
      prioritycode: 1,
    },
    6,
  );
  note(org, patCase, 'New address', '<p>Decatur, GA 30030</p>', 6);
  // The same national digits in another country: the wildcard match finds it, the E.164 check drops it.
  contact(org, 'Vic', 'Variant', { telephone1: '+44 404 555 0188' }, 80);
  const quinn = contact(org, 'Quinn', 'Quick', { mobilephone: '+14045550142' }, 70);
  task(
    org,
    quinn,
    { subject: 'Send the price list', scheduledend: at(-1), statecode: 0, statuscode: 2, prioritycode: 1 },
    3,
  );
  const raj = contact(org, 'Raj', 'Raw', { telephone3: '4045550177' }, 65);
  note(org, raj, 'Prefers SMS', '<p>Text, don&#39;t call.</p>', 8);

  // Ursula: the only one with her name. Sam Same: two contacts share a name.
  const ursula = contact(
    org,
    'Ursula',
    'Unique',
    { emailaddress1: 'ursula@example.com', mobilephone: '+1 (404) 555-0166' },
    120,
  );
  incident(
    org,
    ursula,
    {
      title: 'Account locked',
      description: 'Too many sign-in attempts.',
      statecode: 0,
      statuscode: 4,
      prioritycode: 1,
    },
    9,
  );
  note(org, ursula, 'Identity checked', '<p>Verified with the last four digits of the card.</p>', 9);
  contact(org, 'Sam', 'Same', { emailaddress1: 'sam.one@example.com' }, 200);
  contact(org, 'Sam', 'Same', { emailaddress1: 'sam.two@example.com' }, 210);

  // Hank: 60 cases, one a day, newest first; more than one page at the stand-in's page size.
  const hank = contact(org, 'Hank', 'Heavy', { emailaddress1: 'hank@example.com' }, 365);
  for (let n = 1; n <= 60; n++) {
    incident(
      org,
      hank,
      {
        title: `Order question #${n}`,
        description: `Question number ${n} about an order.`,
        statecode: n % 3 === 0 ? 1 : 0,
        statuscode: n % 3 === 0 ? 5 : 1,
        prioritycode: 2,
      },
      61 - n,
    );
  }
  return org;
}

export function seedGlobex(): DynamicsOrg {
  const org = new DynamicsOrg(
    'globex.crm4.dynamics.com',
    'eyJ0eXAiOiJKV1QifQ.eyJhdWQiOiJodHRwczovL2dsb2JleC5jcm00LmR5bmFtaWNzLmNvbSJ9.sandbox-globex-access-token',
    'eyJ0eXAiOiJKV1QifQ.eyJhdWQiOiJodHRwczovL2dsb2JleC5jcm00LmR5bmFtaWNzLmNvbSJ9.sandbox-globex-expired-token',
    '910be000',
  );
  // Another Jane Doe, with the same email, in another customer's org.
  const jane = contact(org, 'Jane', 'Doe', { emailaddress1: 'jane.doe@example.com' }, 300);
  incident(
    org,
    jane,
    {
      title: 'Invoice copy for Globex',
      description: 'Needs the PDF again.',
      statecode: 0,
      statuscode: 1,
      prioritycode: 2,
    },
    3,
  );
  incident(
    org,
    jane,
    { title: 'Contract renewal', description: null, statecode: 1, statuscode: 1000, prioritycode: 3 },
    40,
  );
  note(org, jane, 'Globex account manager', '<p>Ask for <i>Morgan</i>.</p>', 12);
  return org;
}
