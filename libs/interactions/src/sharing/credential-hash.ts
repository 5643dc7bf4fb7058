import { createHmac } from 'node:crypto';
import type { AuthFields } from '../connector.js';

/**
 * A keyed hash (HMAC-SHA-256 with the server's CACHE_KEY_SECRET) of a request's credentials, for cache and
 * coalescing keys: equal credentials give equal keys, other credentials never do, and neither Redis nor a log ever
 * holds a credential, or anything an attacker without the secret could test guesses against.
 */
export function credentialHash(secret: Buffer, connector: string, auth: AuthFields): string {
  const canonical = Object.keys(auth)
    .sort()
    .map((field) => [field, auth[field]]);
  return keyedHash(secret, JSON.stringify([connector, canonical]));
}

/** The same keyed hash for anything else that must not appear in a key as is (emails, phones, names). */
export function keyedHash(secret: Buffer, value: string): string {
  return createHmac('sha256', secret).update(value).digest('base64url').slice(0, 32);
}
