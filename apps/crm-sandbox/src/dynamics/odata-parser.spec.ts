import { describe, expect, it } from 'vitest';
import { ODataQueryError } from './odata-lexer.js';
import { readQueryOptions, runQuery } from './odata-engine.js';
import { parseFilter, parseOrderBy, parseSelect, parseTop } from './odata-parser.js';
import { seedAcme } from './seed.js';
import { TABLE_BY_SET } from './schema.js';

const org = seedAcme();
const jane = org.rows('contact').find((row) => row.fullname === 'Jane Doe' && row.statecode === 0)!;

/** Runs a query on the seeded org the way the Web API reads its URL (`+` and `%20` are spaces). */
function query(set: string, options: Record<string, string>) {
  const table = TABLE_BY_SET[set]!;
  return runQuery(org, table, readQueryOptions(new URLSearchParams(options), table));
}

describe('the OData parser', () => {
  it('reads the filters the connector sends', () => {
    expect(parseFilter(`statecode eq 0 and (emailaddress1 eq 'O''Neil@example.com' or fullname eq 'x')`)).toEqual({
      kind: 'and',
      terms: [
        { kind: 'compare', path: ['statecode'], op: 'eq', value: { type: 'number', value: 0 } },
        {
          kind: 'or',
          terms: [
            {
              kind: 'compare',
              path: ['emailaddress1'],
              op: 'eq',
              value: { type: 'string', value: "O'Neil@example.com" },
            },
            { kind: 'compare', path: ['fullname'], op: 'eq', value: { type: 'string', value: 'x' } },
          ],
        },
      ],
    });
    const id = 'ac3e0000-0001-4000-8000-000000000001';
    expect(
      parseFilter(`_regardingobjectid_value eq ${id} or phonecall_activity_parties/any(p:p/_partyid_value eq ${id})`),
    ).toEqual({
      kind: 'or',
      terms: [
        { kind: 'compare', path: ['_regardingobjectid_value'], op: 'eq', value: { type: 'guid', value: id } },
        {
          kind: 'lambda',
          path: ['phonecall_activity_parties'],
          quantifier: 'any',
          variable: 'p',
          body: { kind: 'compare', path: ['p', '_partyid_value'], op: 'eq', value: { type: 'guid', value: id } },
        },
      ],
    });
    expect(parseFilter(`objectid_incident/_customerid_value eq ${id}`)).toEqual({
      kind: 'compare',
      path: ['objectid_incident', '_customerid_value'],
      op: 'eq',
      value: { type: 'guid', value: id },
    });
    expect(parseFilter(`contains(telephone1,'4%0%4')`)).toEqual({
      kind: 'function',
      name: 'contains',
      path: ['telephone1'],
      pattern: '4%0%4',
    });
    expect(parseSelect('contactid,fullname')).toEqual(['contactid', 'fullname']);
    expect(parseOrderBy('createdon desc,incidentid desc')).toEqual([
      { path: ['createdon'], descending: true },
      { path: ['incidentid'], descending: true },
    ]);
    expect(parseTop('50')).toBe(50);
  });

  it.each([
    ["emailaddress1 eq 'unterminated"],
    ["emailaddress1 eq 'a' or"],
    ['emailaddress1 eq'],
    ["emailaddress1 = 'a'"], // SQL, not OData
    ["emailaddress1 eq 'a' 'b'"],
    ["Microsoft.Dynamics.CRM.In(PropertyName='fullname',PropertyValues=['a'])"],
    ["tolower(fullname) eq 'a'"],
    ["substringof('a',fullname)"],
    ['statecode eq 0; drop table contact'],
    ['statecode add 1 eq 2'],
    ['(statecode eq 0'],
    ['phonecall_activity_parties/all()'],
    ['fullname eq fullname'],
  ])('refuses %j', (filter) => {
    expect(() => parseFilter(filter)).toThrow(ODataQueryError);
  });

  it.each([
    [{ $filter: "nosuchcolumn eq 'a'" }, /Could not find a property named 'nosuchcolumn'/],
    [{ $select: 'contactid,password' }, /Could not find a property named 'password'/],
    [{ $filter: "statecode eq '0'" }, /incompatible types.*'Edm.Int32' and 'Edm.String'/],
    [{ $filter: `contactid eq '${jane.contactid}'` }, /incompatible types.*'Edm.Guid' and 'Edm.String'/],
    [{ $filter: "contains(statecode,'0')" }, /No function signature/],
    [{ $filter: 'contact_activity_parties/any(p:p/_partyid_value eq null)' }, /not a collection-valued navigation/],
    [{ $expand: 'contact_customer_accounts' }, /'\$expand' is not supported/],
    [{ $skip: '10' }, /'\$skip' is not supported/],
    [{ $top: '-1' }, /Invalid value '-1' for \$top/],
    [{ $orderby: 'parentcustomerid/name' }, /related tables/],
  ])('refuses %j with Dataverse’s message', (options, message) => {
    expect(() => query('contacts', options as Record<string, string>)).toThrow(message);
  });
});

describe('the OData engine on the seeded org', () => {
  it('compares strings case-insensitively and reads eq literally (no wildcards)', () => {
    expect(query('contacts', { $filter: "emailaddress1 eq 'JANE.DOE@EXAMPLE.COM' and statecode eq 0" })).toEqual([
      jane,
    ]);
    expect(query('contacts', { $filter: "emailaddress1 eq 'jane%'" })).toEqual([]);
  });

  it('matches every spelling of a number with the wildcard pattern, and nothing else', () => {
    const found = query('contacts', {
      $filter: "contains(telephone1,'4%0%4%5%5%5%0%1%8%8') or contains(telephone2,'4%0%4%5%5%5%0%1%8%8')",
    }).map((row) => row.fullname);
    expect(found.sort()).toEqual(['Pat Phone', 'Vic Variant']); // 404.555.0188 and +44 404 555 0188
    expect(
      query('contacts', { $filter: "contains(mobilephone,'4%0%4%5%5%5%0%1%4%2')" }).map((row) => row.fullname),
    ).toEqual(['Quinn Quick']);
    expect(query('contacts', { $filter: "contains(telephone1,'4[0]4\\_5')" })).toEqual([]);
    expect(query('contacts', { $filter: "startswith(telephone1,'+1 4_4')" }).map((row) => row.fullname)).toEqual([
      'Jane Doe',
    ]);
    expect(query('contacts', { $filter: "endswith(mobilephone,'[^0]199')" })).toEqual([]);
    expect(query('contacts', { $filter: "endswith(mobilephone,'[5]-0199')" }).map((row) => row.fullname)).toEqual([
      'Jane Doe',
    ]);
  });

  it('follows the any lambda and a lookup of a single-valued navigation property', () => {
    const calls = query('phonecalls', {
      $filter: `_regardingobjectid_value eq ${jane.contactid} or phonecall_activity_parties/any(p:p/_partyid_value eq ${jane.contactid})`,
    });
    expect(calls.map((row) => row.subject).sort()).toEqual([
      'Inbound call: damaged speaker',
      'Outbound call: refund status',
      'Scheduled callback about the refund',
    ]);
    const notes = query('annotations', {
      $filter: `_objectid_value eq ${jane.contactid} or objectid_incident/_customerid_value eq ${jane.contactid}`,
      $orderby: 'createdon desc',
    });
    expect(notes.map((row) => row.subject)).toEqual(['Courier update', 'Warehouse call', 'Preferences']);
  });

  it('orders, then cuts to $top', () => {
    const hank = org.rows('contact').find((row) => row.fullname === 'Hank Heavy')!;
    const cases = query('incidents', {
      $filter: `_customerid_value eq ${hank.contactid}`,
      $orderby: 'createdon desc,incidentid desc',
      $top: '3',
    });
    expect(cases.map((row) => row.title)).toEqual(['Order question #60', 'Order question #59', 'Order question #58']);
  });
});
