/**
 * The ways the sandbox CRM can be told to misbehave, for fault drills. Every fault may wait `delayMs` first.
 *
 * In code they are objects (`{ kind: 'status', status: 503 }`); on the wire (the `x-sandbox-fault` header, the
 * `__fault` query parameter, or the admin API) they are written `kind; param=value; …`, e.g.
 * `status; code=503`, `rate-limit; retry-after=2`, `latency; ms=300`, `trickle; bytes=8; interval-ms=50`.
 * See docs/fault-drills.md for the full list and what Talkdesk sees for each.
 */
export type Fault =
  /** Wait, then answer normally. `latency; ms=300` */
  | { kind: 'latency'; ms: number; delayMs?: number }
  /** Answer this status with a vendor-like JSON error body (or `body`). `status; code=503`, or just `503` */
  | { kind: 'status'; status: number; headers?: Record<string, string>; body?: unknown; delayMs?: number }
  /** 429 with `Retry-After` (delta-seconds, or a string sent as-is such as an HTTP date; none when undefined). */
  | { kind: 'rate-limit'; retryAfter?: number | string; delayMs?: number }
  /** Never answer; the socket stays open until the client gives up (or the sandbox closes). `hang` */
  | { kind: 'hang'; delayMs?: number }
  /**
   * Drop the connection: at once (TCP reset, before any byte of the answer), or after `afterBytes` bytes of the
   * route's real body have been sent with the full Content-Length. `reset`, `reset; after-bytes=20`
   */
  | { kind: 'reset'; afterBytes?: number; delayMs?: number }
  /** The route's real JSON answer, cut in half, as a complete 200 `application/json` message. `truncated-json` */
  | { kind: 'truncated-json'; delayMs?: number }
  /** A 200 `application/json` answer that is not JSON at all (or `body`). `malformed-json` */
  | { kind: 'malformed-json'; body?: string; delayMs?: number }
  /** An HTML error page, as a proxy or a maintenance screen serves it (status 200 unless given). `html; status=502` */
  | { kind: 'html'; status?: number; delayMs?: number }
  /** The route's real answer, `bytes` bytes every `intervalMs` ms (defaults 16 and 100). `trickle` */
  | { kind: 'trickle'; bytes?: number; intervalMs?: number; delayMs?: number }
  /** A valid JSON answer of `bytes` bytes, to test response-size limits. `oversize; bytes=1048576` */
  | { kind: 'oversize'; bytes: number; delayMs?: number }
  /**
   * The route's real JSON answer with the first `count` items of its first array (e.g. `tickets`) replaced by
   * values that are not records. `corrupt-items; count=1`
   */
  | { kind: 'corrupt-items'; count?: number; delayMs?: number }
  /** A redirect (302 unless given) to `location` (by default the same path with `__redirected=1`). `redirect` */
  | { kind: 'redirect'; status?: number; location?: string; delayMs?: number };

export type FaultKind = Fault['kind'];

export const FAULT_KINDS: readonly FaultKind[] = [
  'latency',
  'status',
  'rate-limit',
  'hang',
  'reset',
  'truncated-json',
  'malformed-json',
  'html',
  'trickle',
  'oversize',
  'corrupt-items',
  'redirect',
];

export class FaultSyntaxError extends Error {
  override name = 'FaultSyntaxError';
}

/**
 * A fault from its wire form (`status; code=503; delay-ms=100`) or from a JSON object shaped like `Fault`.
 * Throws FaultSyntaxError naming what is wrong.
 */
export function parseFault(input: unknown): Fault {
  if (typeof input === 'string') return parseFaultSpec(input);
  if (typeof input === 'object' && input !== null && !Array.isArray(input))
    return checkFault(input as Record<string, unknown>);
  throw new FaultSyntaxError(
    'a fault is a string such as "status; code=503" or an object such as {"kind":"status","status":503}',
  );
}

/** `kind; param=value; …` (parameters in kebab-case), or a bare status code such as `503`. */
export function parseFaultSpec(spec: string): Fault {
  const [head = '', ...rest] = spec.split(';').map((part) => part.trim());
  if (/^\d{3}$/.test(head) && rest.length === 0) return checkFault({ kind: 'status', status: Number(head) });
  const fields: Record<string, unknown> = { kind: head.toLowerCase() };
  for (const part of rest) {
    if (part === '') continue;
    const equals = part.indexOf('=');
    if (equals <= 0) throw new FaultSyntaxError(`"${part}" is not param=value in fault "${spec}"`);
    const name = part.slice(0, equals).trim().toLowerCase();
    const value = part.slice(equals + 1).trim();
    const key = PARAM_ALIASES[name] ?? camelCase(name);
    fields[key] = value;
  }
  return checkFault(fields, true);
}

/** The wire form of a fault, the inverse of parseFaultSpec (for listings and docs). */
export function formatFault(fault: Fault): string {
  const params = Object.entries(fault)
    .filter(([key, value]) => key !== 'kind' && value !== undefined && typeof value !== 'object')
    .map(([key, value]) => `${key === 'status' && fault.kind === 'status' ? 'code' : kebabCase(key)}=${String(value)}`);
  return [fault.kind, ...params].join('; ');
}

const PARAM_ALIASES: Record<string, string> = { code: 'status', 'retry-after': 'retryAfter' };

function camelCase(name: string): string {
  return name.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());
}

function kebabCase(name: string): string {
  return name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
}

/** Checks a fault's fields; `fromText` converts numeric strings (the wire form has only strings). */
function checkFault(fields: Record<string, unknown>, fromText = false): Fault {
  const kind = fields.kind;
  if (typeof kind !== 'string' || !(FAULT_KINDS as readonly string[]).includes(kind)) {
    throw new FaultSyntaxError(`unknown fault kind ${JSON.stringify(kind)}; known: ${FAULT_KINDS.join(', ')}`);
  }
  const allowed = new Set(['kind', 'delayMs', ...PARAMS[kind as FaultKind]]);
  for (const key of Object.keys(fields)) {
    if (!allowed.has(key)) throw new FaultSyntaxError(`fault "${kind}" takes no parameter "${kebabCase(key)}"`);
  }
  const integer = (key: string, { min = 0, max = Number.MAX_SAFE_INTEGER, required = false } = {}) => {
    const raw = fields[key];
    if (raw === undefined) {
      if (required) throw new FaultSyntaxError(`fault "${kind}" needs ${kebabCase(key)}`);
      return undefined;
    }
    const value = fromText && typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : raw;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      throw new FaultSyntaxError(`fault "${kind}": ${kebabCase(key)} must be an integer in [${min}, ${max}]`);
    }
    return value;
  };
  const text = (key: string) => {
    const value = fields[key];
    if (value !== undefined && typeof value !== 'string')
      throw new FaultSyntaxError(`fault "${kind}": ${kebabCase(key)} must be a string`);
    return value;
  };
  const delayMs = integer('delayMs', { max: 600_000 });
  const base = delayMs === undefined ? {} : { delayMs };
  switch (kind as FaultKind) {
    case 'latency':
      return { kind: 'latency', ms: integer('ms', { max: 600_000, required: true })!, ...base };
    case 'status': {
      const headers = fields.headers;
      if (
        headers !== undefined &&
        (typeof headers !== 'object' || headers === null || Object.values(headers).some((v) => typeof v !== 'string'))
      ) {
        throw new FaultSyntaxError('fault "status": headers must be an object of strings');
      }
      return {
        kind: 'status',
        status: integer('status', { min: 100, max: 599, required: true })!,
        ...(headers === undefined ? {} : { headers: headers as Record<string, string> }),
        ...(fields.body === undefined ? {} : { body: fields.body }),
        ...base,
      };
    }
    case 'rate-limit': {
      const raw = fields.retryAfter;
      let retryAfter: number | string | undefined;
      if (typeof raw === 'number') retryAfter = integer('retryAfter')!;
      else if (typeof raw === 'string') retryAfter = /^\d+$/.test(raw.trim()) ? Number(raw.trim()) : raw;
      else if (raw !== undefined)
        throw new FaultSyntaxError('fault "rate-limit": retry-after must be seconds or an HTTP date');
      return { kind: 'rate-limit', ...(retryAfter === undefined ? {} : { retryAfter }), ...base };
    }
    case 'hang':
      return { kind: 'hang', ...base };
    case 'reset': {
      const afterBytes = integer('afterBytes');
      return { kind: 'reset', ...(afterBytes === undefined ? {} : { afterBytes }), ...base };
    }
    case 'truncated-json':
      return { kind: 'truncated-json', ...base };
    case 'malformed-json': {
      const body = text('body');
      return { kind: 'malformed-json', ...(body === undefined ? {} : { body }), ...base };
    }
    case 'html': {
      const status = integer('status', { min: 100, max: 599 });
      return { kind: 'html', ...(status === undefined ? {} : { status }), ...base };
    }
    case 'trickle': {
      const bytes = integer('bytes', { min: 1 });
      const intervalMs = integer('intervalMs', { min: 1, max: 60_000 });
      return {
        kind: 'trickle',
        ...(bytes === undefined ? {} : { bytes }),
        ...(intervalMs === undefined ? {} : { intervalMs }),
        ...base,
      };
    }
    case 'oversize':
      return {
        kind: 'oversize',
        bytes: integer('bytes', { min: 16, max: 256 * 1024 * 1024, required: true })!,
        ...base,
      };
    case 'corrupt-items': {
      const count = integer('count', { min: 1 });
      return { kind: 'corrupt-items', ...(count === undefined ? {} : { count }), ...base };
    }
    case 'redirect': {
      const status = integer('status', { min: 300, max: 399 });
      const location = text('location');
      return {
        kind: 'redirect',
        ...(status === undefined ? {} : { status }),
        ...(location === undefined ? {} : { location }),
        ...base,
      };
    }
  }
}

const PARAMS: Record<FaultKind, string[]> = {
  latency: ['ms'],
  status: ['status', 'headers', 'body'],
  'rate-limit': ['retryAfter'],
  hang: [],
  reset: ['afterBytes'],
  'truncated-json': [],
  'malformed-json': ['body'],
  html: ['status'],
  trickle: ['bytes', 'intervalMs'],
  oversize: ['bytes'],
  'corrupt-items': ['count'],
  redirect: ['status', 'location'],
};
