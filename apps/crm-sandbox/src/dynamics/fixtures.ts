import type { DynamicsOrg } from './org.js';
import type { Row } from './schema.js';
import { seedAcme, seedGlobex } from './seed.js';

/**
 * What tests need to know about the sandbox's Dynamics data, read from the seed itself so it cannot drift. `auth` is
 * what Talkdesk sends: the org's environment URL and its access token.
 */
function describeOrg(org: DynamicsOrg) {
  const newestFirst = (rows: Row[], key: string) =>
    [...rows]
      .sort((a, b) =>
        a.createdon === b.createdon
          ? String(b[key]).localeCompare(String(a[key]))
          : String(b.createdon).localeCompare(String(a.createdon)),
      )
      .map((row) => String(row[key]));
  const byName = (name: string) => org.rows('contact').find((row) => row.fullname === name && row.statecode === 0)!;
  const summary = (row: Row) => {
    const id = String(row.contactid);
    const cases = org.rows('incident').filter((incident) => incident._customerid_value === id);
    const caseIds = new Set(cases.map((incident) => incident.incidentid));
    const parties = new Set(
      org
        .rows('activityparty')
        .filter((party) => party._partyid_value === id)
        .map((party) => party._activityid_value),
    );
    return {
      id,
      name: String(row.fullname),
      email: (row.emailaddress1 as string | undefined) ?? null,
      phones: ['telephone1', 'telephone2', 'telephone3', 'mobilephone'].flatMap((column) =>
        typeof row[column] === 'string' ? [row[column] as string] : [],
      ),
      caseIds: newestFirst(cases, 'incidentid'),
      taskIds: newestFirst(
        org.rows('task').filter((task) => task._regardingobjectid_value === id),
        'activityid',
      ),
      callIds: newestFirst(
        org.rows('phonecall').filter((call) => call._regardingobjectid_value === id || parties.has(call.activityid)),
        'activityid',
      ),
      noteIds: newestFirst(
        org.rows('annotation').filter((note) => note._objectid_value === id || caseIds.has(note._objectid_value)),
        'annotationid',
      ),
    };
  };
  return {
    host: org.host,
    orgUrl: `https://${org.host}`,
    auth: { org_url: `https://${org.host}`, access_token: org.token },
    expiredAuth: { org_url: `https://${org.host}`, access_token: org.expiredToken },
    contactCount: org.rows('contact').length,
    summary,
    byName,
  };
}

const acme = describeOrg(seedAcme());
const globex = describeOrg(seedGlobex());

export const DYNAMICS_SANDBOX = {
  /** Rows per page: fewer than Dataverse's 5,000, which Dataverse allows itself ("up to"). */
  pageSize: 20,
  acme: {
    ...acme,
    contacts: {
      /** Every type: 4 cases, 3 tasks, 3 calls (one only as a party), 3 notes (one on a case); a deactivated duplicate shares her email. */
      jane: acme.summary(acme.byName('Jane Doe')),
      /** Found by phone only; stored as 404.555.0188. Vic Variant's UK number has the same national digits. */
      pat: acme.summary(acme.byName('Pat Phone')),
      /** Stored as +14045550142. */
      quinn: acme.summary(acme.byName('Quinn Quick')),
      /** Stored as bare digits, 4045550177. */
      raj: acme.summary(acme.byName('Raj Raw')),
      /** The only contact with her name. */
      ursula: acme.summary(acme.byName('Ursula Unique')),
      /** 60 cases: the newest 50 span three pages of 20. */
      hank: acme.summary(acme.byName('Hank Heavy')),
    },
    /** Two active contacts named "Sam Same". */
    sharedName: 'Sam Same',
  },
  globex: { ...globex, contacts: { jane: globex.summary(globex.byName('Jane Doe')) } },
  /** A well-formed token no org issued. */
  unknownToken: 'eyJ0eXAiOiJKV1QifQ.eyJhdWQiOiJub2JvZHkifQ.not-a-token-any-org-issued',
};
