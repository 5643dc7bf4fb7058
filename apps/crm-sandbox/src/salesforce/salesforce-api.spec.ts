import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../sandbox.js';
import { SALESFORCE_SANDBOX } from './fixtures.js';
import { salesforceSandboxOf } from './index.js';

/** The Salesforce stand-in over HTTP: auth, the daily allowance and its header, error bodies, batches, composite. */
const { acme, globex } = SALESFORCE_SANDBOX;
const { jane, hank } = acme.contacts;

let sandbox: RunningSandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
});
afterAll(async () => {
  await sandbox.close();
});

const base = (host = acme.host) => `${sandbox.url}/salesforce/${host}/services/data/v62.0`;
async function call(path: string, init: RequestInit & { token?: string; host?: string } = {}) {
  const response = await fetch(`${base(init.host)}${path}`, {
    ...init,
    headers: {
      authorization: `Bearer ${init.token ?? acme.auth.access_token}`,
      'content-type': 'application/json',
      ...init.headers,
    },
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as any }; // eslint-disable-line @typescript-eslint/no-explicit-any
}
const query = (soql: string, token?: string) => call(`/query/?q=${encodeURIComponent(soql)}`, { token });

describe('Salesforce stand-in', () => {
  it("answers a query with the org's records, its usage in Sforce-Limit-Info, and Salesforce's date format", async () => {
    const response = await query(`SELECT Id, Name, CreatedDate FROM Contact WHERE Id = '${jane.id}'`);
    expect(response.status).toBe(200);
    expect(response.headers.get('sforce-limit-info')).toMatch(/^api-usage=\d+\/100000$/);
    expect(response.body).toEqual({
      totalSize: 1,
      done: true,
      records: [
        {
          attributes: { type: 'Contact', url: `/services/data/v62.0/sobjects/Contact/${jane.id}` },
          Id: jane.id,
          Name: 'Jane Doe',
          CreatedDate: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.000\+0000$/),
        },
      ],
    });
  });

  it("refuses an unknown, expired or other org's token with 401 INVALID_SESSION_ID", async () => {
    for (const token of [SALESFORCE_SANDBOX.unknownToken, acme.expiredAuth.access_token, globex.auth.access_token]) {
      const response = await query('SELECT Id FROM Contact', token);
      expect(response.status).toBe(401);
      expect(response.body).toEqual([{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }]);
    }
  });

  it('answers 403 REQUEST_LIMIT_EXCEEDED once the daily allowance is spent', async () => {
    const org = salesforceSandboxOf(sandbox.app).org(acme.host);
    const saved = { used: org.apiUsed, limit: org.apiLimit };
    org.apiLimit = org.apiUsed + 1;
    try {
      expect((await query('SELECT Id FROM Contact LIMIT 1')).status).toBe(200);
      const spent = await query('SELECT Id FROM Contact LIMIT 1');
      expect(spent.status).toBe(403);
      expect(spent.body).toEqual([{ message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' }]);
      expect(spent.headers.get('sforce-limit-info')).toBe(`api-usage=${org.apiLimit}/${org.apiLimit}`);
    } finally {
      org.apiUsed = saved.used;
      org.apiLimit = saved.limit;
    }
  });

  it('answers MALFORMED_QUERY in an error array, and 404 for a version it does not have', async () => {
    const malformed = await query("SELECT Id FROM Contact WHERE Name = 'O'Brien'");
    expect(malformed.status).toBe(400);
    expect(malformed.body).toEqual([{ message: expect.any(String), errorCode: 'MALFORMED_QUERY' }]);
    const old = await fetch(`${sandbox.url}/salesforce/${acme.host}/services/data/v20.0/query/?q=x`, {
      headers: { authorization: `Bearer ${acme.auth.access_token}` },
    });
    expect(old.status).toBe(404);
  });

  it('answers long results in batches with a nextRecordsUrl to follow', async () => {
    const first = await query(`SELECT Id FROM Case WHERE ContactId = '${hank.id}' ORDER BY CreatedDate DESC LIMIT 50`);
    expect(first.body).toMatchObject({ totalSize: 50, done: false });
    expect(first.body.records).toHaveLength(SALESFORCE_SANDBOX.batchSize);
    const second = await call(first.body.nextRecordsUrl.replace('/services/data/v62.0', ''));
    expect(second.body.records).toHaveLength(SALESFORCE_SANDBOX.batchSize);
    const third = await call(second.body.nextRecordsUrl.replace('/services/data/v62.0', ''));
    expect(third.body).toMatchObject({ done: true });
    expect(third.body.nextRecordsUrl).toBeUndefined();
    const ids = [...first.body.records, ...second.body.records, ...third.body.records].map(
      (record: { Id: string }) => record.Id,
    );
    expect(new Set(ids).size).toBe(50);
  });

  it('runs a composite with references in one call, halting only what depends on a missing value', async () => {
    const org = salesforceSandboxOf(sandbox.app).org(acme.host);
    const usedBefore = org.apiUsed;
    const q = (soql: string) => `/services/data/v62.0/query/?q=${encodeURIComponent(soql)}`;
    const response = await call('/composite', {
      method: 'POST',
      body: JSON.stringify({
        allOrNone: false,
        compositeRequest: [
          {
            method: 'GET',
            referenceId: 'people',
            url: q("SELECT Id FROM Contact WHERE Email = 'jane.doe@example.com'"),
          },
          {
            method: 'GET',
            referenceId: 'cases',
            url: `${q('SELECT Id FROM Case WHERE ContactId = ')}'@{people.records[0].Id}'`,
          },
          { method: 'GET', referenceId: 'nobody', url: q("SELECT Id FROM Contact WHERE Email = 'nobody@example.com'") },
          {
            method: 'GET',
            referenceId: 'orphan',
            url: `${q('SELECT Id FROM Case WHERE ContactId = ')}'@{nobody.records[0].Id}'`,
          },
          {
            method: 'GET',
            referenceId: 'person',
            url: `/services/data/v62.0/sobjects/Contact/${jane.id}?fields=Id,Name`,
          },
        ],
      }),
    });
    expect(response.status).toBe(200);
    const byRef = Object.fromEntries(
      response.body.compositeResponse.map((r: { referenceId: string }) => [r.referenceId, r]),
    );
    expect(byRef.cases.httpStatusCode).toBe(200);
    expect(byRef.cases.body.records.map((r: { Id: string }) => r.Id).sort()).toEqual([...jane.caseIds].sort());
    expect(byRef.orphan).toMatchObject({ httpStatusCode: 400, body: [{ errorCode: 'PROCESSING_HALTED' }] });
    expect(byRef.person).toMatchObject({ httpStatusCode: 200, body: { Id: jane.id, Name: 'Jane Doe' } });
    expect(org.apiUsed).toBe(usedBefore + 1);
  });

  it('refuses a composite of more than 5 queries or 25 subrequests', async () => {
    const sub = (n: number) => ({
      method: 'GET',
      referenceId: `q${n}`,
      url: '/services/data/v62.0/query/?q=SELECT+Id+FROM+Contact',
    });
    const six = await call('/composite', {
      method: 'POST',
      body: JSON.stringify({ compositeRequest: [0, 1, 2, 3, 4, 5].map(sub) }),
    });
    expect(six.status).toBe(400);
    const many = Array.from({ length: 26 }, (_, n) => ({
      method: 'GET',
      referenceId: `r${n}`,
      url: `/services/data/v62.0/sobjects/Contact/${jane.id}`,
    }));
    expect(
      (await call('/composite', { method: 'POST', body: JSON.stringify({ compositeRequest: many }) })).status,
    ).toBe(400);
  });

  it('keeps the two orgs on their own hosts', async () => {
    const response = await call(
      `/query/?q=${encodeURIComponent("SELECT Id FROM Contact WHERE Email = 'jane.doe@example.com'")}`,
      {
        host: globex.host,
        token: globex.auth.access_token,
      },
    );
    expect(response.body.records.map((r: { Id: string }) => r.Id)).toEqual([globex.contacts.jane.id]);
  });
});
