import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Socket } from 'node:net';
import { Readable } from 'node:stream';
import { FaultSyntaxError, parseFault, type Fault } from './fault.js';
import { FaultInjector } from './fault-injector.js';
import { rateLimitBody as hubspotRateLimitBody } from '../hubspot/rate-limit.js';
import { RATE_LIMITED_TEXT as ZENDESK_RATE_LIMITED_TEXT } from '../zendesk/present.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The sandbox's fault rules (see apps/crm-sandbox/src/faults). */
    faults: FaultInjector;
  }
}

/** The per-request fault: this header, or this query parameter, in the wire form (`status; code=503`). */
export const FAULT_HEADER = 'x-sandbox-fault';
export const FAULT_QUERY = '__fault';
export const FAULT_ADMIN_PATH = '/__sandbox/faults';

/** Faults that rewrite the route's real answer; applied in onSend. */
type PayloadFault = Extract<Fault, { kind: 'truncated-json' | 'corrupt-items' | 'trickle' | 'reset' }>;

/**
 * Installs fault injection on the sandbox's root instance, before the vendor plugins so that it sees every route:
 * an onRequest hook that picks the request's fault and answers for the route when the fault says so, an onSend hook
 * for the faults that rewrite the route's own answer, the admin API under `/__sandbox/faults`, and `app.faults`.
 */
export function installFaultInjection(app: FastifyInstance, injector = new FaultInjector()): FaultInjector {
  const rewrites = new WeakMap<FastifyRequest, PayloadFault>();
  /** Connections some fault is still busy with (trickles, pending resets): closed with the sandbox. */
  const busy = new Set<Socket>();
  const track = (socket: Socket) => {
    busy.add(socket);
    socket.once('close', () => busy.delete(socket));
  };

  app.decorate('faults', injector);

  app.addHook('onRequest', async (request, reply) => {
    const path = request.url.split('?', 1)[0]!;
    if (path.startsWith('/__sandbox/')) return;
    let own: Fault | undefined;
    const spec = ownFaultSpec(request);
    if (spec !== undefined) {
      try {
        own = parseFault(spec);
      } catch (error) {
        injector.pick(request.method, path);
        return reply.code(400).send({ error: 'InvalidSandboxFault', description: (error as Error).message });
      }
    }
    const fault = injector.pick(request.method, path, own);
    if (!fault) return;

    const socket = request.raw.socket;
    const delayMs = (fault.delayMs ?? 0) + (fault.kind === 'latency' ? fault.ms : 0);
    if (delayMs > 0 && !(await pause(delayMs, socket))) {
      reply.hijack(); // the client left while we waited: nothing to answer
      return reply;
    }

    switch (fault.kind) {
      case 'latency':
        return;
      case 'status':
        if (fault.headers) void reply.headers(fault.headers);
        return reply.code(fault.status).send(fault.body ?? errorBody(fault.status));
      case 'rate-limit':
        if (fault.retryAfter !== undefined) void reply.header('retry-after', String(fault.retryAfter));
        return sendRateLimited(reply, path);
      case 'hang':
        reply.hijack();
        injector.hold(socket);
        return reply;
      case 'reset':
        if (fault.afterBytes === undefined) {
          reply.hijack();
          resetConnection(socket);
          return reply;
        }
        rewrites.set(request, fault);
        return;
      case 'malformed-json':
        return reply
          .code(200)
          .type('application/json; charset=utf-8')
          .send(fault.body ?? '{"tickets":[{"id":4521,"subject":"Order #88213 arrived damaged"},,{"id":');
      case 'html':
        return reply
          .code(fault.status ?? 200)
          .type('text/html; charset=utf-8')
          .send(htmlPage(fault.status ?? 200));
      case 'oversize':
        return reply.code(200).type('application/json; charset=utf-8').send(paddedJson(fault.bytes));
      case 'redirect': {
        const location = fault.location ?? `${path}?__redirected=1`;
        return reply
          .code(fault.status ?? 302)
          .header('location', location)
          .send();
      }
      case 'truncated-json':
      case 'corrupt-items':
      case 'trickle':
        rewrites.set(request, fault);
        return;
    }
  });

  app.addHook('onSend', async (request, reply, payload) => {
    const fault = rewrites.get(request);
    if (!fault) return payload;
    rewrites.delete(request);
    const text =
      typeof payload === 'string' ? payload : Buffer.isBuffer(payload) ? payload.toString('utf8') : undefined;
    if (text === undefined) return payload;
    switch (fault.kind) {
      case 'truncated-json':
        return text.slice(0, Math.floor(text.length / 2));
      case 'corrupt-items':
        return corruptItems(text, fault.count ?? 1);
      case 'trickle': {
        const body = Buffer.from(text);
        void reply.header('content-length', String(body.length));
        track(request.raw.socket);
        return trickle(body, fault.bytes ?? 16, fault.intervalMs ?? 100);
      }
      case 'reset': {
        const body = Buffer.from(text);
        void reply.header('content-length', String(body.length));
        track(request.raw.socket);
        return cutOff(body, fault.afterBytes ?? 0, request.raw.socket);
      }
    }
  });

  // A hanging or trickling connection would keep close() waiting forever.
  app.addHook('preClose', async () => {
    injector.releaseHeld();
    for (const socket of busy) socket.destroy();
    busy.clear();
  });

  registerAdminApi(app, injector);
  return injector;
}

function ownFaultSpec(request: FastifyRequest): string | undefined {
  const header = request.headers[FAULT_HEADER];
  if (typeof header === 'string' && header.trim() !== '') return header;
  const query = (request.query as Record<string, unknown> | undefined)?.[FAULT_QUERY];
  if (typeof query === 'string' && query.trim() !== '') return query;
  if (Array.isArray(query) && typeof query[0] === 'string') return query[0];
  return undefined;
}

/** Resolves true after `ms`, or false as soon as the client closes the connection (no timer is left behind). */
function pause(ms: number, socket: Socket): Promise<boolean> {
  return new Promise((resolve) => {
    if (socket.destroyed) return resolve(false);
    const onClose = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      socket.off('close', onClose);
      resolve(true);
    }, ms);
    socket.once('close', onClose);
  });
}

/** A TCP reset where the platform allows it (the client sees ECONNRESET), else a plain close. */
function resetConnection(socket: Socket): void {
  if (typeof socket.resetAndDestroy === 'function' && !socket.destroyed) socket.resetAndDestroy();
  else socket.destroy();
}

/** The body, `bytes` bytes every `intervalMs` ms; stops (and frees its timer) when the response is destroyed. */
function trickle(body: Buffer, bytes: number, intervalMs: number): Readable {
  let offset = 0;
  let timer: NodeJS.Timeout | undefined;
  return new Readable({
    read() {
      if (timer) return;
      timer = setTimeout(() => {
        timer = undefined;
        const chunk = body.subarray(offset, offset + bytes);
        offset += chunk.length;
        if (chunk.length > 0) this.push(chunk);
        if (offset >= body.length) this.push(null);
      }, intervalMs);
    },
    destroy(error, callback) {
      clearTimeout(timer);
      callback(error);
    },
  });
}

/** The first `afterBytes` bytes of the body (announced in full by Content-Length), then a dropped connection. */
function cutOff(body: Buffer, afterBytes: number, socket: Socket): Readable {
  let sent = false;
  let timer: NodeJS.Timeout | undefined;
  return new Readable({
    read() {
      if (!sent) {
        sent = true;
        this.push(body.subarray(0, Math.min(afterBytes, Math.max(0, body.length - 1))));
        return;
      }
      // Give the bytes written so far a moment to leave, then drop the connection mid-body.
      timer ??= setTimeout(() => resetConnection(socket), 10);
    },
    destroy(error, callback) {
      clearTimeout(timer);
      callback(error);
    },
  });
}

/** The first array of the answer (e.g. `tickets`) with its first `count` items replaced by non-records. */
function corruptItems(text: string, count: number): string {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return text;
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return text;
  const record = body as Record<string, unknown>;
  const key = Object.keys(record).find((name) => Array.isArray(record[name]));
  if (key === undefined) return text;
  const items = record[key] as unknown[];
  for (let index = 0; index < Math.min(count, items.length); index++) {
    items[index] = index % 2 === 0 ? 'corrupted by the sandbox' : [null];
  }
  return JSON.stringify(record);
}

/**
 * An injected 429 in the vendor's own shape, as its real limiter answers (so a connector cannot lean on a body the
 * vendor never sends):
 * - Zendesk: `text/plain` "Number of allowed API requests per minute exceeded" (Zendesk's "Rate limits" page; its
 *   real answers always carry Retry-After, which a drill sets with `retry-after=`);
 * - HubSpot: JSON with `status`, `message`, `errorType: "RATE_LIMIT"`, `policyName` (HubSpot's "API usage
 *   guidelines and limits"), and no Retry-After, which HubSpot does not document, unless the drill asks for one.
 */
function sendRateLimited(reply: FastifyReply, path: string): FastifyReply {
  if (path.startsWith('/hubspot/')) {
    return reply
      .code(429)
      .type('application/json; charset=utf-8')
      .send(hubspotRateLimitBody('TEN_SECONDLY_ROLLING', 'sandbox-fault-rate-limit'));
  }
  return reply.code(429).type('text/plain; charset=utf-8').send(ZENDESK_RATE_LIMITED_TEXT);
}

function errorBody(status: number): object {
  return { error: ERROR_NAMES[status] ?? `HTTP${status}`, description: `HTTP ${status} injected by the sandbox` };
}

const ERROR_NAMES: Record<number, string> = {
  400: 'InvalidRequest',
  401: "Couldn't authenticate you",
  403: 'Forbidden',
  404: 'RecordNotFound',
  409: 'Conflict',
  422: 'UnprocessableEntity',
  500: 'InternalServerError',
  502: 'BadGateway',
  503: 'ServiceUnavailable',
  504: 'GatewayTimeout',
};

function htmlPage(status: number): string {
  const title = status >= 400 ? `${status} Error` : 'Down for maintenance';
  return (
    `<!DOCTYPE html>\n<html><head><title>${title}</title></head>\n` +
    `<body><h1>${title}</h1><p>We'll be back shortly. (sandbox fault)</p></body></html>\n`
  );
}

/** `{"padding":"xxx…"}`, exactly `bytes` bytes long. */
function paddedJson(bytes: number): Buffer {
  const shell = Buffer.from('{"padding":""}');
  const body = Buffer.alloc(Math.max(bytes, shell.length), 'x');
  shell.copy(body, 0, 0, 12);
  body.write('"}', body.length - 2);
  return body;
}

/** `GET/POST/DELETE /__sandbox/faults` and `DELETE /__sandbox/faults/:id`: fault rules for manual drills. */
function registerAdminApi(app: FastifyInstance, injector: FaultInjector): void {
  app.get(FAULT_ADMIN_PATH, async () => ({
    rules: injector.describe(),
    requests: injector.requests,
    hanging: injector.hanging,
  }));

  app.post(FAULT_ADMIN_PATH, async (request: FastifyRequest, reply: FastifyReply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    try {
      if (body.path !== undefined && typeof body.path !== 'string')
        throw new FaultSyntaxError('path must be a path prefix (a string)');
      if (body.pattern !== undefined && typeof body.pattern !== 'string')
        throw new FaultSyntaxError('pattern must be a regular expression (a string)');
      if (body.method !== undefined && typeof body.method !== 'string')
        throw new FaultSyntaxError('method must be a string');
      const handle = injector.add({
        method: body.method as string | undefined,
        path: typeof body.pattern === 'string' ? new RegExp(body.pattern) : (body.path as string | undefined),
        fault: parseFault(body.fault),
        times: body.times as number | undefined,
        every: body.every as number | undefined,
      });
      return reply.code(201).send(injector.describe().find((rule) => (rule as { id: number }).id === handle.id));
    } catch (error) {
      return reply.code(400).send({ error: 'InvalidSandboxFault', description: (error as Error).message });
    }
  });

  app.delete(FAULT_ADMIN_PATH, async (_request, reply) => {
    injector.clear();
    return reply.code(204).send();
  });

  app.delete<{ Params: { id: string } }>(`${FAULT_ADMIN_PATH}/:id`, async (request, reply) => {
    return injector.remove(Number(request.params.id))
      ? reply.code(204).send()
      : reply.code(404).send({ error: 'RecordNotFound', description: `no fault rule ${request.params.id}` });
  });
}
