import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../sandbox.js';
import { DYNAMICS_SANDBOX } from './fixtures.js';
import { dynamicsSandboxOf } from './index.js';

/** The Dataverse stand-in over HTTP: auth, rows, paging, error bodies, $batch, the service protection limits. */
const { acme, globex, pageSize } = DYNAMICS_SANDBOX;
const { jane, hank } = acme.contacts;

let sandbox: RunningSandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
});
afterAll(async () => {
  await sandbox.close();
});

const root = (host = acme.host) => `${sandbox.url}/dynamics/${host}/api/data/v9.2`;
async function get(url: string, token = acme.auth.access_token) {
  const response = await fetch(url, { headers: { authorization: `Bearer ${token}`, accept: 'application/json' } });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, body: text ? JSON.parse(text) : undefined };
}
const rows = (set: string, options: Record<string, string>, host?: string) =>
  get(`${root(host)}/${set}?${new URLSearchParams(options).toString().replaceAll('+', '%20')}`);

describe('Dataverse stand-in', () => {
  it('answers 401 with a Bearer challenge and no body for a token the org did not issue, or an expired one', async () => {
    for (const token of [DYNAMICS_SANDBOX.unknownToken, acme.expiredAuth.access_token, globex.auth.access_token]) {
      const response = await get(`${root()}/WhoAmI`, token);
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toMatch(
        /^Bearer authorization_uri=https:\/\/login\.microsoftonline\.com\//,
      );
      expect(response.text).toBe('');
    }
  });

  it('answers WhoAmI, a row by id, and 404 with its error body for a row that does not exist', async () => {
    const me = await get(`${root()}/WhoAmI`);
    expect(me.body).toMatchObject({ UserId: expect.stringMatching(/^ac3e0000-/) });
    const row = await get(`${root()}/contacts(${jane.id})?$select=fullname,emailaddress1`);
    expect(row.status).toBe(200);
    expect(row.headers.get('content-type')).toMatch(/^application\/json/);
    expect(row.body).toMatchObject({ fullname: 'Jane Doe', emailaddress1: jane.email, contactid: jane.id });
    const missing = await get(`${root()}/contacts(ac3e0000-0001-4000-8000-0000000fffff)?$select=fullname`);
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({
      error: { code: '0x80040217', message: 'contact With Id = ac3e0000-0001-4000-8000-0000000fffff Does Not Exist' },
    });
  });

  it('answers pages of 20 with an @odata.nextLink that carries the query, until $top rows were given', async () => {
    const options = {
      $select: 'incidentid,title',
      $filter: `_customerid_value eq ${hank.id}`,
      $orderby: 'createdon desc,incidentid desc',
      $top: '50',
    };
    const seen: string[] = [];
    let page = await rows('incidents', options);
    for (;;) {
      expect(page.status).toBe(200);
      seen.push(...page.body.value.map((row: { incidentid: string }) => row.incidentid));
      const next = page.body['@odata.nextLink'];
      if (!next) break;
      expect(next.startsWith(`${root()}/incidents?`)).toBe(true);
      expect(page.body.value).toHaveLength(pageSize);
      page = await get(next);
    }
    expect(seen).toEqual(hank.caseIds.slice(0, 50));
  });

  it('refuses what Dataverse would refuse, with its error body', async () => {
    for (const [options, message] of [
      [{ $filter: "emailaddress1 = 'x'" }, /character '=' is not valid/],
      [{ $select: 'contactid,nosuch' }, /Could not find a property named 'nosuch'/],
      [{ $skip: '5' }, /'\$skip' is not supported/],
    ] as const) {
      const response = await rows('contacts', options as Record<string, string>);
      expect(response.status).toBe(400);
      expect(response.body.error.code).toBe('0x80060888');
      expect(response.body.error.message).toMatch(message);
    }
    const unknownSet = await rows('accountz', {});
    expect(unknownSet.status).toBe(404);
    expect(unknownSet.body.error.message).toMatch(/Resource not found for the segment 'accountz'/);
  });

  it('keeps two orgs apart', async () => {
    const response = await rows(
      'contacts',
      { $filter: `emailaddress1 eq '${jane.email}' and statecode eq 0`, $select: 'contactid' },
      globex.host,
    ).catch(() => undefined);
    expect(response?.status).toBe(401); // acme's token on globex
    const own = await get(
      `${root(globex.host)}/contacts?$filter=${encodeURIComponent(`emailaddress1 eq '${jane.email}'`)}&$select=contactid`,
      globex.auth.access_token,
    );
    expect(own.body.value.map((row: { contactid: string }) => row.contactid)).toEqual([globex.contacts.jane.id]);
  });
});

describe('$batch', () => {
  const boundary = 'batch_3f1c';
  const part = (request: string) =>
    `--${boundary}\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\n${request}\r\n\r\n`;
  async function batch(body: string, headers: Record<string, string> = {}) {
    const response = await fetch(`${root()}/$batch`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${acme.auth.access_token}`,
        'content-type': `multipart/mixed; boundary="${boundary}"`,
        ...headers,
      },
      body,
    });
    return { status: response.status, type: response.headers.get('content-type') ?? '', text: await response.text() };
  }

  it('answers each GET in order, as multipart/mixed parts, and counts as one request', async () => {
    const org = dynamicsSandboxOf(sandbox.app).org(acme.host);
    const before = org.recent.length;
    const response = await batch(
      part(`GET /api/data/v9.2/contacts(${jane.id})?$select=fullname HTTP/1.1`) +
        part(
          `GET ${sandbox.url}/dynamics/${acme.host}/api/data/v9.2/incidents?$select=title&$filter=_customerid_value%20eq%20${jane.id}&$top=1 HTTP/1.1`,
        ) +
        `--${boundary}--\r\n`,
    );
    expect(response.status).toBe(200);
    const responseBoundary = /boundary=(batchresponse_[\w-]+)/.exec(response.type)?.[1];
    expect(responseBoundary).toBeDefined();
    const parts = response.text.split(`--${responseBoundary}`).slice(1, -1);
    expect(parts).toHaveLength(2);
    expect(parts[0]).toMatch(
      /^\r\nContent-Type: application\/http\r\nContent-Transfer-Encoding: binary\r\n\r\nHTTP\/1\.1 200 OK\r\n/,
    );
    expect(JSON.parse(parts[0]!.slice(parts[0]!.indexOf('{')))).toMatchObject({ fullname: 'Jane Doe' });
    expect(JSON.parse(parts[1]!.slice(parts[1]!.indexOf('{'))).value).toHaveLength(1);
    expect(response.text.endsWith(`--${responseBoundary}--\r\n`)).toBe(true);
    expect(org.recent.length - before).toBe(1);
  });

  it('stops at the first failing part unless odata.continue-on-error is preferred', async () => {
    const body =
      part('GET /api/data/v9.2/contacts(ac3e0000-0001-4000-8000-0000000fffff) HTTP/1.1') +
      part(`GET /api/data/v9.2/contacts(${jane.id}) HTTP/1.1`) +
      `--${boundary}--\r\n`;
    const stopped = await batch(body);
    expect(stopped.status).toBe(404);
    expect(stopped.text.match(/HTTP\/1\.1 \d{3}/g)).toEqual(['HTTP/1.1 404']);
    const continued = await batch(body, { prefer: 'odata.continue-on-error' });
    expect(continued.status).toBe(200);
    expect(continued.text.match(/HTTP\/1\.1 \d{3}/g)).toEqual(['HTTP/1.1 404', 'HTTP/1.1 200']);
  });

  it('refuses GETs in a change set, foreign URLs, and more than 1,000 requests', async () => {
    const changeset =
      `--${boundary}\r\nContent-Type: multipart/mixed; boundary=changeset_1\r\n\r\n` +
      `--changeset_1\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\nGET /api/data/v9.2/WhoAmI HTTP/1.1\r\n\r\n--changeset_1--\r\n` +
      `--${boundary}--\r\n`;
    expect((await batch(changeset)).status).toBe(400);
    expect(
      (await batch(part('GET https://evil.example/api/data/v9.2/WhoAmI HTTP/1.1') + `--${boundary}--\r\n`)).status,
    ).toBe(400);
    const many = Array.from({ length: 1001 }, () => part('GET /api/data/v9.2/WhoAmI HTTP/1.1')).join('');
    const tooMany = await batch(`${many}--${boundary}--\r\n`);
    expect(tooMany.status).toBe(400);
    expect(tooMany.text).toMatch(/up to 1000 requests/);
  });
});

describe('service protection limits', () => {
  it('answers 429 with Retry-After and its error code once the user spent the window’s requests', async () => {
    const org = dynamicsSandboxOf(sandbox.app).org(globex.host);
    org.requestLimit = org.recent.length + 2;
    try {
      const call = () => get(`${root(globex.host)}/WhoAmI`, globex.auth.access_token);
      expect((await call()).status).toBe(200);
      expect((await call()).status).toBe(200);
      const refused = await call();
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(refused.body.error.code).toBe('0x80072322');
      expect(refused.body.error.message).toMatch(
        /Number of requests exceeded the limit of \d+ over time window of 300 seconds/,
      );
    } finally {
      org.requestLimit = 6_000;
    }
  });

  it('answers 429 at once beyond the concurrent requests limit', async () => {
    const org = dynamicsSandboxOf(sandbox.app).org(globex.host);
    org.inFlight += 52;
    try {
      const refused = await get(`${root(globex.host)}/WhoAmI`, globex.auth.access_token);
      expect(refused.status).toBe(429);
      expect(refused.body.error).toEqual({
        code: '0x80072326',
        message: 'Number of concurrent requests exceeded the limit of 52.',
      });
    } finally {
      org.inFlight -= 52;
    }
  });
});
