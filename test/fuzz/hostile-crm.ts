// The hostile stand-in CRM, in a process of its own (test/support/crm-process.ts): the sandbox's Zendesk, HubSpot
// and Salesforce behind a front that rewrites their JSON answers by the current fuzz case's plan (hostile-answers.ts).
// `PUT /__hostile/plan` sets the plan (an empty body clears it). Prints `listening on <url>`.
import Fastify from 'fastify';
import { createSandbox } from '#sandbox';
import { rewriteAnswer, type HostilePlan } from './hostile-answers.js';

// The CRMs' own rate limits raised, as in the request fuzz: spent by the fuzzer in seconds, they would make most
// cases a 429.
const sandbox = await createSandbox({
  zendesk: { rateLimitPerMinute: 100_000_000 },
  hubspot: { burstLimit: 100_000_000 },
});
await sandbox.ready();

let plan: HostilePlan | undefined;
/** How many times each call was answered under the current plan, so that each answer is rewritten its own way. */
let asked = new Map<string, number>();

const front = Fastify({ bodyLimit: 1024 * 1024 });
front.removeAllContentTypeParsers();
front.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
front.put('/__hostile/plan', async (request) => {
  const text = Buffer.isBuffer(request.body) ? request.body.toString('utf8') : '';
  plan = text ? (JSON.parse(text) as HostilePlan) : undefined;
  asked = new Map();
  return { ok: true };
});
front.all('/*', async (request, reply) => {
  const answer = await sandbox.inject({
    method: request.method as 'GET',
    url: request.url,
    headers: request.headers,
    payload: Buffer.isBuffer(request.body) ? request.body : undefined,
  });
  const path = request.url.split('?', 1)[0]!;
  const occurrence = (asked.get(path) ?? 0) + 1;
  asked.set(path, occurrence);
  const json = /\bjson\b/.test(String(answer.headers['content-type'] ?? ''));
  const rewritten =
    plan && json ? rewriteAnswer(plan, `${request.method} ${path} ${occurrence}`, answer.body) : undefined;
  const headers = { ...answer.headers };
  delete headers['content-length'];
  delete headers['transfer-encoding'];
  delete headers.connection;
  return reply
    .code(answer.statusCode)
    .headers(headers)
    .send(rewritten ?? answer.rawPayload);
});

const url = await front.listen({ port: 0, host: '127.0.0.1' });
console.log(`hostile CRM listening on ${url}`);
process.once('SIGTERM', () => void front.close().then(() => process.exit(0)));
