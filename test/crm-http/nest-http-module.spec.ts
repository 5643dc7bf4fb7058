import { HttpService } from '@nestjs/axios';
import { Test, type TestingModule } from '@nestjs/testing';
import axios, { type AxiosResponse, type InternalAxiosRequestConfig } from 'axios';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CrmHttpModule } from '#crm-http';
import { Deadline, InteractionsService, type RequestContext } from '#interactions';
import { AppModule } from '../../apps/bridge/src/app.module.js';
import { loadBridgeConfig, SHARING_OFF } from '../../apps/bridge/src/bridge-config.js';
import { startBridge, type BridgeHarness } from '../support/bridge-harness.js';

/**
 * The two ways a team adapts the CRM HTTP client with Nest's own tools (docs/architecture.md, "The HTTP client
 * module"): replacing `HttpService` in a testing module, and adding axios interceptors through the module's options.
 */
const auth = { subdomain: 'acme', email: 'agent@acme.example', token: 'acme-api-token' };
const contexts: RequestContext[] = [];

function context(): RequestContext {
  const created = { requestId: 'idiom-test', connector: 'zendesk', deadline: new Deadline(5_000) };
  contexts.push(created);
  return created;
}

afterEach(() => {
  for (const created of contexts.splice(0)) created.deadline.dispose();
});

describe('HttpService replaced in a testing module', () => {
  /** What a team's stand-in answers: Zendesk's user and requested tickets, by path, and 404 for anything else. */
  const answers: Record<string, unknown> = {
    '/api/v2/users/361000000101': {
      user: { id: 361000000101, name: 'Jane Doe', role: 'end-user', email: 'jane.doe@example.com' },
    },
    '/api/v2/users/361000000101/tickets/requested': {
      tickets: [
        {
          id: 35436,
          subject: 'Printer on fire',
          description: 'It smells of toner.',
          created_at: '2026-03-02T10:00:00Z',
          status: 'open',
          priority: 'high',
          type: 'problem',
        },
      ],
      next_page: null,
    },
  };
  const sent: InternalAxiosRequestConfig[] = [];
  let module: TestingModule;

  beforeAll(async () => {
    const environment = { CRM_SANDBOX: 'off', ...SHARING_OFF };
    // An HttpService over an axios instance of the test's own, whose adapter answers without any network: axios's
    // defaults as they are (JSON parsed, non-2xx statuses refused), as a team's stand-in would have them.
    const standIn = new HttpService(
      axios.create({
        adapter: async (config): Promise<AxiosResponse> => {
          sent.push(config);
          const path = new URL(config.url!).pathname;
          const body = answers[path];
          const response = {
            status: body === undefined ? 404 : 200,
            statusText: body === undefined ? 'Not Found' : 'OK',
            headers: { 'content-type': 'application/json; charset=utf-8' },
            data: JSON.stringify(body ?? { error: 'RecordNotFound' }),
            config,
          };
          return axios.defaults.validateStatus!(response.status)
            ? response
            : Promise.reject(new axios.AxiosError('refused', 'ERR_BAD_REQUEST', config, {}, response));
        },
      }),
    );
    module = await Test.createTestingModule({
      imports: [AppModule.forRoot(loadBridgeConfig(environment), environment)],
    })
      .overrideProvider(HttpService)
      .useValue(standIn)
      .compile();
    await module.init();
  });

  afterAll(async () => {
    await module.close();
  });

  it("sends the connector's calls to the stand-in, and maps what it answers", async () => {
    const interactions = await module
      .get(InteractionsService)
      .retrieve({ auth, types: ['case'], contact: { externalId: '361000000101', emails: [], phones: [] } }, context());

    expect(interactions).toEqual([
      expect.objectContaining({ id: 'case:35436', type: 'case', subject: 'Printer on fire', status: 'open' }),
    ]);
    expect(sent.map((config) => `${config.method?.toUpperCase()} ${new URL(config.url!).pathname}`)).toEqual([
      'GET /api/v2/users/361000000101',
      'GET /api/v2/users/361000000101/tickets/requested',
    ]);
    const credential = Buffer.from(`${auth.email}/token:${auth.token}`).toString('base64');
    for (const config of sent) {
      expect(new URL(config.url!).host).toBe('acme.zendesk.com');
      expect(config.headers.get('authorization')).toBe(`Basic ${credential}`);
    }
  });

  it("reads the stand-in's refusals as the CRM's: a 404 for the user is no contact", async () => {
    sent.length = 0;
    const interactions = await module
      .get(InteractionsService)
      .retrieve({ auth, types: ['case'], contact: { externalId: '361000000999', emails: [], phones: [] } }, context());
    expect(interactions).toEqual([]);
    expect(sent).toHaveLength(1);
  });
});

describe('axios interceptors added through CrmHttpModule.forRoot', () => {
  const requests: { method: string; path: string; signature: string }[] = [];
  const responses: { status: number; signature: unknown }[] = [];
  let bridge: BridgeHarness;

  beforeAll(async () => {
    bridge = await startBridge({
      crmHttp: CrmHttpModule.forRoot({
        interceptors: {
          request: [
            {
              // A request signer, say: it sees the call as sent and adds a header of its own.
              onFulfilled: (config) => {
                const path = new URL(config.url!).pathname;
                const signature = `sig-${requests.length}`;
                requests.push({ method: config.method!.toUpperCase(), path, signature });
                config.headers.set('x-request-signature', signature);
                return config;
              },
              options: { synchronous: true },
            },
          ],
          response: [
            {
              onFulfilled: (response) => {
                responses.push({
                  status: response.status,
                  signature: response.config.headers.get('x-request-signature'),
                });
                return response;
              },
            },
          ],
        },
      }),
    });
  });

  afterAll(async () => {
    await bridge.close();
  });

  it('sees every CRM call of a screen pop, going out and coming back', async () => {
    const example = {
      auth: { subdomain: 'acme', email: 'agent@acme.example', token: 'acme-sandbox-api-token' },
      meta: { interaction_types: ['case', 'note', 'task'] },
      data: { contact_external_id: '361000000101', contact_emails: [], contact_phones: [] },
    };
    const response = await bridge.post('/zendesk/interactions', example);
    expect(response.status).toBe(200);
    expect(response.body.length).toBeGreaterThan(0);

    const crmCalls = Number(/crm;desc="calls=(\d+)"/.exec(response.headers.get('server-timing') ?? '')?.[1]);
    expect(crmCalls).toBeGreaterThan(2);
    expect(requests).toHaveLength(crmCalls);
    expect(requests.every(({ method, path }) => method === 'GET' && path.startsWith('/zendesk/acme/api/v2/'))).toBe(
      true,
    );
    expect(responses).toHaveLength(crmCalls);
    expect(responses.map(({ status }) => status)).toEqual(Array(crmCalls).fill(200));
    expect(responses.map(({ signature }) => signature).sort()).toEqual(
      requests.map(({ signature }) => signature).sort(),
    );
  });
});
