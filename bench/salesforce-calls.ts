import type { RunningSandbox } from '../apps/crm-sandbox/src/sandbox.js';
import { SALESFORCE_SANDBOX } from '../apps/crm-sandbox/src/salesforce/fixtures.js';

/**
 * Salesforce API calls per screen pop, counted by the sandbox (what the org's daily allowance is charged), for each
 * way of finding the contact. Targets: 1 by id or email, at most 2 by phone or name.
 */
export async function printSalesforceCallsPerPop(bridgeUrl: string, sandbox: RunningSandbox): Promise<void> {
  const { acme } = SALESFORCE_SANDBOX;
  const { jane, ursula } = acme.contacts;
  const ways: [string, Record<string, unknown>, number][] = [
    ['id', { contact_external_id: jane.id }, 1],
    ['email', { contact_emails: [jane.email] }, 1],
    ['phone', { contact_phones: ['(404) 555-0188'] }, 2],
    ['name', { contact_name: ursula.name }, 2],
  ];
  const counts: string[] = [];
  for (const [way, data, target] of ways) {
    const before = sandbox.faults.received(/^\/salesforce\//).length;
    const response = await fetch(`${bridgeUrl}/salesforce/interactions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ auth: acme.auth, meta: { interaction_types: ['case', 'task', 'call', 'note'] }, data }),
    });
    const items = (await response.json()) as unknown[];
    if (response.status !== 200 || items.length === 0)
      throw new Error(`salesforce pop by ${way} answered ${response.status}`);
    const calls = sandbox.faults.received(/^\/salesforce\//).length - before;
    counts.push(`${way} ${calls} (target ≤ ${target})`);
  }
  console.log(`salesforce API calls per pop, case+task+call+note: ${counts.join(', ')}`);
}
