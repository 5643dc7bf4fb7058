import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateHubspotPopulation, populationContactId, populationToken } from './hubspot/population.js';
import { startSandbox, type RunningSandbox } from './sandbox.js';
import { generateZendeskPopulation, populationCredentials, populationUserId } from './zendesk/population.js';
import { seedZendeskTenants } from './zendesk/seed.js';
import { seedHubspotPortals } from './hubspot/seed.js';

const zendesk = generateZendeskPopulation({ seed: 7, size: 300, rateLimitPerMinute: 5 });
const hubspot = generateHubspotPopulation({ seed: 7, size: 300 });

describe('generated populations', () => {
  it('are deterministic: the same seed gives the same data, another seed other data', () => {
    expect(JSON.stringify(generateZendeskPopulation({ seed: 7, size: 300, rateLimitPerMinute: 5 }))).toBe(
      JSON.stringify(zendesk),
    );
    expect(JSON.stringify(generateHubspotPopulation({ seed: 7, size: 300 }))).toBe(JSON.stringify(hubspot));
    expect(generateZendeskPopulation({ seed: 8, size: 300 }).threads).not.toEqual(zendesk.threads);
    expect(generateHubspotPopulation({ seed: 8, size: 300 }).objects.tickets).not.toEqual(hubspot.objects.tickets);
  });

  it('give every customer a unique phone, most a unique email, and 0 to maxTickets tickets', () => {
    const endUsers = zendesk.users.filter((user) => user.role === 'end-user');
    expect(endUsers).toHaveLength(300);
    const digits = endUsers.map((user) => user.phone!.replace(/\D/g, '').slice(-10));
    expect(new Set(digits).size).toBe(300);
    const emails = endUsers.flatMap((user) => user.email ?? []);
    expect(new Set(emails).size).toBe(emails.length);
    expect(emails.length).toBeGreaterThan(240);
    const counts = endUsers.map((user) => zendesk.threads.filter((t) => t.ticket.requester_id === user.id).length);
    expect(Math.min(...counts)).toBe(0);
    expect(Math.max(...counts)).toBe(12);
    expect(zendesk.threads.some((thread) => thread.ticket.type === 'task')).toBe(true);
    expect(zendesk.threads.some((thread) => thread.comments.some((comment) => !comment.public))).toBe(true);
    expect(hubspot.objects.contacts).toHaveLength(300);
    for (const type of ['tickets', 'notes', 'tasks', 'calls'] as const)
      expect(hubspot.objects[type].length, type).toBeGreaterThan(100);
  });

  it('leave the seeded accounts as they are', () => {
    expect(seedZendeskTenants().map((tenant) => tenant.subdomain)).toEqual(['acme', 'globex']);
    expect(seedHubspotPortals().map((portal) => portal.key)).toEqual(['acme', 'globex']);
  });
});

describe('sandbox serving populations', () => {
  let sandbox: RunningSandbox;
  const now = { ms: Date.parse('2026-10-01T12:00:10Z') };

  beforeAll(async () => {
    sandbox = await startSandbox({
      port: 0,
      zendesk: { tenants: [...seedZendeskTenants(), zendesk], now: () => now.ms },
      hubspot: { portals: [hubspot], burstLimit: 2 },
      hubspotSearchPerSecond: 'off',
    });
  });

  afterAll(async () => {
    await sandbox?.close();
  });

  const zendeskGet = (subdomain: string, path: string, authorization: string) =>
    fetch(`${sandbox.url}/zendesk/${subdomain}/api/v2/${path}`, { headers: { authorization } });
  const basic = (email: string, token: string) => `Basic ${Buffer.from(`${email}/token:${token}`).toString('base64')}`;

  it('limits each Zendesk account by its own plan, and counts its requests and 429s', async () => {
    const credentials = populationCredentials('peak');
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      const response = await zendeskGet(
        'peak',
        `users/${populationUserId(i)}.json`,
        basic(credentials.email, credentials.token),
      );
      statuses.push(response.status);
      if (i === 0) expect(response.headers.get('x-rate-limit')).toBe('5');
    }
    // The other integrations' OAuth token spends the same account's minute.
    const other = await zendeskGet('peak', 'users/me.json', `Bearer ${credentials.accessToken}`);
    expect([...statuses, other.status]).toEqual([200, 200, 200, 200, 200, 429, 429]);
    // acme keeps the sandbox's 700.
    const acme = await zendeskGet('acme', 'users/me.json', basic('agent@acme.example', 'acme-sandbox-api-token'));
    expect(acme.headers.get('x-rate-limit')).toBe('700');
    expect(sandbox.usage.of('zendesk/peak')).toEqual({ requests: 7, tooManyRequests: 2 });
    expect(sandbox.usage.of('zendesk/acme')).toEqual({ requests: 1, tooManyRequests: 0 });
    expect(sandbox.usage.of('zendesk/nobody')).toEqual({ requests: 0, tooManyRequests: 0 });
  });

  it('lets HubSpot portals have other private apps, each with its own 10-second budget', async () => {
    const contact = (token: string) =>
      fetch(`${sandbox.url}/hubspot/crm/v3/objects/contacts/${populationContactId(3)}`, {
        headers: { authorization: `Bearer ${token}` },
      });
    const bridgeApp = [await contact(populationToken('peak')), await contact(populationToken('peak'))];
    const otherApp = await contact(populationToken('peak', 1));
    expect([...bridgeApp, otherApp].map((response) => response.status)).toEqual([200, 200, 200]);
    expect((await contact(populationToken('peak'))).status).toBe(429);
    expect(sandbox.usage.of('hubspot/peak')).toEqual({ requests: 4, tooManyRequests: 1 });
  });
});
