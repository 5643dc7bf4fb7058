import { describe, expect, it } from 'vitest';
import type { CrmCall, CrmHttpClient } from '#crm-http';
import {
  DEFAULT_INTERACTION_SETTINGS,
  Deadline,
  ForbiddenError,
  RateLimitedError,
  UpstreamError,
  parsePhone,
  type PhoneNumber,
} from '#interactions';
import {
  DynamicsCallProvider,
  DynamicsConnector,
  DynamicsServiceProtection,
  readDataverseRefusal,
} from '#connectors/dynamics';
import { parseFilter, type Filter } from '../../apps/crm-sandbox/src/dynamics/odata-parser.js';

/**
 * What the connector puts on the wire, with a fake HTTP client that records every call and answers from a script:
 * the exact OData text for hostile values (and the sandbox's parser reading each value back as one literal), the
 * calls of a pop by id, the pages it follows, and how it honours Dataverse's service protection answers.
 */
type Answer = (call: CrmCall) => unknown | Promise<unknown>;

const JANE = 'ac3e0000-0001-4000-8000-000000000001';
const ROOT = 'https://contoso.crm.dynamics.com/api/data/v9.2';
const empty = () => ({ value: [] });

function session(answer: Answer, options: { types?: string[]; maxConcurrent?: number } = {}) {
  const calls: CrmCall[] = [];
  const http = {
    request: async (call: CrmCall) => {
      calls.push(call);
      return answer(call);
    },
  } as unknown as CrmHttpClient;
  const config = { apiUrlTemplate: 'https://{host}', maxConcurrentRequests: options.maxConcurrent ?? 16 };
  const protection = new DynamicsServiceProtection(config);
  const connector = new DynamicsConnector(http, config, protection, DEFAULT_INTERACTION_SETTINGS);
  const api = connector.openSession(
    { org_url: 'https://contoso.crm.dynamics.com', access_token: 'eyJ0.eyJ1.sig' },
    { requestId: 'r', connector: 'dynamics', deadline: new Deadline(5_000) },
  );
  connector.planInteractions(api, { types: options.types ?? ['case', 'task', 'call', 'note'], limitPerType: 50 });
  return { connector, api, calls, protection };
}

/** Every string literal of a parsed filter, in order. */
function literals(filter: Filter): string[] {
  switch (filter.kind) {
    case 'and':
    case 'or':
      return filter.terms.flatMap(literals);
    case 'not':
      return literals(filter.term);
    case 'compare':
      return filter.value.type === 'string' ? [filter.value.value] : [];
    case 'function':
      return [filter.pattern];
    case 'lambda':
      return filter.body ? literals(filter.body) : [];
  }
}

const HOSTILE = [
  "x' or emailaddress1 ne '",
  "o'neil@example.com",
  'percent%_under[score]@example.com',
  "a'')) or ((true eq true",
  'zoë@exämple.com\nor 1 eq 1',
  '$filter=contactid@example.com&$top=5000',
];

describe('the OData text sent for hostile values', () => {
  it('email: one query, each value one literal in each email column, only active contacts', async () => {
    const { connector, api, calls } = session(empty);
    await connector.findContactsByEmail(api, HOSTILE);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.url).toBe(`${ROOT}/contacts`);
    const filter = String(calls[0]!.params!.$filter);
    expect(filter.startsWith("statecode eq 0 and (emailaddress1 eq 'x'' or emailaddress1 ne '''")).toBe(true);
    expect(literals(parseFilter(filter))).toEqual(HOSTILE.flatMap((email) => [email, email, email]));
    expect(calls[0]!.params).toMatchObject({
      $top: DEFAULT_INTERACTION_SETTINGS.maxContacts,
      $orderby: 'modifiedon desc',
    });
  });

  it('name: one literal, two rows are enough', async () => {
    const { connector, api, calls } = session(empty);
    await connector.findContactsByName(api, "  Zoë \"O'Neil\" ') or (fullname ne '  ");
    const filter = String(calls[0]!.params!.$filter);
    expect(filter).toBe(`statecode eq 0 and fullname eq 'Zoë "O''Neil" '') or (fullname ne '''`);
    expect(literals(parseFilter(filter))).toEqual([`Zoë "O'Neil" ') or (fullname ne '`]);
    expect(calls[0]!.params!.$top).toBe(2);
  });

  it('phone: one query for every number, digits joined by the % wildcard in each phone column', async () => {
    const { connector, api, calls } = session(empty);
    const numbers = ['+1 (404) 555-0127', '+44 20 7946 0000'].map((raw) => parsePhone(raw)!);
    await connector.findContactsByPhone(api, numbers);
    expect(calls).toHaveLength(1);
    const filter = String(calls[0]!.params!.$filter);
    expect(filter).toBe(
      'statecode eq 0 and (' +
        ['4%0%4%5%5%5%0%1%2%7', '2%0%7%9%4%6%0%0%0%0']
          .flatMap((pattern) =>
            ['telephone1', 'telephone2', 'telephone3', 'mobilephone'].map(
              (column) => `contains(${column},'${pattern}')`,
            ),
          )
          .join(' or ') +
        ')',
    );
    parseFilter(filter);
  });

  it('phone: keeps only rows holding the number, however spelled; a number that is not digits costs no call', async () => {
    const rows = [
      { contactid: 'a', fullname: 'Pat', telephone2: '404.555.0188' },
      { contactid: 'b', fullname: 'Vic', telephone1: '+44 404 555 0188' }, // same digits, another country
    ];
    const { connector, api, calls } = session(() => ({ value: rows }));
    const found = await connector.findContactsByPhone(api, [parsePhone('(404) 555-0188')!]);
    expect(found.map((contact) => contact.name)).toEqual(['Pat']);
    const none = await connector.findContactsByPhone(api, [
      { e164: '+1', nationalDigits: '1; drop', countryCallingCode: '1' } as PhoneNumber,
    ]);
    expect(none).toEqual([]);
    expect(calls).toHaveLength(1);
  });
});

describe('a pop by id', () => {
  it('is not a GUID: no call', async () => {
    const { connector, api, calls } = session(empty);
    for (const id of ['42', "ac3e0000-0001-4000-8000-000000000001') or (true", '../WhoAmI', '']) {
      expect(await connector.findContactById(api, id)).toBeUndefined();
    }
    expect(calls).toEqual([]);
  });

  it('sends the lookup and every planned type’s query at once, each naming the contact', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const { connector, api, calls } = session(async (call) => {
      if (call.url.includes('/contacts(')) {
        await held; // the lookup answers last: the reads must already be on the wire
        return { contactid: JANE, fullname: 'Jane Doe', emailaddress1: 'jane@example.com', statecode: 0 };
      }
      return empty();
    });
    const found = connector.findContactById(api, `{${JANE.toUpperCase()}}`);
    await new Promise((resolve) => setImmediate(resolve));
    expect(calls.map((call) => call.url.slice(ROOT.length))).toEqual([
      '/incidents',
      '/tasks',
      '/phonecalls',
      '/annotations',
      `/contacts(${JANE})`,
    ]);
    release();
    expect(await found).toEqual({ id: JANE, name: 'Jane Doe', emails: ['jane@example.com'], phones: [] });
    expect(calls.find((call) => call.url.endsWith('/phonecalls'))!.params).toEqual({
      $select: 'activityid,subject,description,actualstart,createdon,statecode,statuscode,prioritycode',
      $filter: `_regardingobjectid_value eq ${JANE} or phonecall_activity_parties/any(p:p/_partyid_value eq ${JANE})`,
      $orderby: 'createdon desc,activityid desc',
      $top: 50,
    });
    expect(calls.find((call) => call.url.endsWith('/annotations'))!.params!.$filter).toBe(
      `_objectid_value eq ${JANE} or objectid_incident/_customerid_value eq ${JANE}`,
    );
    for (const call of calls) parseFilter(String(call.params?.$filter ?? 'statecode eq 0'));
    // The providers then find their reads made: no more calls.
    await new DynamicsCallProvider().fetchInteractions(api, { id: JANE, emails: [], phones: [] }, 50);
    expect(calls).toHaveLength(5);
  });

  it('a deactivated contact, or none, is not found', async () => {
    const inactive = session(() => ({ contactid: JANE, fullname: 'Jane Doe', statecode: 1 }), { types: [] });
    expect(await inactive.connector.findContactById(inactive.api, JANE)).toBeUndefined();
  });
});

describe('pages', () => {
  const page = (ids: string[], next?: string) => ({
    value: ids.map((id) => ({ incidentid: id, title: id, createdon: '2026-10-01T00:00:00Z', statecode: 0 })),
    ...(next ? { '@odata.nextLink': next } : {}),
  });

  it('follows @odata.nextLink as it is, until the rows asked for are there', async () => {
    const { api, calls } = session((call) =>
      call.url.includes('skiptoken')
        ? page(['c', 'd'])
        : page(['a', 'b'], `${ROOT}/incidents?$select=x&$skiptoken=%3Ccookie%20pagenumber=%222%22%20/%3E`),
    );
    expect((await api.records('case', JANE, 3)).map((row) => row.incidentid)).toEqual(['a', 'b', 'c']);
    expect(calls.map((call) => call.url)).toEqual([
      `${ROOT}/incidents`,
      `${ROOT}/incidents?$select=x&$skiptoken=%3Ccookie%20pagenumber=%222%22%20/%3E`,
    ]);
    expect(calls[1]!.params).toBeUndefined();
  });

  it.each([
    'https://evil.example/api/data/v9.2/incidents?$skiptoken=1',
    'https://contoso.crm.dynamics.com.evil.example/api/data/v9.2/incidents?x',
    'https://contoso.crm.dynamics.com/api/data/v9.2/contacts?$skiptoken=1',
    'https://contoso.crm.dynamics.com/api/data/v9.1/incidents?$skiptoken=1',
    '/api/data/v9.2/incidents?$skiptoken=1',
    42,
  ])('refuses a nextLink elsewhere: %j', async (next) => {
    const { api, calls } = session(() => ({ value: [{ incidentid: 'a' }], '@odata.nextLink': next }));
    await expect(api.records('case', JANE, 50)).rejects.toThrow(UpstreamError);
    expect(calls).toHaveLength(1);
  });
});

describe('service protection', () => {
  it('after a Retry-After, the org’s next requests are refused here, without a call, until it has passed', async () => {
    const { api, calls } = session((call) => {
      call.onResponseHeaders?.({ 'retry-after': '30' });
      throw new RateLimitedError('dynamics is rate limiting the bridge (HTTP 429)', { retryAfterSeconds: 30 });
    });
    await expect(api.whoAmI()).rejects.toThrow(RateLimitedError);
    const refused = await api.records('case', JANE, 50).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(RateLimitedError);
    expect((refused as RateLimitedError).retryAfterSeconds).toBeGreaterThanOrEqual(29);
    expect(calls).toHaveLength(1);
  });

  it('keeps at most DYNAMICS_MAX_CONCURRENT_REQUESTS in flight per org', async () => {
    let inFlight = 0;
    let most = 0;
    const { api } = session(
      async () => {
        most = Math.max(most, ++inFlight);
        await new Promise((resolve) => setTimeout(resolve, 5));
        inFlight--;
        return empty();
      },
      { maxConcurrent: 2 },
    );
    await Promise.all(['case', 'task', 'call', 'note'].map((type) => api.records(type as 'case', JANE, 50)));
    expect(most).toBe(2);
  });
});

describe('refusals', () => {
  it('a 403 names the missing privilege, a credentials problem never', () => {
    const body = JSON.stringify({
      error: {
        code: '0x80040220',
        message:
          "Principal user (Id=1, type=8) is missing prvReadIncident privilege (Id=2) on OTC=112 for entity 'incident'.",
      },
    });
    const refusal = readDataverseRefusal(403, body);
    expect(refusal).toBeInstanceOf(ForbiddenError);
    expect((refusal as ForbiddenError).permission).toBe('prvReadIncident');
    expect(refusal!.message).toContain('0x80040220');
    expect(readDataverseRefusal(404, body)).toBeUndefined();
    expect(readDataverseRefusal(403, 'not json')).toBeInstanceOf(ForbiddenError);
  });
});
