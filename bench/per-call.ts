/**
 * `node dist/bench/per-call.js`: the CPU one CRM call costs inside the bridge, apart from the network, the CRM and
 * the rest of the pop, measured in-process (process.cpuUsage()) in interleaved rounds:
 * - axios's own pipeline: the CRM client's axios instance as CrmHttpModule configures it, and the same instance with
 *   axios's global defaults left in, each sending a call as the client builds it to a stand-in transport that answers
 *   at once with the sandbox's headers;
 * - CrmHttpClient.request (deadline, bulkhead, breaker, retry loop, metrics, reading the answer) over a stand-in
 *   HttpService, ten calls a request; with BENCH_AGAINST_DIST=<other checkout>/dist, the same for that build's client,
 *   to compare two versions of the client (how the retry loop was compared with cockatiel's retry policy).
 */
import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import axios, { type AxiosInstance } from 'axios';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { configureCrmAxios, crmAxiosDefaults } from '../libs/crm-http/src/crm-axios.js';
import { DEFAULT_CRM_HTTP_SETTINGS } from '../libs/crm-http/src/crm-http-settings.js';
import type { CrmAnswer, UndiciTransport } from '../libs/crm-http/src/undici-transport.js';

const CALLS = Number(process.env.BENCH_CALLS ?? 20_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 8);
Logger.overrideLogger(false);

/** Runs each workload `CALLS` times per round, after one warm-up round; CPU µs per call for each. */
async function perCall(workloads: Record<string, () => Promise<unknown>>): Promise<void> {
  const cpuUs: Record<string, number> = {};
  for (const name of Object.keys(workloads)) cpuUs[name] = 0;
  for (let round = -1; round < ROUNDS; round++) {
    for (const [name, work] of Object.entries(workloads)) {
      const before = process.cpuUsage();
      for (let i = 0; i < CALLS; i++) await work();
      const used = process.cpuUsage(before);
      if (round >= 0) cpuUs[name]! += used.user + used.system;
    }
  }
  for (const [name, us] of Object.entries(cpuUs)) console.log(`  ${name}: ${(us / (ROUNDS * CALLS)).toFixed(1)} µs`);
}

/** What the sandbox answers a Zendesk read with, headers included, as undici hands them over. */
const answer = (): CrmAnswer => ({
  status: 200,
  headers: {
    'content-type': 'application/json; charset=utf-8',
    'content-length': '1536',
    date: 'Mon, 02 Mar 2026 10:00:00 GMT',
    connection: 'keep-alive',
    'keep-alive': 'timeout=72',
  },
  text: '{"comments":[]}',
});
const transport = { send: async () => answer() } as unknown as UndiciTransport;
const defaults = crmAxiosDefaults(transport, DEFAULT_CRM_HTTP_SETTINGS);
const url = 'http://127.0.0.1:4010/zendesk/acme/api/v2/tickets/35436/comments?sort_order=desc&per_page=50';
const authorization = 'Basic YWdlbnRAYWNtZS5leGFtcGxlL3Rva2VuOnNlY3JldA==';
const notAborted = { aborted: false };
const send = (instance: AxiosInstance) => () =>
  instance.request({ method: 'GET', url, headers: { accept: 'application/json', authorization }, signal: notAborted });

console.log('axios per CRM call, CPU:');
await perCall({
  'as CrmHttpModule configures it': send(configureCrmAxios(axios.create(), defaults)),
  "with axios's global defaults left in": send(axios.create(defaults)),
});

/** One build's CrmHttpClient over a stand-in HttpService: ten calls per request, as a pop by id makes. */
async function clientWorkload(dist: string): Promise<() => Promise<unknown>> {
  const from = (path: string) => import(pathToFileURL(resolve(dist, path)).href);
  const { CrmHttpClient } = await from('libs/crm-http/src/crm-http.client.js');
  const { BridgeMetrics, Deadline } = await from('libs/interactions/src/index.js');
  const http = { axiosRef: { request: async () => ({ ...answer(), data: '{"comments":[]}' }) } };
  const client = new CrmHttpClient(http, new BridgeMetrics(), DEFAULT_CRM_HTTP_SETTINGS);
  const call = { method: 'GET', url, authorization, read: true };
  let context = { requestId: 'bench', connector: 'zendesk', deadline: new Deadline(60_000) };
  let made = 0;
  return async () => {
    if (made++ % 10 === 0) {
      context.deadline.dispose();
      context = { requestId: 'bench', connector: 'zendesk', deadline: new Deadline(60_000) };
    }
    return client.request(call, context);
  };
}

console.log('CrmHttpClient.request per CRM call, CPU (axios excluded):');
const builds: Record<string, () => Promise<unknown>> = {
  'this build': await clientWorkload(resolve(import.meta.dirname, '..')),
};
if (process.env.BENCH_AGAINST_DIST) {
  builds[process.env.BENCH_AGAINST_DIST] = await clientWorkload(process.env.BENCH_AGAINST_DIST);
}
await perCall(builds);
process.exit(0);
