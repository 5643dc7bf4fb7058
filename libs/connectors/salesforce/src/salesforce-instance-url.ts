import { CredentialsError } from '#interactions';

/**
 * Salesforce's own domains for an org's API host (docs/contract.md, "Salesforce": `*.my.salesforce.com`,
 * `*.salesforce.com`, `*.force.com` and their sandbox forms). Sandbox, Developer Edition and scratch orgs live under
 * `*.sandbox.my.salesforce.com`, `*.develop.my.salesforce.com` and `*.scratch.my.salesforce.com`, which the
 * `.my.salesforce.com` and `.salesforce.com` suffixes already cover. Nothing else is ever contacted, and no request
 * field can add a domain: the allow-list is code, and server configuration only decides where an allowed host's API is
 * reached (SALESFORCE_API_URL, for the sandbox and tests).
 */
export const SALESFORCE_DOMAINS = ['.my.salesforce.com', '.salesforce.com', '.force.com'] as const;

/** One DNS label as Salesforce hands them out: letters, digits, inner hyphens (My Domain sandboxes use `--`). */
const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

const MAX_HOST_LENGTH = 253;

export interface SalesforceInstance {
  /** `https://acme.my.salesforce.com`: where agents open records (the items' `url`). */
  origin: string;
  /** `acme.my.salesforce.com`, lower case. */
  host: string;
}

/**
 * Reads `auth.instance_url` before any request. Anything that could send the bridge (and the customer's token)
 * somewhere other than a Salesforce host is refused as malformed credentials (401): another scheme, userinfo
 * (`https://evil@acme.my.salesforce.com`), an explicit port, a path, query or fragment, an IP literal, a trailing
 * dot, non-ASCII or punycode labels, and any host outside Salesforce's domains.
 */
export function readInstanceUrl(raw: string): SalesforceInstance {
  const refuse = (why: string): never => {
    throw new CredentialsError(
      `auth.instance_url is not a Salesforce instance URL (${why}); give e.g. https://acme.my.salesforce.com`,
    );
  };
  const text = raw.trim();
  // A host name is at most 253 characters (RFC 1035, section 2.3.4: 255 octets on the wire).
  if (text.length > 'https://'.length + MAX_HOST_LENGTH + 1) refuse('longer than any host name');
  // Checked on the raw text: the URL parser would quietly turn unicode into punycode and drop a default port.
  if (!/^https:\/\/[A-Za-z0-9.-]+\/?$/.test(text)) {
    if (!/^https:\/\//i.test(text)) refuse('https only');
    refuse('only a host name: no user, port, path, query or non-ASCII characters');
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return refuse('not a URL');
  }
  const host = url.hostname.toLowerCase();
  if (url.protocol !== 'https:' || url.username || url.password || url.port || url.search || url.hash)
    refuse('https host only');
  if (host.endsWith('.')) refuse('trailing dot');
  if (/^[\d.]+$/.test(host) || host.includes(':')) refuse('IP address');
  const labels = host.split('.');
  if (!labels.every((label) => LABEL.test(label))) refuse('malformed host name');
  if (labels.some((label) => label.startsWith('xn--'))) refuse('internationalised host name');
  const domain = SALESFORCE_DOMAINS.find((suffix) => host.endsWith(suffix));
  // At least one label of the customer's own in front of the Salesforce domain (not `my.salesforce.com` itself).
  if (!domain || host.length === domain.length - 1 || labels.length < domain.split('.').length)
    refuse('not a Salesforce domain');
  return { origin: `https://${host}`, host };
}
