import { describe, expect, it } from 'vitest';
import { MalformedQuery } from './query-lexer.js';
import { runSoql, runSosl } from './query-engine.js';
import { seedAcme } from './seed.js';
import { parseSoql } from './soql-parser.js';
import { parseSosl } from './sosl-parser.js';

const refused = (run: () => unknown, code = 'MALFORMED_QUERY') => {
  let thrown: unknown;
  try {
    run();
  } catch (error) {
    thrown = error;
  }
  expect(thrown, 'refused').toBeInstanceOf(MalformedQuery);
  expect((thrown as MalformedQuery).errorCode).toBe(code);
};

describe('SOQL parser', () => {
  it('reads the grammar the connector uses', () => {
    expect(
      parseSoql(
        "select Id, Name from Contact where Email in ('a@x.com', 'b@x.com') and IsConverted = false order by CreatedDate desc, Id desc limit 5",
      ),
    ).toEqual({
      fields: ['Id', 'Name'],
      object: 'Contact',
      where: {
        kind: 'and',
        terms: [
          { kind: 'in', field: 'Email', negated: false, values: ['a@x.com', 'b@x.com'] },
          { kind: 'compare', field: 'IsConverted', op: '=', value: false, likeEscapes: false },
        ],
      },
      orderBy: [
        { field: 'CreatedDate', descending: true, nullsLast: true },
        { field: 'Id', descending: true, nullsLast: true },
      ],
      limit: 5,
    });
  });

  it('reads a semi-join and parenthesised OR', () => {
    const query = parseSoql(
      "SELECT Id FROM ContentNote WHERE Id IN (SELECT ContentDocumentId FROM ContentDocumentLink WHERE LinkedEntityId = '003Ac0000000001AAA') AND (Title = 'a' OR Title != 'b')",
    );
    expect(query.where).toMatchObject({
      kind: 'and',
      terms: [{ kind: 'semi-join', query: { object: 'ContentDocumentLink' } }, { kind: 'or' }],
    });
  });

  it.each([
    ["O\\'Brien", "O'Brien"],
    ['back\\\\slash', 'back\\slash'],
    ['line\\nbreak\\ttab', 'line\nbreak\ttab'],
    ['\\u00e9t\\u00e9', 'été'],
    ["x\\' OR Name != \\'", "x' OR Name != '"],
    ['{braces} 100% _x_ 😀', '{braces} 100% _x_ 😀'],
  ])('keeps a hostile escaped value one literal: %s', (escaped, value) => {
    const query = parseSoql(`SELECT Id FROM Contact WHERE Name = '${escaped}'`);
    expect(query.where).toEqual({ kind: 'compare', field: 'Name', op: '=', value, likeEscapes: false });
  });

  it.each([
    ["SELECT Id FROM Contact WHERE Name = 'O'Brien'", 'an unescaped quote ends the string early'],
    ["SELECT Id FROM Contact WHERE Name = 'x\\q'", 'an unknown escape'],
    ["SELECT Id FROM Contact WHERE Name = 'unterminated", 'an unterminated string'],
    ["SELECT Id FROM Contact WHERE Name = 'a' AND Email = 'b' OR Phone = 'c'", 'AND and OR mixed without parentheses'],
    ['SELECT Id FROM Contact WHERE', 'a missing condition'],
    ['SELECT FROM Contact', 'no fields'],
    ["SELECT Id FROM Contact WHERE Name == 'a'", 'an unknown operator'],
    ['SELECT Id FROM Contact LIMIT -1', 'a negative LIMIT'],
    ['SELECT Id FROM Contact; DELETE', 'a stray character'],
    ["SELECT Id FROM Contact WHERE Name = 'a' LIMIT 1 extra", 'trailing words'],
    ['SELECT Id FROM Contact WHERE Id IN (SELECT Id, Name FROM Lead)', 'a semi-join of two fields'],
    ["SELECT Id FROM Contact WHERE Name = '\\%x'", 'a LIKE escape outside LIKE'],
  ])('refuses %s (%s)', (text) => {
    refused(() => runSoql(seedAcme(), text));
  });
});

describe('SOQL against the org schema', () => {
  const org = seedAcme();

  it('refuses unknown objects, unknown fields, filters on long text and malformed ids with their error codes', () => {
    refused(() => runSoql(org, 'SELECT Id FROM Opportunity'), 'INVALID_TYPE');
    refused(() => runSoql(org, 'SELECT Id, Shoe FROM Contact'), 'INVALID_FIELD');
    refused(() => runSoql(org, "SELECT Id FROM Case WHERE Description = 'x'"), 'INVALID_FIELD');
    refused(() => runSoql(org, "SELECT Id FROM Case WHERE ContactId = '003x'"), 'INVALID_QUERY_FILTER_OPERATOR');
    refused(() => runSoql(org, "SELECT Id FROM Lead WHERE IsConverted = 'false'"), 'INVALID_FIELD');
  });

  it('refuses ContentDocumentLink without a filter on LinkedEntityId or ContentDocumentId', () => {
    refused(() => runSoql(org, 'SELECT Id FROM ContentDocumentLink'));
    refused(() =>
      runSoql(
        org,
        "SELECT Id FROM ContentNote WHERE Id IN (SELECT ContentDocumentId FROM ContentDocumentLink WHERE ShareType = 'V')",
      ),
    );
  });

  it('compares strings case-insensitively, keeps nulls in !=, and orders newest first', () => {
    const leads = runSoql(org, "SELECT Id, Name FROM Lead WHERE Email = 'JANE.DOE@example.com'");
    expect(leads.map((lead) => lead.Name)).toEqual(['Jane Doe']);
    const fresh = seedAcme();
    fresh.insert('Task', { Subject: 'no subtype', TaskSubtype: null, CreatedDate: '2030-01-01T00:00:00.000Z' });
    const notCalls = runSoql(
      fresh,
      "SELECT Id, Subject, TaskSubtype, CreatedDate FROM Task WHERE TaskSubtype != 'Call' ORDER BY CreatedDate DESC",
    );
    expect(notCalls[0]!.Subject).toBe('no subtype');
    expect(notCalls.some((task) => task.TaskSubtype === 'Call')).toBe(false);
    const dates = notCalls.map((task) => String(task.CreatedDate));
    expect(dates).toEqual([...dates].sort().reverse());
  });

  it('answers a semi-join through ContentDocumentLink with only the linked notes', () => {
    const [jane] = runSoql(org, "SELECT Id FROM Contact WHERE Name = 'Jane Doe'");
    const notes = runSoql(
      org,
      `SELECT Id, Title FROM ContentNote WHERE Id IN (SELECT ContentDocumentId FROM ContentDocumentLink WHERE LinkedEntityId = '${jane!.Id}') ORDER BY CreatedDate DESC`,
    );
    expect(notes.map((note) => note.Title)).toEqual(['Courier update', 'Preferences']);
  });

  it("answers the connector's classic Note query by ParentId, and refuses a filter on its Body", () => {
    const [jane] = runSoql(org, "SELECT Id FROM Contact WHERE Name = 'Jane Doe'");
    const notes = runSoql(
      org,
      `SELECT Id, ParentId, Title, Body, CreatedDate, IsPrivate FROM Note WHERE ParentId = '${jane!.Id}' ORDER BY CreatedDate DESC, Id DESC LIMIT 50`,
    );
    expect(notes).toEqual([
      {
        attributes: { type: 'Note', url: expect.stringMatching(/\/sobjects\/Note\/002/) },
        Id: expect.stringMatching(/^002/),
        ParentId: jane!.Id,
        Title: 'Warehouse call',
        Body: '<p>Atlanta warehouse confirmed stock &amp; will ship <b>Monday</b>.</p>',
        CreatedDate: '2026-10-10T09:00:00.000+0000',
        IsPrivate: false,
      },
    ]);
    refused(() => runSoql(org, "SELECT Id FROM Note WHERE Body = 'x'"), 'INVALID_FIELD');
  });
});

describe('SOSL parser', () => {
  it('reads FIND {…} IN PHONE FIELDS RETURNING objects with their clauses', () => {
    expect(
      parseSosl(
        'FIND {4045550127 OR 5555555555} IN PHONE FIELDS RETURNING Contact(Id, Phone ORDER BY CreatedDate DESC LIMIT 5), Lead(Id WHERE IsConverted = false)',
      ),
    ).toMatchObject({
      terms: ['4045550127', '5555555555'],
      joiner: 'or',
      scope: 'PHONE',
      returning: [
        { object: 'Contact', fields: ['Id', 'Phone'], limit: 5 },
        { object: 'Lead', fields: ['Id'], where: { kind: 'compare', field: 'IsConverted', value: false } },
      ],
    });
  });

  it('keeps escaped reserved characters inside one term', () => {
    expect(parseSosl('FIND {a\\}b\\{c\\*\\:OR} IN ALL FIELDS RETURNING Contact').terms).toEqual(['a}b{c*:OR']);
  });

  it.each([
    ['FIND {555} OR {*} IN PHONE FIELDS RETURNING Contact', 'a second brace group'],
    ['FIND {a*} IN ALL FIELDS RETURNING Contact', 'an unescaped wildcard'],
    ['FIND {a} IN BODY FIELDS RETURNING Contact', 'an unknown search group'],
    ['FIND {a OR} IN ALL FIELDS RETURNING Contact', 'a dangling operator'],
    ['FIND {a OR b AND c} IN ALL FIELDS RETURNING Contact', 'AND and OR mixed'],
    ['FIND {a} IN ALL FIELDS', 'no RETURNING'],
    ['FIND {a IN ALL FIELDS RETURNING Contact', 'an unterminated expression'],
    ["FIND {a} IN ALL FIELDS RETURNING Contact(Id WHERE Name = 'x' OR Email = 'y' AND Phone = 'z')", 'a bad WHERE'],
  ])('refuses %s (%s)', (text) => {
    refused(() => runSosl(seedAcme(), text));
  });

  it('finds a number in any stored format, and only whole numbers', () => {
    const org = seedAcme();
    const found = runSosl(
      org,
      'FIND {4045550127} IN PHONE FIELDS RETURNING Contact(Id, Name, Phone), Lead(Id, Name, Phone)',
    );
    expect(found.map((record) => `${(record.attributes as { type: string }).type} ${record.Phone}`)).toEqual([
      'Contact +1 404-555-0127',
      'Lead 404.555.0127',
    ]);
    expect(
      runSosl(org, 'FIND {4045550188} IN PHONE FIELDS RETURNING Contact(Phone)').map((record) => record.Phone),
    ).toEqual(['14045550188']);
    expect(runSosl(org, 'FIND {5550127} IN PHONE FIELDS RETURNING Contact(Phone)')).toEqual([]);
  });
});
