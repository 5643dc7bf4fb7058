import { createHash, timingSafeEqual } from 'node:crypto';

/** The header that carries the caller secret (for callers that can set headers: a gateway, an operator's tools). */
export const CALLER_SECRET_HEADER = 'x-bridge-caller-secret';
/**
 * The `auth` field that carries it from Talkdesk: Talkdesk's integration settings define `auth` fields and pass them
 * on every request, but document no custom header on the bridge's URL (SECURITY.md, "The caller secret").
 */
export const CALLER_SECRET_AUTH_FIELD = 'bridge_caller_secret';

/**
 * BRIDGE_CALLER_SECRET, one or two values (rotation). Compared in constant time: both sides are hashed first, so the
 * comparison takes as long whatever the length and content of the guess, and every accepted value is compared.
 */
export class CallerSecret {
  private readonly digests: Buffer[];

  constructor(secrets: string[]) {
    this.digests = secrets.map(digest);
  }

  get required(): boolean {
    return this.digests.length > 0;
  }

  accepts(given: unknown): boolean {
    if (typeof given !== 'string' || given.length === 0) return false;
    const candidate = digest(given);
    let accepted = false;
    for (const expected of this.digests) accepted = timingSafeEqual(candidate, expected) || accepted;
    return accepted;
  }
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}
