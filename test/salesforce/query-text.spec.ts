import { describe, expect, it } from 'vitest';
import type { CrmCall, CrmHttpClient } from '#crm-http';
import {
  BridgeMetrics,
  Deadline,
  DEFAULT_INTERACTION_SETTINGS,
  parsePhone,
  UpstreamError,
  type Contact,
  type PhoneNumber,
} from '#interactions';
import {
  SalesforceApiUsage,
  SalesforceCallProvider,
  SalesforceCaseProvider,
  SalesforceConnector,
  SalesforceNoteProvider,
  type SalesforceApi,
} from '#connectors/salesforce';
import { parseSoql } from '../../apps/crm-sandbox/src/salesforce/soql-parser.js';
import { parseSosl } from '../../apps/crm-sandbox/src/salesforce/sosl-parser.js';

/**
 * What the connector puts on the wire, with a fake HTTP client that records every call and answers from a script:
 * the exact SOQL and SOSL text for hostile values (and the sandbox's parser reading each value back as one literal),
 * the composite's shape, and how a composite's answer is shared out.
 */
type Answer = (call: CrmCall) => unknown;

function session(answer: Answer, types = ['case', 'task', 'call', 'note']) {
  const calls: CrmCall[] = [];
  const http = { request: async (call: CrmCall) => (calls.push(call), answer(call)) } as unknown as CrmHttpClient;
  const connector = new SalesforceConnector(
    http,
    { apiUrlTemplate: 'https://{host}', limitRetryAfterSeconds: 60 },
    new SalesforceApiUsage(new BridgeMetrics()),
    { ...DEFAULT_INTERACTION_SETTINGS, deadlineMs: 1000 },
  );
  const api = connector.openSession(
    { instance_url: 'https://acme.my.salesforce.com', access_token: 't' },
    { requestId: 'r', connector: 'salesforce', deadline: new Deadline(2000) },
  );
  connector.planInteractions(api, { types, limitPerType: 50 });
  return { connector, api, calls };
}

type Sub = { url: string; referenceId: string; method: string };
const subrequests = (call: CrmCall) => (call.body as { compositeRequest: Sub[] }).compositeRequest;
/** The SOQL of a query subrequest, as Salesforce reads it once references are substituted. */
const soqlOf = (sub: Sub) => new URL(sub.url, 'https://x').searchParams.get('q') ?? '';
const emptyComposite = (call: CrmCall) => ({
  compositeResponse: subrequests(call).map((sub) => ({
    referenceId: sub.referenceId,
    httpStatusCode: 200,
    body: { totalSize: 0, done: true, records: [] },
    httpHeaders: {},
  })),
});

const HOSTILE_EMAILS = [
  "x' OR Email != '",
  'back\\slash%_@example.com',
  '{braces}@example.com',
  'zoë@exämple.com\nOR 1=1',
  'a@{people.records[0].Id}.com',
];

describe('the query text sent for hostile values', () => {
  it('email: one composite, the lookup with each value one escaped literal, then one query per type by reference', async () => {
    const { connector, api, calls } = session(emptyComposite);
    await connector.findContactsByEmail(api, HOSTILE_EMAILS);
    expect(calls.map((call) => `${call.method} ${call.url}`)).toEqual([
      'POST https://acme.my.salesforce.com/services/data/v62.0/composite',
      'POST https://acme.my.salesforce.com/services/data/v62.0/composite', // no Contact: the Lead lookup
    ]);
    expect((calls[0]!.body as { allOrNone: boolean }).allOrNone).toBe(false);
    const [lookup, ...types] = subrequests(calls[0]!);
    expect(soqlOf(lookup!)).toBe(
      "SELECT Id, Name, Email, Phone, MobilePhone, HomePhone, OtherPhone FROM Contact WHERE Email IN ('x\\' OR Email != \\'', 'back\\\\slash%_@example.com', '{braces}@example.com', 'zoë@exämple.com\\nOR 1=1', 'a@{people.records[0].Id}.com') ORDER BY CreatedDate DESC, Id DESC LIMIT 5",
    );
    expect(parseSoql(soqlOf(lookup!)).where).toEqual({
      kind: 'in',
      field: 'Email',
      negated: false,
      values: HOSTILE_EMAILS,
    });
    expect(types.map((sub) => sub.referenceId)).toEqual(['case', 'task', 'call', 'note']);
    expect(types[0]!.url).toContain("'@{people.records[0].Id}'"); // the reference stays literal for Salesforce
    // A value that reads like a reference is encoded with the rest: Salesforce resolves only the connector's own.
    expect(lookup!.url).not.toContain('@{');
    expect(lookup!.url).toContain(encodeURIComponent('a@{people.records[0].Id}.com'));
    expect(soqlOf(subrequests(calls[1]!)[0]!)).toMatch(/FROM Lead WHERE Email IN \(.*\) AND IsConverted = false/);
    expect(subrequests(calls[1]!).map((sub) => sub.referenceId)).toEqual(['people', 'task', 'call', 'note']); // Leads have no Cases
  });

  it('name: the same escaping, and only two records asked for', async () => {
    const { connector, api, calls } = session(emptyComposite, []);
    const name = "Zoë \"O'Neil\" \\ {x} 100%\nOR Name != ''";
    await connector.findContactsByName(api, name);
    const soql = soqlOf(subrequests(calls[0]!)[0]!);
    expect(soql).toBe(
      "SELECT Id, Name, Email, Phone, MobilePhone, HomePhone, OtherPhone FROM Contact WHERE Name IN ('Zoë \\\"O\\'Neil\\\" \\\\ {x} 100%\\nOR Name != \\'\\'') ORDER BY CreatedDate DESC, Id DESC LIMIT 2",
    );
    expect(parseSoql(soql).where).toMatchObject({ values: [name] });
  });

  it('phone: one SOSL search of national digits for all the numbers; nothing else from the request reaches it', async () => {
    const { connector, api, calls } = session(() => ({ searchRecords: [] }));
    const parsed = ['+1 (404) 555-0127', '404.555.0127', '+44 20 7946 0958'].map((raw) => parsePhone(raw)!);
    // The core only hands over parsed numbers; the connector still refuses digits that are not digits.
    const forged: PhoneNumber = { e164: '+1555', nationalDigits: '555} OR {*', countryCallingCode: '1' };
    await connector.findContactsByPhone(api, [...parsed, forged]);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.url).toBe('https://acme.my.salesforce.com/services/data/v62.0/search/');
    const sosl = calls[0]!.params!.q as string;
    expect(sosl).toBe(
      'FIND {4045550127 OR 2079460958} IN PHONE FIELDS RETURNING Contact(Id, Name, Email, Phone, MobilePhone, HomePhone, OtherPhone ORDER BY CreatedDate DESC LIMIT 10), Lead(Id, Name, Email, Phone, MobilePhone WHERE IsConverted = false ORDER BY CreatedDate DESC LIMIT 10)',
    );
    expect(parseSosl(sosl).terms).toEqual(['4045550127', '2079460958']);
  });

  it('an id that is not a Contact or Lead id makes no call', async () => {
    const { connector, api, calls } = session(emptyComposite);
    for (const id of ["003' OR Id != '", '001000000000001AAA', '003abc', '00Q00000000000%AAA']) {
      expect(await connector.findContactById(api, id)).toBeUndefined();
    }
    expect(calls).toEqual([]);
  });
});

describe('sharing out a composite', () => {
  const jane = { Id: '003Ac0000000001AAA', Name: 'Jane Doe', Email: 'jane@example.com', Phone: '+1 404-555-0127' };

  it("a failed subrequest fails only its type; the others read the same call's answer", async () => {
    const { connector, api, calls } = session((call) => ({
      compositeResponse: subrequests(call).map((sub) =>
        sub.referenceId === 'person'
          ? { referenceId: 'person', httpStatusCode: 200, body: jane }
          : sub.referenceId === 'note'
            ? {
                referenceId: 'note',
                httpStatusCode: 400,
                body: [{ message: "sObject type 'ContentNote' is not supported.", errorCode: 'INVALID_TYPE' }],
              }
            : {
                referenceId: sub.referenceId,
                httpStatusCode: 200,
                body: {
                  totalSize: 1,
                  done: true,
                  records: [
                    {
                      Id: `${sub.referenceId}-1`,
                      CreatedDate: '2026-10-01T10:00:00.000+0000',
                      ContactId: jane.Id,
                      WhoId: jane.Id,
                    },
                  ],
                },
              },
      ),
    }));
    const contact = (await connector.findContactById(api, jane.Id))!;
    const [cases, calls_, notes] = await Promise.allSettled([
      new SalesforceCaseProvider().fetchInteractions(api, contact, 50),
      new SalesforceCallProvider().fetchInteractions(api, contact, 50),
      new SalesforceNoteProvider().fetchInteractions(api, contact, 50),
    ]);
    expect(cases).toMatchObject({
      status: 'fulfilled',
      value: [{ id: 'case-1', url: 'https://acme.my.salesforce.com/lightning/r/Case/case-1/view' }],
    });
    expect(calls_).toMatchObject({ status: 'fulfilled', value: [{ id: 'call-1', type: 'call' }] });
    expect(notes.status).toBe('rejected');
    expect((notes as PromiseRejectedResult).reason).toBeInstanceOf(UpstreamError);
    expect((notes as PromiseRejectedResult).reason.message).toBe(
      'salesforce note query failed with HTTP 400 INVALID_TYPE',
    );
    expect(calls).toHaveLength(1);
    expect(subrequests(calls[0]!)[0]!.url).toBe(
      '/services/data/v62.0/sobjects/Contact/003Ac0000000001AAA?fields=Id,Name,Email,Phone,MobilePhone,HomePhone,OtherPhone',
    );
  });

  it('contacts found without a folded read share one composite: one query per type for all of them, split by owner', async () => {
    const a: Contact = { id: '003Ac000000000AAAA', emails: [], phones: [] };
    const b: Contact = { id: '003Ac000000000BAAA', emails: [], phones: [] };
    const { api, calls } = session((call) => ({
      compositeResponse: subrequests(call).map((sub) => ({
        referenceId: sub.referenceId,
        httpStatusCode: 200,
        body: {
          totalSize: 3,
          done: true,
          records: [
            { Id: '500A', ContactId: a.id, CreatedDate: '2026-10-03T00:00:00.000+0000' },
            { Id: '500B', ContactId: b.id, CreatedDate: '2026-10-02T00:00:00.000+0000' },
            { Id: '500C', ContactId: a.id, CreatedDate: '2026-10-01T00:00:00.000+0000' },
          ],
        },
      })),
    }));
    const provider = new SalesforceCaseProvider();
    const [forA, forB] = await Promise.all([
      provider.fetchInteractions(api, a, 50),
      provider.fetchInteractions(api, b, 50),
    ]);
    expect(forA.map((item) => item.id)).toEqual(['500A', '500C']);
    expect(forB.map((item) => item.id)).toEqual(['500B']);
    expect(calls).toHaveLength(1);
    expect(soqlOf(subrequests(calls[0]!)[0]!)).toContain(`WHERE ContactId IN ('${a.id}', '${b.id}')`);
    expect(soqlOf(subrequests(calls[0]!)[0]!)).toMatch(/LIMIT 100$/);
  });
});

// Typed use of the session, so a change to its public surface shows here.
export type { SalesforceApi };
