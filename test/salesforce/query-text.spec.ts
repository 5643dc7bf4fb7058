import { describe, expect, it } from 'vitest';
import type { CrmCall, CrmHttpClient } from '#crm-http';
import {
  BridgeMetrics,
  Deadline,
  DEFAULT_INTERACTION_SETTINGS,
  PartialInteractions,
  parsePhone,
  UpstreamError,
  type Contact,
  type PhoneNumber,
  finaliseInteraction,
  type MappedInteraction,
} from '#interactions';
import {
  SalesforceApiUsage,
  SalesforceCallProvider,
  SalesforceCaseProvider,
  SalesforceConnector,
  SalesforceNoteProvider,
  SalesforceTaskProvider,
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
    // One Task query answers `task` and `call`, making room for classic Notes: 5 queries with the lookup.
    expect(types.map((sub) => sub.referenceId)).toEqual(['Case', 'Task', 'ContentNote', 'Note']);
    for (const sub of types) expect(() => parseSoql(soqlOf(sub))).not.toThrow(); // the sandbox's parser reads each
    expect(soqlOf(types[1]!)).not.toContain('TaskSubtype =');
    expect(soqlOf(types[3]!)).toMatch(/FROM Note WHERE ParentId = '@\{people\.records\[0\]\.Id\}'/);
    expect(types[0]!.url).toContain("'@{people.records[0].Id}'"); // the reference stays literal for Salesforce
    // A value that reads like a reference is encoded with the rest: Salesforce resolves only the connector's own.
    expect(lookup!.url).not.toContain('@{');
    expect(lookup!.url).toContain(encodeURIComponent('a@{people.records[0].Id}.com'));
    expect(soqlOf(subrequests(calls[1]!)[0]!)).toMatch(/FROM Lead WHERE Email IN \(.*\) AND IsConverted = false/);
    expect(subrequests(calls[1]!).map((sub) => sub.referenceId)).toEqual(['people', 'Task', 'ContentNote', 'Note']); // Leads have no Cases
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

  const page = (records: object[]) => ({ totalSize: records.length, done: true, records });
  const ok = (referenceId: string, body: unknown) => ({ referenceId, httpStatusCode: 200, body });
  const refused = (referenceId: string, object: string) => ({
    referenceId,
    httpStatusCode: 400,
    body: [{ message: `sObject type '${object}' is not supported.`, errorCode: 'INVALID_TYPE' }],
  });
  /** Jane's composite: the record read, then one answer per query, or a refusal for the objects in `failing`. */
  const janeComposite = (failing: string[]) => (call: CrmCall) => ({
    compositeResponse: subrequests(call).map((sub) => {
      if (sub.referenceId === 'person') return ok('person', jane);
      if (failing.includes(sub.referenceId)) return refused(sub.referenceId, sub.referenceId);
      const at = (day: number) => `2026-10-${String(day).padStart(2, '0')}T10:00:00.000+0000`;
      const records = {
        Case: [{ Id: 'case-1', CreatedDate: at(1), ContactId: jane.Id }],
        Task: [
          { Id: 'task-3', CreatedDate: at(9), WhoId: jane.Id, TaskSubtype: 'Task' },
          { Id: 'call-2', CreatedDate: at(8), WhoId: jane.Id, TaskSubtype: 'Call' },
          { Id: 'task-2', CreatedDate: at(7), WhoId: jane.Id, TaskSubtype: null },
          { Id: 'call-1', CreatedDate: at(6), WhoId: jane.Id, TaskSubtype: 'Call' },
          { Id: 'task-1', CreatedDate: at(5), WhoId: jane.Id, TaskSubtype: 'Email' },
        ],
        ContentNote: [
          { Id: '069-new', Title: 'Lightning, newest', TextPreview: 'a', CreatedDate: at(20) },
          { Id: '069-old', Title: 'Lightning, oldest', TextPreview: 'b', CreatedDate: at(2) },
        ],
        Note: [{ Id: '002-mid', ParentId: jane.Id, Title: 'Classic', Body: '<p>c &amp; d</p>', CreatedDate: at(10) }],
      }[sub.referenceId];
      return ok(sub.referenceId, page(records ?? []));
    }),
  });
  const providers = (api: SalesforceApi, contact: Contact, limit = 50) =>
    Promise.allSettled([
      new SalesforceCaseProvider().fetchInteractions(api, contact, limit),
      new SalesforceTaskProvider().fetchInteractions(api, contact, limit),
      new SalesforceCallProvider().fetchInteractions(api, contact, limit),
      new SalesforceNoteProvider().fetchInteractions(api, contact, limit),
    ]);
  const idsOf = (outcome: PromiseSettledResult<unknown>) =>
    outcome.status === 'fulfilled'
      ? PartialInteractions.itemsOf(outcome.value as PartialInteractions).map((item) => item.id)
      : outcome.reason;

  it('one Task query answers task and call, split by TaskSubtype; notes merge ContentNotes and classic Notes', async () => {
    const { connector, api, calls } = session(janeComposite([]));
    const contact = (await connector.findContactById(api, jane.Id))!;
    const [cases, tasks, calls_, notes] = await providers(api, contact);
    expect(idsOf(cases)).toEqual(['case-1']);
    expect(idsOf(tasks)).toEqual(['task-3', 'task-2', 'task-1']); // no subtype or another subtype: a task
    expect(idsOf(calls_)).toEqual(['call-2', 'call-1']);
    expect(idsOf(notes)).toEqual(['069-new', '002-mid', '069-old']); // newest first across both objects
    // The classic note as Talkdesk gets it, once the core has finalised it (plain text, qualified id).
    const classic = ((notes as PromiseFulfilledResult<MappedInteraction[]>).value ?? []).find(
      (n) => n.id === '002-mid',
    )!;
    expect(finaliseInteraction(classic, 'note', 500)!.interaction).toMatchObject({
      id: 'note:002-mid',
      description: 'c & d',
      url: 'https://acme.my.salesforce.com/lightning/r/Note/002-mid/view',
    });
    expect(calls).toHaveLength(1);
    expect(subrequests(calls[0]!).map((sub) => sub.referenceId)).toEqual([
      'person',
      'Case',
      'Task',
      'ContentNote',
      'Note',
    ]);
  });

  it('each of task, call and note keeps its own newest `limit`', async () => {
    const { connector, api } = session(janeComposite([]), ['case', 'task', 'call', 'note']);
    const contact = (await connector.findContactById(api, jane.Id))!;
    // Another limit than the planned one is read again, in one composite for all the types.
    const [, tasks, calls_, notes] = await providers(api, contact, 1);
    expect(idsOf(tasks)).toEqual(['task-3']);
    expect(idsOf(calls_)).toEqual(['call-2']);
    expect(idsOf(notes)).toEqual(['069-new']);
  });

  it("a failed subrequest fails only its types; the others read the same call's answer", async () => {
    const { connector, api, calls } = session(janeComposite(['Task', 'ContentNote']));
    const contact = (await connector.findContactById(api, jane.Id))!;
    const [cases, tasks, calls_, notes] = await providers(api, contact);
    expect(cases).toMatchObject({
      status: 'fulfilled',
      value: [{ id: 'case-1', url: 'https://acme.my.salesforce.com/lightning/r/Case/case-1/view' }],
    });
    // The Task query failing fails both of its types.
    for (const outcome of [tasks, calls_]) {
      expect(outcome.status).toBe('rejected');
      expect((outcome as PromiseRejectedResult).reason).toBeInstanceOf(UpstreamError);
      expect((outcome as PromiseRejectedResult).reason.message).toBe(
        'salesforce Task query failed with HTTP 400 INVALID_TYPE',
      );
    }
    // ContentNotes failing loses only them: the classic Notes answer, with the failure as a partial answer.
    expect(notes.status).toBe('fulfilled');
    const partial = (notes as PromiseFulfilledResult<unknown>).value as PartialInteractions;
    expect(partial).toBeInstanceOf(PartialInteractions);
    expect(partial.items.map((item) => item.id)).toEqual(['002-mid']);
    expect(partial.failures).toHaveLength(1);
    expect(calls).toHaveLength(1);
    expect(subrequests(calls[0]!)[0]!.url).toBe(
      '/services/data/v62.0/sobjects/Contact/003Ac0000000001AAA?fields=Id,Name,Email,Phone,MobilePhone,HomePhone,OtherPhone',
    );
  });

  it('the classic Note query failing loses only classic notes; both note queries failing fails the type', async () => {
    const one = session(janeComposite(['Note']));
    const notes = await new SalesforceNoteProvider().fetchInteractions(
      one.api,
      (await one.connector.findContactById(one.api, jane.Id))!,
      50,
    );
    expect(notes).toBeInstanceOf(PartialInteractions);
    expect(PartialInteractions.itemsOf(notes).map((item) => item.id)).toEqual(['069-new', '069-old']);
    const both = session(janeComposite(['Note', 'ContentNote']));
    const contact = (await both.connector.findContactById(both.api, jane.Id))!;
    await expect(new SalesforceNoteProvider().fetchInteractions(both.api, contact, 50)).rejects.toThrow(
      /salesforce (ContentNote|Note) query failed with HTTP 400 INVALID_TYPE/,
    );
  });

  it('the Task query reads on until each of task and call has its newest `limit`, or the Tasks end', async () => {
    const who = jane.Id;
    const { api, calls } = session((call) =>
      call.method === 'POST'
        ? {
            compositeResponse: subrequests(call).map((sub) =>
              ok(sub.referenceId, {
                totalSize: 3,
                done: false,
                nextRecordsUrl: '/services/data/v62.0/query/01gAc0000000001-1',
                records: [{ Id: 'task-new', WhoId: who, TaskSubtype: 'Task', CreatedDate: '2026-10-09T00:00:00Z' }],
              }),
            ),
          }
        : page([
            { Id: 'task-old', WhoId: who, TaskSubtype: 'Task', CreatedDate: '2026-10-08T00:00:00Z' },
            { Id: 'call-old', WhoId: who, TaskSubtype: 'Call', CreatedDate: '2026-10-07T00:00:00Z' },
          ]),
    );
    const contact: Contact = { id: who, emails: [], phones: [] };
    const [tasks, calls_] = await Promise.all([
      new SalesforceTaskProvider().fetchInteractions(api, contact, 1),
      new SalesforceCallProvider().fetchInteractions(api, contact, 1),
    ]);
    expect(tasks.map((item) => item.id)).toEqual(['task-new']);
    expect(calls_.map((item) => item.id)).toEqual(['call-old']);
    // One composite with one Task query for both types, then one page followed for the call.
    expect(calls.map((call) => call.method)).toEqual(['POST', 'GET']);
    expect(subrequests(calls[0]!).map((sub) => sub.referenceId)).toEqual(['Task']);
    expect(soqlOf(subrequests(calls[0]!)[0]!)).toBe(
      `SELECT Id, WhoId, Subject, Description, ActivityDate, CreatedDate, Priority, Status, IsClosed, TaskSubtype FROM Task WHERE WhoId = '${who}' ORDER BY CreatedDate DESC, Id DESC LIMIT 2000`,
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
