import { pathToFileURL } from 'node:url';
import type { RunningSandbox } from '../apps/crm-sandbox/src/sandbox.js';
import { FRESHDESK_SANDBOX } from '../apps/crm-sandbox/src/freshdesk/fixtures.js';
import { DYNAMICS_SANDBOX } from '../apps/crm-sandbox/src/dynamics/fixtures.js';
import { HUBSPOT_SANDBOX } from '../apps/crm-sandbox/src/hubspot/fixtures.js';
import { SALESFORCE_SANDBOX } from '../apps/crm-sandbox/src/salesforce/fixtures.js';
import { ZENDESK_SANDBOX } from '../apps/crm-sandbox/src/zendesk/fixtures.js';

/**
 * CRM API calls per screen pop, counted by the sandbox (what the customer's account is charged), for each connector
 * and each way of finding the contact, on the seeded data. `first` is the process's first pop for the tenant (by id),
 * which also fills the connector's per-token caches (HubSpot's portal and ticket pipelines); the other columns are
 * pops after it. `3 phones` is the caller's number and two that match nobody. `not found` carries an email, a phone and a name that match nobody: the whole resolution, for an
 * empty answer. Each pop's own `Server-Timing` count (`crm;desc="calls=N"`) must agree with the sandbox's.
 */
interface Pop {
  connector: 'zendesk' | 'hubspot' | 'salesforce' | 'freshdesk' | 'dynamics';
  auth: Record<string, string>;
  types: string[];
  ways: [way: string, data: Record<string, unknown>][];
}

const NOBODY = {
  contact_emails: ['nobody@nowhere.example'],
  contact_phones: ['+1 307 555 0100'],
  contact_name: 'Zed Nobody',
};

/** Numbers nobody has, beside a caller's: a caller with several numbers on file. */
const UNKNOWN_PHONES = ['+1 307 555 0101', '(307) 555-0102'];

function pops(): Pop[] {
  const zendesk = ZENDESK_SANDBOX.acme;
  const hubspot = HUBSPOT_SANDBOX.acme;
  const salesforce = SALESFORCE_SANDBOX.acme;
  const freshdesk = FRESHDESK_SANDBOX.acme;
  const dynamics = DYNAMICS_SANDBOX.acme;
  return [
    {
      connector: 'zendesk',
      auth: { subdomain: zendesk.subdomain, email: zendesk.credentials.email, token: zendesk.credentials.token },
      types: ['case', 'note', 'task'],
      ways: [
        ['id', { contact_external_id: String(zendesk.users.jane.id) }],
        ['email', { contact_emails: [zendesk.users.jane.email] }],
        ['phone', { contact_phones: [zendesk.users.kwame.phone] }],
        ['3 phones', { contact_phones: [zendesk.users.kwame.phone, ...UNKNOWN_PHONES] }],
        ['name', { contact_name: zendesk.users.uniqueName.name }],
        ['not found', NOBODY],
      ],
    },
    {
      connector: 'hubspot',
      auth: { access_token: hubspot.token },
      types: ['case', 'note', 'task', 'call'],
      ways: [
        ['id', { contact_external_id: hubspot.contacts.jane.id }],
        ['email', { contact_emails: [hubspot.contacts.jane.email] }],
        ['phone', { contact_phones: [hubspot.contacts.phoneOnly.phone] }],
        ['3 phones', { contact_phones: [hubspot.contacts.phoneOnly.phone, ...UNKNOWN_PHONES] }],
        ['name', { contact_name: `${hubspot.contacts.uniqueName.firstname} ${hubspot.contacts.uniqueName.lastname}` }],
        ['not found', NOBODY],
      ],
    },
    {
      connector: 'salesforce',
      auth: salesforce.auth,
      types: ['case', 'task', 'call', 'note'],
      ways: [
        ['id', { contact_external_id: salesforce.contacts.jane.id }],
        ['email', { contact_emails: [salesforce.contacts.jane.email] }],
        ['phone', { contact_phones: ['(404) 555-0188'] }],
        ['3 phones', { contact_phones: ['(404) 555-0188', ...UNKNOWN_PHONES] }],
        ['name', { contact_name: salesforce.contacts.ursula.name }],
        ['not found', NOBODY],
      ],
    },
    {
      connector: 'freshdesk',
      auth: freshdesk.auth,
      types: ['case', 'note', 'call'],
      ways: [
        ['id', { contact_external_id: String(freshdesk.contacts.jane.id) }],
        ['email', { contact_emails: [freshdesk.contacts.jane.email] }],
        ['phone', { contact_phones: ['+1 404 555 0132'] }],
        ['3 phones', { contact_phones: ['+1 404 555 0132', ...UNKNOWN_PHONES] }],
        ['name', { contact_name: freshdesk.contacts.uniqueName.name }],
        ['not found', NOBODY],
      ],
    },
    {
      connector: 'dynamics',
      auth: dynamics.auth,
      types: ['case', 'task', 'call', 'note'],
      ways: [
        ['id', { contact_external_id: dynamics.contacts.jane.id }],
        ['email', { contact_emails: [dynamics.contacts.jane.email] }],
        ['phone', { contact_phones: ['(404) 555-0188'] }],
        ['3 phones', { contact_phones: ['(404) 555-0188', ...UNKNOWN_PHONES] }],
        ['name', { contact_name: dynamics.contacts.ursula.name }],
        ['not found', NOBODY],
      ],
    },
  ];
}

/** One pop; the CRM calls the sandbox received for it, checked against the bridge's own Server-Timing count. */
async function countOnePop(bridgeUrl: string, sandbox: RunningSandbox, pop: Pop, way: string, data: unknown) {
  const prefix = `/${pop.connector}/`;
  const before = sandbox.faults.received(prefix).length;
  const response = await fetch(`${bridgeUrl}/${pop.connector}/interactions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ auth: pop.auth, meta: { interaction_types: pop.types }, data }),
  });
  const items = (await response.json()) as unknown[];
  const calls = sandbox.faults.received(prefix).length - before;
  const found = way !== 'not found';
  if (response.status !== 200 || (found ? items.length === 0 : items.length > 0))
    throw new Error(`${pop.connector} pop by ${way} answered ${response.status} with ${items.length} items`);
  const told = /crm;desc="calls=(\d+)"/.exec(response.headers.get('server-timing') ?? '')?.[1];
  if (Number(told) !== calls)
    throw new Error(`${pop.connector} pop by ${way}: the sandbox saw ${calls} calls, Server-Timing says ${told}`);
  return calls;
}

/** Prints the table; returns the counts, `connector` → `way` → calls. */
export async function printCallsPerPop(
  bridgeUrl: string,
  sandbox: RunningSandbox,
): Promise<Record<string, Record<string, number>>> {
  const counts: Record<string, Record<string, number>> = {};
  for (const pop of pops()) {
    const row: Record<string, number> = {};
    row.first = await countOnePop(bridgeUrl, sandbox, pop, 'id', pop.ways[0]![1]);
    for (const [way, data] of pop.ways) row[way] = await countOnePop(bridgeUrl, sandbox, pop, way, data);
    counts[pop.connector] = row;
  }
  const columns = ['first', 'id', 'email', 'phone', '3 phones', 'name', 'not found'];
  const header = ['CRM calls per pop', ...columns];
  const rows = Object.entries(counts).map(([connector, row]) => [
    `${connector} (${pops()
      .find((pop) => pop.connector === connector)!
      .types.join('+')})`,
    ...columns.map((column) => String(row[column])),
  ]);
  const widths = header.map((_, i) => Math.max(...[header, ...rows].map((cells) => cells[i]!.length)));
  for (const cells of [header, ...rows])
    console.log(cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  '));
  return counts;
}

/**
 * Calls per pop are a count, not a timing: an in-process bridge and sandbox are enough, and the CRM account is
 * charged per call whatever the machine. Run alone with `npm run bench:calls`.
 */
export async function countCallsPerPop(): Promise<void> {
  await import('reflect-metadata');
  const { INBOUND_LIMITS_OFF, loadBridgeConfig, SHARING_OFF } = await import('../apps/bridge/src/bridge-config.js');
  const { createBridgeApp } = await import('../apps/bridge/src/create-bridge-app.js');
  const { startSandbox } = await import('../apps/crm-sandbox/src/sandbox.js');
  // HubSpot's search limit off: the pops follow each other faster than its 5 searches a second allow, and this counts
  // what each pop costs, not how the bridge paces them.
  const sandbox = await startSandbox({ port: 0, hubspotSearchPerSecond: 'off' });
  const environment = { ...SHARING_OFF, ...INBOUND_LIMITS_OFF, CRM_SANDBOX: 'off', CRM_SANDBOX_URL: sandbox.url };
  const app = await createBridgeApp({ config: loadBridgeConfig(environment), environment, logger: ['error'] });
  try {
    await app.listen(0, '127.0.0.1');
    const address = app.getHttpAdapter().getInstance().server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    await printCallsPerPop(`http://127.0.0.1:${port}`, sandbox);
  } finally {
    await app.close();
    await sandbox.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  countCallsPerPop().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
