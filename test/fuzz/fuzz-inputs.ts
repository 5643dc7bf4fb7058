import fc from 'fast-check';
import { FRESHDESK_SANDBOX } from '../../apps/crm-sandbox/src/freshdesk/fixtures.js';
import { DYNAMICS_SANDBOX } from '../../apps/crm-sandbox/src/dynamics/fixtures.js';
import { HUBSPOT_SANDBOX } from '../../apps/crm-sandbox/src/hubspot/fixtures.js';
import { SALESFORCE_SANDBOX } from '../../apps/crm-sandbox/src/salesforce/fixtures.js';
import { ZENDESK_SANDBOX } from '../../apps/crm-sandbox/src/zendesk/fixtures.js';

/**
 * Generated requests for the fuzz suite: valid ones (a sandbox tenant's credentials, a known contact), near-valid ones
 * (one field missing, mistyped or mangled) and hostile ones (unicode edge cases, lone surrogates, huge and deep
 * values, prototype keys, wrong types, raw bytes). Every credential a request carries is listed in `secrets`, so the
 * property can look for it in the answer and the log lines.
 */
export interface FuzzInput {
  connector: string;
  route: 'interactions' | 'auth/validate';
  /** A JSON value (serialised as is), a ready JSON text, or raw bytes. */
  body: { json: unknown } | { text: string } | { bytes: Uint8Array };
  contentType: string;
  /** The tenant's valid request, to ask afterwards: it must still be answered. */
  tenant: Tenant;
  /** Credentials in this request (and the tenant's own), that must never be echoed or logged. */
  secrets: string[];
  /**
   * The client address it comes from (X-Forwarded-For, believed from loopback): one fixed address at times, whose
   * guesses run into the lockout, else a fresh one, so that the lockout does not turn every later case into a 401.
   */
  from: string;
}

export interface Tenant {
  connector: 'zendesk' | 'hubspot' | 'salesforce' | 'freshdesk' | 'dynamics';
  auth: Record<string, string>;
  email: string;
}

const zendesk = ZENDESK_SANDBOX.acme;
const hubspot = HUBSPOT_SANDBOX.acme;
const salesforce = SALESFORCE_SANDBOX.acme;
const freshdesk = FRESHDESK_SANDBOX.acme;
const dynamics = DYNAMICS_SANDBOX.acme;

export const TENANTS: Tenant[] = [
  {
    connector: 'zendesk',
    auth: { subdomain: zendesk.subdomain, email: zendesk.credentials.email, token: zendesk.credentials.token },
    email: zendesk.users.jane.email!,
  },
  { connector: 'hubspot', auth: { access_token: hubspot.token }, email: hubspot.contacts.jane.email! },
  { connector: 'salesforce', auth: { ...salesforce.auth }, email: salesforce.contacts.jane.email! },
  { connector: 'freshdesk', auth: { ...freshdesk.auth }, email: freshdesk.contacts.jane.email! },
  { connector: 'dynamics', auth: { ...dynamics.auth }, email: dynamics.contacts.jane.email! },
];

/** The values of the fields that hold secrets (a subdomain or an email is not one, and may be logged). */
function secretsIn(auth: Record<string, string>): string[] {
  return Object.entries(auth)
    .filter(([field]) => /token|password|secret|api_key/.test(field))
    .map(([, value]) => value);
}

/** Every credential of the sandbox tenants: none may ever appear in an answer or a log line. */
export const KNOWN_SECRETS = TENANTS.flatMap((tenant) => secretsIn(tenant.auth));

export const validRequest = (tenant: Tenant, types = ['case', 'note', 'task']) => ({
  auth: tenant.auth,
  meta: { interaction_types: types },
  data: { contact_emails: [tenant.email] },
});

/** A guessed credential: long and marked, so that finding it in an answer or a log is never a coincidence. */
const guessedSecret = fc.stringMatching(/^[A-Za-z0-9]{16,24}$/).map((text) => `fz-guess-${text}`);

/** Strings a CRM, a parser or a logger might choke on. */
const nastyString = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }), // lone surrogates and every code point
  fc.constantFrom(
    '',
    ' ',
    '\u0000',
    '\ud800',
    '\udfff',
    '\ud83d',
    '\u200b\u200d\ufeff',
    '\u202e',
    'A\u030a',
    '💩'.repeat(50),
    '*',
    '"',
    '\\',
    '../../etc/passwd',
    '%00',
    '${jndi:ldap://x}',
    "' OR 1=1 --",
    'role:agent',
    'FIND {x} IN ALL FIELDS',
    '<script>alert(1)</script>',
    'http://169.254.169.254/latest/meta-data/',
    'acme.zendesk.com@evil.example',
    'evil.example#',
    'a\r\nX-Injected: 1',
    '__proto__',
    'constructor',
  ),
  fc.nat({ max: 2_000 }).map((length) => 'x'.repeat(length)),
);

const anyValue: fc.Arbitrary<unknown> = fc.oneof(
  nastyString,
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(nastyString, { maxLength: 5 }),
  fc.dictionary(nastyString, nastyString, { maxKeys: 3 }),
  fc.jsonValue({ maxDepth: 4 }),
);

const email = fc.oneof(fc.emailAddress(), nastyString);
const phone = fc.oneof(
  fc.constantFrom('+15555555555', '(404) 555-0127', '4045550127', '+44 20 7946 0958', '+1', '0', '++++'),
  nastyString,
);

const tenant = fc.constantFrom(...TENANTS);

/**
 * What a header or a URL cannot carry, or what tries to make a second header of one: line breaks and a header after
 * them, NUL and other control characters, non-Latin-1 and astral characters, lone surrogates, spaces, and lengths no
 * token has.
 */
const hostileFragment = fc.oneof(
  fc.constantFrom(
    '\r\n',
    '\r\nX-Injected: 1',
    '\nX-Injected: 1',
    '\r',
    '\u0000',
    '\u0007',
    '\u007f',
    '\u0085',
    '\u2028',
    '\u0101',
    'é',
    '💩',
    '\ud800',
    '\udfff',
    ' ',
    '\t',
    '%0d%0aX-Injected:%201',
  ),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 8 }),
  fc.integer({ min: 4_097, max: 90_000 }).map((length) => 'x'.repeat(length)),
);

/**
 * A tenant's valid `auth` with one value made hostile: a secret (its text two marked guesses around the fragment, so
 * that finding either half in an answer or a log is never a coincidence) beside the tenant's valid account, or an
 * account field (subdomain, email, instance_url) beside the tenant's valid secret.
 */
const hostileCredentials = (chosen: Tenant) => {
  const secretFields = Object.keys(chosen.auth).filter((field) => secretsIn({ [field]: 'x' }).length > 0);
  const accountFields = Object.keys(chosen.auth).filter((field) => !secretFields.includes(field));
  const hostileSecret = fc
    .tuple(fc.constantFrom(...secretFields), guessedSecret, hostileFragment, guessedSecret)
    .map(([field, before, fragment, after]) => ({
      auth: { ...chosen.auth, [field]: `${before}${fragment}${after}` } as unknown,
      guessed: [before, after],
    }));
  if (accountFields.length === 0) return hostileSecret;
  const hostileAccount = fc
    .tuple(fc.constantFrom(...accountFields), hostileFragment, fc.nat())
    .map(([field, fragment, at]) => {
      const valid = chosen.auth[field]!;
      const cut = at % (valid.length + 1);
      return {
        auth: { ...chosen.auth, [field]: valid.slice(0, cut) + fragment + valid.slice(cut) } as unknown,
        guessed: [],
      };
    });
  return fc.oneof(hostileSecret, hostileAccount);
};

/** A tenant's own credentials, one of them guessed or made hostile, or junk in place of the whole `auth`. */
const authFor = (chosen: Tenant) =>
  fc.oneof(
    { weight: 4, arbitrary: fc.constant({ auth: chosen.auth as unknown, guessed: [] as string[] }) },
    { weight: 2, arbitrary: hostileCredentials(chosen) },
    fc.tuple(fc.constantFrom(...Object.keys(chosen.auth)), guessedSecret).map(([field, guess]) => ({
      auth: { ...chosen.auth, [field]: guess } as unknown,
      guessed: secretsIn({ [field]: guess }),
    })),
    fc
      .dictionary(
        fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('token', 'access_token', 'bridge_caller_secret')),
        guessedSecret,
        { maxKeys: 4 },
      )
      .map((auth) => ({ auth: auth as unknown, guessed: secretsIn(auth) })),
    anyValue.map((auth) => ({ auth, guessed: [] as string[] })),
  );

const data = fc.record(
  {
    contact_external_id: fc.oneof(fc.stringMatching(/^[0-9A-Za-z]{1,18}$/), anyValue),
    contact_name: fc.oneof(fc.constantFrom('Jane Doe', 'John Smith'), anyValue),
    contact_emails: fc.oneof(fc.array(email, { maxLength: 12 }), anyValue),
    contact_phones: fc.oneof(fc.array(phone, { maxLength: 12 }), anyValue),
  },
  { requiredKeys: [] },
);

const types = fc.oneof(
  { weight: 3, arbitrary: fc.subarray(['case', 'note', 'task', 'call']) },
  {
    weight: 1,
    arbitrary: fc.array(fc.oneof(fc.constantFrom('case', 'note', 'task', 'call', 'CASE', ''), nastyString), {
      maxLength: 8,
    }),
  },
  { weight: 1, arbitrary: anyValue },
);

/** Keys that poison a careless merge; JSON.parse makes them own properties, and JSON.stringify writes them back. */
const prototypeKeys = fc
  .constantFrom(
    '{"__proto__":{"polluted":true,"interaction_types":["case"]}}',
    '{"constructor":{"prototype":{"polluted":true}}}',
    '{"prototype":{"polluted":true}}',
    '{"__proto__":{"auth":{"token":"x"}}}',
  )
  .map((text) => JSON.parse(text) as Record<string, unknown>);

const deep = fc.integer({ min: 1, max: 3_000 }).map((depth) => '['.repeat(depth) + ']'.repeat(depth));

/** Undefined four times in five. */
const sometimes = <T>(arbitrary: fc.Arbitrary<T>) =>
  fc.oneof({ weight: 4, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary });

/** A valid body, sometimes changed in one place. */
const bodyFor = (chosen: Tenant) =>
  fc
    .record({
      auth: authFor(chosen),
      types,
      data,
      keepValid: fc.oneof({ weight: 2, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
      extra: sometimes(fc.oneof(prototypeKeys, fc.dictionary(nastyString, anyValue, { maxKeys: 3 }))),
      pollute: sometimes(fc.tuple(fc.constantFrom('root', 'auth', 'meta', 'data'), prototypeKeys)),
    })
    .map(({ auth, types, data, keepValid, extra, pollute }) => {
      const body: Record<string, unknown> = keepValid
        ? { ...validRequest(chosen), auth: auth.auth }
        : { auth: auth.auth, meta: { interaction_types: types }, data };
      if (extra) Object.assign(body, extra);
      if (pollute) {
        const [where, keys] = pollute;
        if (where === 'root') Object.assign(body, keys);
        else if (typeof body[where] === 'object' && body[where] !== null)
          body[where] = { ...(body[where] as object), ...keys };
      }
      return { body, guessed: auth.guessed };
    });

export const fuzzInput: fc.Arbitrary<FuzzInput> = tenant.chain((chosen) =>
  fc
    .record({
      connector: fc.oneof(
        { weight: 8, arbitrary: fc.constant(chosen.connector) },
        {
          weight: 1,
          arbitrary: fc.constantFrom(
            'zendesk',
            'hubspot',
            'salesforce',
            'freshdesk',
            'dynamics',
            'ZENDESK',
            'unknown',
            '..',
            '%2e%2e',
          ),
        },
      ),
      route: fc.constantFrom('interactions' as const, 'auth/validate' as const),
      shaped: bodyFor(chosen),
      raw: fc.oneof(
        { weight: 18, arbitrary: fc.constant(undefined) },
        { weight: 1, arbitrary: deep.map((text) => ({ text })) },
        { weight: 1, arbitrary: fc.json({ maxDepth: 5 }).map((text) => ({ text })) },
        { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }).map((text) => ({ text })) },
        { weight: 1, arbitrary: fc.uint8Array({ maxLength: 300 }).map((bytes) => ({ bytes })) },
        {
          weight: 1,
          arbitrary: fc.integer({ min: 90_000, max: 130_000 }).map((n) => ({ text: `{"a":"${'x'.repeat(n)}"}` })),
        },
        {
          weight: 1,
          arbitrary: fc.integer({ min: 1_000, max: 20_000 }).map((n) => ({
            json: { ...validRequest(chosen), data: { contact_emails: Array(n).fill('a@b.example') } },
          })),
        },
      ),
      from: fc.oneof({ weight: 1, arbitrary: fc.constant('203.0.113.50') }, { weight: 3, arbitrary: fc.ipV4() }),
      contentType: fc.oneof(
        { weight: 12, arbitrary: fc.constant('application/json') },
        {
          weight: 1,
          arbitrary: fc.constantFrom(
            'application/json; charset=utf-8',
            'APPLICATION/JSON',
            'text/plain',
            'application/x-www-form-urlencoded',
            '',
          ),
        },
      ),
    })
    .map(({ connector, route, shaped, raw, from, contentType }) => ({
      connector,
      route,
      body: raw ?? { json: shaped.body },
      contentType,
      tenant: chosen,
      secrets: [...new Set([...KNOWN_SECRETS, ...shaped.guessed])],
      from,
    })),
);
