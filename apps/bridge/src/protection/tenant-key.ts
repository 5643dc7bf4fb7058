import { createHash } from 'node:crypto';
import type { RegisteredConnector } from '#interactions';

/**
 * Who a request speaks for, as a key for the per-tenant limit and the lockout: the connector and the first `auth`
 * field that names the account (its tenantFields, normalised as the connector reads them), else, for a CRM whose
 * only field is a token (HubSpot), the credential itself. Hashed: keys go to Redis and must not hold a token.
 * Undefined when `auth` is not an object, which the body's validation answers with a 400 anyway.
 */
export function tenantKey(connector: RegisteredConnector, auth: unknown): string | undefined {
  if (typeof auth !== 'object' || auth === null || Array.isArray(auth)) return undefined;
  const fields = auth as Record<string, unknown>;
  const text = (name: string) =>
    typeof fields[name] === 'string' && Object.hasOwn(fields, name) ? (fields[name] as string).trim() : '';
  let identity = '';
  for (const name of connector.tenantFields ?? []) {
    identity = text(name).toLowerCase().replace(/\/+$/, '');
    if (identity) break;
  }
  if (!identity) {
    // No account name: the whole credential (its fields in a stable order) stands for the tenant.
    identity = JSON.stringify(connector.authFields.map(text));
  }
  return `${connector.name}:${createHash('sha256').update(identity, 'utf8').digest('base64url').slice(0, 22)}`;
}
