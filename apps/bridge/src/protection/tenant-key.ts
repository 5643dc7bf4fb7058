import { createHash } from 'node:crypto';
import type { AuthFields, RegisteredConnector } from '#interactions';

/**
 * Who a request speaks for, as a key for the per-tenant limit and the lockout: the connector and the CRM account its
 * `auth` names (the connector's `accountOf`, read as the connector reads it), else, for a CRM whose only field is a
 * token (HubSpot), the credential itself. Hashed: keys go to Redis and must not hold a token. Undefined when `auth`
 * is not an object, which the body's validation answers with a 400 anyway.
 */
export function tenantKey(registered: RegisteredConnector, auth: unknown): string | undefined {
  if (typeof auth !== 'object' || auth === null || Array.isArray(auth)) return undefined;
  const fields = auth as Record<string, unknown>;
  // Only string fields, as the validated body will hold them; the connector reads its own with its own rules.
  const strings = Object.fromEntries(Object.entries(fields).filter(([, value]) => typeof value === 'string'));
  const account = registered.connector.accountOf?.(strings as AuthFields);
  // No account name: the credential (the connector's auth fields, in their order) stands for the tenant.
  const field = (name: string) => (Object.hasOwn(fields, name) && typeof fields[name] === 'string' ? fields[name] : '');
  const identity = account?.toLowerCase() ?? JSON.stringify(registered.authFields.map(field));
  return `${registered.name}:${createHash('sha256').update(identity, 'utf8').digest('base64url').slice(0, 22)}`;
}
