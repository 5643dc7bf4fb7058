import type { SalesforceOrg } from './org.js';
import { seedAcme, seedGlobex } from './seed.js';

/**
 * What tests need to know about the sandbox's Salesforce data, read from the seed itself so it cannot drift.
 * `auth` is what Talkdesk sends: the org's instance URL and its access token.
 */
function describeOrg(org: SalesforceOrg) {
  const people = [...org.records('Contact'), ...org.records('Lead')];
  const byName = (name: string, object = 'Contact') =>
    (object === 'Contact' ? org.records('Contact') : org.records('Lead')).find((record) => record.Name === name)!;
  const idsOf = (
    object: string,
    link: string,
    who: string,
    keep: (record: Record<string, unknown>) => boolean = () => true,
  ) =>
    org
      .records(object)
      .filter((record) => record[link] === who && keep(record))
      .map((record) => record.Id);
  const notesOf = (who: string) => [
    ...org
      .records('ContentDocumentLink')
      .filter((link) => link.LinkedEntityId === who)
      .map((link) => String(link.ContentDocumentId)),
    ...idsOf('Note', 'ParentId', who),
  ];
  const summary = (record: Record<string, unknown> & { Id: string }) => ({
    id: record.Id,
    name: String(record.Name),
    email: (record.Email as string | null) ?? null,
    phone: (record.Phone as string | null) ?? (record.MobilePhone as string | null) ?? null,
    caseIds: idsOf('Case', 'ContactId', record.Id),
    taskIds: idsOf('Task', 'WhoId', record.Id, (task) => task.TaskSubtype !== 'Call'),
    callIds: idsOf('Task', 'WhoId', record.Id, (task) => task.TaskSubtype === 'Call'),
    /** ContentNotes, then classic Notes. */
    noteIds: notesOf(record.Id),
    classicNoteIds: idsOf('Note', 'ParentId', record.Id),
  });
  return {
    host: org.host,
    instanceUrl: `https://${org.host}`,
    auth: { instance_url: `https://${org.host}`, access_token: org.token },
    expiredAuth: { instance_url: `https://${org.host}`, access_token: org.expiredToken },
    people: people.length,
    summary,
    byName,
  };
}

const acmeOrg = seedAcme();
const globexOrg = seedGlobex();
const acme = describeOrg(acmeOrg);
const globex = describeOrg(globexOrg);

export const SALESFORCE_SANDBOX = {
  /** The query batch the stand-in answers with: smaller than Salesforce's 2,000, which Salesforce allows itself. */
  batchSize: 20,
  acme: {
    ...acme,
    contacts: {
      /** A Contact with every type; a Lead shares her email (and number). */
      jane: acme.summary(acme.byName('Jane Doe')),
      /** The Lead sharing Jane's email. */
      janeLead: acme.summary(acme.byName('Jane Doe', 'Lead')),
      /** Only a Lead: tasks, a call and a note, no case. */
      lee: acme.summary(acme.byName('Lee Lead', 'Lead')),
      /** Found by phone only; stored as 14045550188. */
      pat: acme.summary(acme.byName('Pat Phone')),
      /** The only contact with her name. */
      ursula: acme.summary(acme.byName('Ursula Unique')),
      /** 60 cases: the newest 50 span three batches of 20. */
      hank: acme.summary(acme.byName('Hank Heavy')),
    },
    /** Two Contacts named "Sam Same". */
    sharedName: 'Sam Same',
  },
  globex: { ...globex, contacts: { jane: globex.summary(globex.byName('Jane Doe')) } },
  /** A well-formed token no org issued. */
  unknownToken: '00Dnobody0000000!not-a-session',
};
