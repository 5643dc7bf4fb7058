import fc from 'fast-check';

/**
 * What a hostile CRM does to its answers during one fuzz case: which calls it rewrites, and how. The fuzz suite
 * generates a plan (fast-check, so a failure shrinks to the smallest plan that shows it) and hands it to the hostile
 * stand-in (hostile-crm.ts), which rewrites the sandbox's real answers by it: the connectors' calls get answers of
 * the right shape with hostile contents, so every mapping and cleaner is reached, not only the JSON checks.
 */
export interface HostilePlan {
  /** Seeds the choices made answer by answer (which leaves are rewritten). */
  seed: number;
  /** Only answers to paths containing this are rewritten (a contact search, tickets, comments…); all when absent. */
  only?: string;
  /** What string values become. */
  text: HostileText;
  /** The share of string values rewritten (0 to 1). */
  stringRate: number;
  /**
   * Values left alone whatever the rates: none; those that find the contact and link its records (ids, emails,
   * record kinds, paging), so that the hostile text reaches the mappings and cleaners; those and the dates too.
   */
  spare: 'nothing' | 'identity' | 'identity-and-dates';
  /** The share of values given another JSON type (a number for a string, an array for an object…). */
  wrongTypeRate: number;
  /** Fields no API documents, added to every object: prototype keys, long names. */
  extraFields: number;
  /** Every non-empty array repeated to this many items. */
  arrayItems?: number;
  /** One value replaced by arrays nested this deep. */
  nestingDepth?: number;
  /** The answer padded (one long string field) to about this many bytes: near CRM_MAX_RESPONSE_BYTES and past it. */
  bodyBytes?: number;
  /** The whole body replaced: not JSON, cut short, empty, or JSON of the wrong kind. */
  raw?: RawBody;
}

export interface HostileText {
  unit: string;
  length: number;
}

export type RawBody = 'not-json' | 'truncated' | 'empty' | 'null' | 'array' | 'string' | 'bom';

/** A CRM may answer up to CRM_MAX_RESPONSE_BYTES (5 MiB by default); the fuzz also goes just past it. */
const MAX_BODY_BYTES = 5 * 1024 * 1024;
/** Rewritten strings, and repeated arrays, stop at about this many characters: past the bound, within memory. */
const MAX_REWRITE_CHARACTERS = 16 * 1024 * 1024;

/** Text that costs a careless cleaner time, dates and phone numbers that no parser should believe, odd characters. */
const UNITS = [
  '<li ',
  '<a b="',
  '<!--',
  '<script>',
  '<style>x{',
  '</',
  '<',
  '&',
  '&#x',
  '&amp',
  '&#0;',
  '&#x110000;',
  '<div>',
  '<p>',
  '<li>x',
  '\u200D',
  '\u200B',
  '\u202E',
  '\u{E0041}',
  '👨‍👩‍👧',
  '🏴',
  'e\u0301',
  '\ud800',
  '\udfff',
  '\u0000',
  '.',
  ' ',
  '\r\n',
  '\\',
  '"',
  '%',
  '${x}',
  '2026-02-30T25:61:61Z',
  '9'.repeat(20),
  '-1e308',
  '0000-00-00 00:00:00',
  '2026-10-02T14:05:00.123456789012345678901234567890+99:99',
  '+',
  '+1 (404) 555-0127 ext. ',
  'tel:;ext=',
  '__proto__',
  'constructor',
  'https://evil.example/',
  'javascript:alert(1)//',
];

/** Field sizes worth a look: small, the CRMs' documented maxima and just past them, and far past. */
const LENGTHS = [1, 17, 255, 256, 4_000, 32_000, 65_000, 65_536, 65_537, 200_000, 1_000_000];

const hostileText: fc.Arbitrary<HostileText> = fc.record({
  unit: fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...UNITS) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 8 }) },
  ),
  length: fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...LENGTHS) }, { weight: 1, arbitrary: fc.nat(70_000) }),
});

/** Undefined three times in four. */
const sometimes = <T>(arbitrary: fc.Arbitrary<T>) =>
  fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary });
/** Undefined seven times in eight: for what makes a case slow (answers of megabytes), so the run stays short. */
const seldom = <T>(arbitrary: fc.Arbitrary<T>) =>
  fc.oneof({ weight: 7, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary });

export const hostilePlan: fc.Arbitrary<HostilePlan> = fc
  .record({
    seed: fc.nat(),
    only: sometimes(
      fc.constantFrom(
        'search',
        'users',
        'identities',
        'tickets',
        'comments',
        'query',
        'composite',
        'objects',
        'account',
      ),
    ),
    text: hostileText,
    stringRate: fc.oneof(fc.constant(1), fc.double({ min: 0, max: 1, noNaN: true })),
    spare: fc.oneof(
      { weight: 1, arbitrary: fc.constant('nothing' as const) },
      { weight: 2, arbitrary: fc.constant('identity' as const) },
      { weight: 2, arbitrary: fc.constant('identity-and-dates' as const) },
    ),
    wrongTypeRate: fc.oneof(
      { weight: 3, arbitrary: fc.constant(0) },
      { weight: 1, arbitrary: fc.double({ min: 0, max: 0.5, noNaN: true }) },
    ),
    extraFields: fc.oneof(
      { weight: 3, arbitrary: fc.constant(0) },
      { weight: 1, arbitrary: fc.integer({ min: 1, max: 5 }) },
    ),
    arrayItems: sometimes(fc.constantFrom(0, 1, 101, 201, 2_001, 20_000)),
    nestingDepth: sometimes(fc.constantFrom(10, 65, 1_000, 100_000, 1_000_000)),
    bodyBytes: seldom(fc.constantFrom(MAX_BODY_BYTES - 1_024, MAX_BODY_BYTES + 1, 1_000_000)),
    raw: sometimes(fc.constantFrom<RawBody>('not-json', 'truncated', 'empty', 'null', 'array', 'string', 'bom')),
  })
  .map(
    (plan) =>
      Object.fromEntries(Object.entries(plan).filter(([, value]) => value !== undefined)) as unknown as HostilePlan,
  );

/** A small seeded generator (mulberry32): the same plan and answer give the same rewrite. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** What finds a contact and links its records, in the three CRMs' answers (HostilePlan.spare). */
const IDENTITY_KEYS = new Set([
  'id',
  'Id',
  'email',
  'Email',
  'phone',
  'Phone',
  'value',
  'user_id',
  'requester_id',
  'role',
  'type',
  'public',
  'active',
  'next_page',
  'after',
  'done',
  'nextRecordsUrl',
  'referenceId',
  'httpStatusCode',
  'WhoId',
  'ContactId',
  'ParentId',
  'LinkedEntityId',
  'ContentDocumentId',
  'IsClosed',
  'TaskSubtype',
  'portalId',
  'uiDomain',
  'hs_object_id',
  'hs_pipeline',
  'hs_pipeline_stage',
  'associations',
]);
const DATE_KEYS = new Set([
  'created_at',
  'due_at',
  'createdAt',
  'createdate',
  'hs_createdate',
  'hs_timestamp',
  'CreatedDate',
  'ActivityDate',
]);

const EXTRA_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', '', 'x'.repeat(1_000)];
const OTHER_TYPES: unknown[] = [null, 0, -1, 1e308, 2 ** 53 + 1, true, [], {}, [null], { id: null }, 'NaN', ''];
/** Stands for the deep nesting or the padding in the JSON text until they are spliced in (JSON.stringify would recurse). */
const SPLICE = '\u0000hostile-splice\u0000';

/**
 * The answer `body` (the sandbox's JSON text) as the plan rewrites it, or undefined when the plan leaves it alone.
 * `call` tells answers apart (method and path, and how many times the path was asked in this case).
 */
export function rewriteAnswer(plan: HostilePlan, call: string, body: string): string | undefined {
  if (plan.only && !call.includes(plan.only)) return undefined;
  const next = random(plan.seed ^ hash(call));
  if (plan.raw) return rawBody(plan.raw, body);
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return undefined;
  }
  const text = plan.text.unit.repeat(Math.ceil(plan.text.length / plan.text.unit.length)).slice(0, plan.text.length);
  let spliceUsed = false;
  let textLeft = MAX_REWRITE_CHARACTERS; // what the rewritten strings may add up to
  const spared = (key: string) =>
    (plan.spare !== 'nothing' && IDENTITY_KEYS.has(key)) || (plan.spare === 'identity-and-dates' && DATE_KEYS.has(key));
  const rewrite = (node: unknown): unknown => {
    if (next() < plan.wrongTypeRate) return OTHER_TYPES[Math.floor(next() * OTHER_TYPES.length)];
    if (!spliceUsed && plan.nestingDepth && next() < 0.05) {
      spliceUsed = true;
      return SPLICE;
    }
    if (typeof node === 'string') {
      if (next() >= plan.stringRate || text.length > textLeft) return node;
      textLeft -= text.length;
      return text;
    }
    if (Array.isArray(node)) {
      const items = node.map(rewrite);
      if (plan.arrayItems === undefined || items.length === 0) return items;
      const perItem = Math.max(1, size(items) / items.length);
      const count = Math.min(plan.arrayItems, Math.max(items.length, Math.floor(MAX_REWRITE_CHARACTERS / perItem)));
      return Array.from({ length: count }, (_, index) => items[index % items.length]);
    }
    if (typeof node === 'object' && node !== null) {
      const record: Record<string, unknown> = {};
      for (const [key, field] of Object.entries(node)) define(record, key, spared(key) ? field : rewrite(field));
      for (let extra = 0; extra < plan.extraFields; extra++) {
        const extraText = text.length <= textLeft ? text : '';
        textLeft -= extraText.length;
        define(record, EXTRA_KEYS[extra % EXTRA_KEYS.length]!, extra % 2 === 0 ? extraText : { nested: extraText });
      }
      return record;
    }
    return node;
  };
  const rewritten = rewrite(value);
  if (plan.nestingDepth && !spliceUsed && typeof rewritten === 'object' && rewritten !== null) {
    define(rewritten as Record<string, unknown>, 'nested', SPLICE);
  }
  if (plan.bodyBytes && typeof rewritten === 'object' && rewritten !== null && !Array.isArray(rewritten)) {
    define(rewritten as Record<string, unknown>, 'padding', `${SPLICE}padding`);
  }
  let json = JSON.stringify(rewritten);
  if (plan.nestingDepth) {
    const depth = plan.nestingDepth;
    json = json.replace(JSON.stringify(SPLICE), () => '['.repeat(depth) + ']'.repeat(depth));
  }
  if (plan.bodyBytes) {
    const room = Math.max(0, plan.bodyBytes - Buffer.byteLength(json));
    json = json.replace(`${JSON.stringify(SPLICE).slice(0, -1)}padding"`, () => `"${'x'.repeat(room)}"`);
  }
  return json;
}

/** About how many characters `node` takes as JSON. */
function size(node: unknown): number {
  if (typeof node === 'string') return node.length + 2;
  if (Array.isArray(node)) return node.reduce((sum: number, item) => sum + size(item) + 1, 2);
  if (typeof node === 'object' && node !== null) {
    return Object.entries(node).reduce((sum, [key, field]) => sum + key.length + 4 + size(field), 2);
  }
  return 8;
}

function rawBody(raw: RawBody, body: string): string {
  switch (raw) {
    case 'not-json':
      return '<html><body>Service Unavailable</body></html>';
    case 'truncated':
      return body.slice(0, Math.floor(body.length / 2));
    case 'empty':
      return '';
    case 'null':
      return 'null';
    case 'array':
      return `[${body}]`;
    case 'string':
      return JSON.stringify(body);
    case 'bom':
      return `\uFEFF${body}`;
  }
}

/** An own, enumerable property, even `__proto__` (which plain assignment would take for the prototype). */
function define(record: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
}

function hash(text: string): number {
  let result = 2166136261;
  for (let index = 0; index < text.length; index++) result = Math.imul(result ^ text.charCodeAt(index), 16777619);
  return result >>> 0;
}
