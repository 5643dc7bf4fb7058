// The Zendesk sandbox in a process of its own (test/support/crm-process.ts), Jane's tickets rewritten: each
// description and every comment's bodies are `<li ` repeated to 64 K characters. Prints `listening on <url>`.
import { startSandbox } from '#sandbox';
import { ZENDESK_SANDBOX } from '../../apps/crm-sandbox/src/zendesk/fixtures.js';
import { seedZendeskTenants } from '../../apps/crm-sandbox/src/zendesk/seed.js';

const LONG_TEXT = '<li '.repeat(16_384);

const tenants = seedZendeskTenants();
for (const { ticket, comments } of tenants.find((tenant) => tenant.subdomain === 'acme')!.threads) {
  if (ticket.requester_id !== ZENDESK_SANDBOX.acme.users.jane.id) continue;
  ticket.description = LONG_TEXT;
  for (const comment of comments) {
    comment.body = LONG_TEXT;
    comment.html_body = LONG_TEXT;
    comment.plain_body = LONG_TEXT;
  }
}
const sandbox = await startSandbox({ port: 0, zendesk: { tenants } });
console.log(`long-text zendesk listening on ${sandbox.url}`);
process.once('SIGTERM', () => void sandbox.close().then(() => process.exit(0)));
