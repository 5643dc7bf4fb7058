import { describe, expect, it } from 'vitest';
import {
  interactionSoql,
  personLookupSoql,
  phoneSearchSosl,
  REFERENCE_END,
  REFERENCE_START,
} from './salesforce-queries.js';
import { soqlString, soslTerm } from './salesforce-query-text.js';

describe('SOQL string literals', () => {
  it.each([
    ["O'Brien", "'O\\'Brien'"],
    ['back\\slash', "'back\\\\slash'"],
    ['say "hi"', '\'say \\"hi\\"\''],
    ['100% _match_', "'100% _match_'"], // wildcards only mean something in LIKE, which is never used
    ["x' OR Name != '", "'x\\' OR Name != \\''"],
    ['line\nbreak\r\ttab', "'line\\nbreak\\r\\ttab'"],
    ['nul\u0000bell\u0007', "'nul\\u0000bell\\u0007'"],
    ['{braces} [and] (parens)', "'{braces} [and] (parens)'"],
    ['Zoë 😀 日本', "'Zoë 😀 日本'"],
    ["\\'", "'\\\\\\''"],
  ])('%j → %s', (value, literal) => {
    expect(soqlString(value)).toBe(literal);
  });
});

describe('SOSL search terms', () => {
  it('escapes every reserved character with a backslash', () => {
    expect(soslTerm('a?b&c|d!e{f}g[h]i(j)k^l~m*n:o\\p"q\'r+s-t')).toBe(
      'a\\?b\\&c\\|d\\!e\\{f\\}g\\[h\\]i\\(j\\)k\\^l\\~m\\*n\\:o\\\\p\\"q\\\'r\\+s\\-t',
    );
  });

  it('cannot close the braces or add an operator: whitespace and controls go', () => {
    expect(soslTerm('555} OR {*')).toBe('555\\}OR\\{\\*');
    expect(soslTerm('4045550127\nIN ALL FIELDS')).toBe('4045550127INALLFIELDS');
  });
});

describe('the exact query text sent for hostile values', () => {
  it('email lookup', () => {
    expect(personLookupSoql('Contact', 'Email', ["o'brien@example.com", "x' OR Email != '", 'a\\b%_@x.com'], 5)).toBe(
      "SELECT Id, Name, Email, Phone, MobilePhone, HomePhone, OtherPhone FROM Contact WHERE Email IN ('o\\'brien@example.com', 'x\\' OR Email != \\'', 'a\\\\b%_@x.com') ORDER BY CreatedDate DESC, Id DESC LIMIT 5",
    );
  });

  it('name lookup of Leads, with unicode and a newline', () => {
    expect(personLookupSoql('Lead', 'Name', ['Zoë "Z" {O\'Neil}\nOR 1=1'], 2)).toBe(
      "SELECT Id, Name, Email, Phone, MobilePhone FROM Lead WHERE Name IN ('Zoë \\\"Z\\\" {O\\'Neil}\\nOR 1=1') AND IsConverted = false ORDER BY CreatedDate DESC, Id DESC LIMIT 2",
    );
  });

  it('interaction queries by reference (marked, for the composite to write as @{…}) and by ids', () => {
    // One Task query for `task` and `call`: no subtype filter, split by the connector.
    expect(interactionSoql('Task', { reference: 'people.records[0].Id' }, 2000)).toBe(
      `SELECT Id, WhoId, Subject, Description, ActivityDate, CreatedDate, Priority, Status, IsClosed, TaskSubtype FROM Task WHERE WhoId = '${REFERENCE_START}people.records[0].Id${REFERENCE_END}' ORDER BY CreatedDate DESC, Id DESC LIMIT 2000`,
    );
    // A value cannot forge the marks: soqlString writes control characters as \uXXXX.
    expect(soqlString(`${REFERENCE_START}people.records[0].Id${REFERENCE_END}`)).toBe(
      "'\\u0001people.records[0].Id\\u0002'",
    );
    expect(interactionSoql('ContentNote', { ids: ['003000000000001AAA', "003'x"] }, 100)).toBe(
      "SELECT Id, Title, TextPreview, CreatedDate FROM ContentNote WHERE Id IN (SELECT ContentDocumentId FROM ContentDocumentLink WHERE LinkedEntityId IN ('003000000000001AAA', '003\\'x')) ORDER BY CreatedDate DESC, Id DESC LIMIT 100",
    );
    expect(interactionSoql('Note', { ids: ["003'x"] }, 50)).toBe(
      "SELECT Id, ParentId, Title, Body, CreatedDate, IsPrivate FROM Note WHERE ParentId = '003\\'x' ORDER BY CreatedDate DESC, Id DESC LIMIT 50",
    );
    expect(interactionSoql('Note', { reference: 'person.Id' }, 50)).toBe(
      `SELECT Id, ParentId, Title, Body, CreatedDate, IsPrivate FROM Note WHERE ParentId = '${REFERENCE_START}person.Id${REFERENCE_END}' ORDER BY CreatedDate DESC, Id DESC LIMIT 50`,
    );
  });

  it('phone search: one FIND for every number', () => {
    expect(phoneSearchSosl(['4045550127', '5555555555'], 10)).toBe(
      'FIND {4045550127 OR 5555555555} IN PHONE FIELDS RETURNING Contact(Id, Name, Email, Phone, MobilePhone, HomePhone, OtherPhone ORDER BY CreatedDate DESC LIMIT 10), Lead(Id, Name, Email, Phone, MobilePhone WHERE IsConverted = false ORDER BY CreatedDate DESC LIMIT 10)',
    );
  });
});
