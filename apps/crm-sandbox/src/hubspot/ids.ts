/** Numeric order on HubSpot ids (digit strings of any length; HubSpot ids can outgrow doubles). */
export function compareIds(a: string, b: string): number {
  const left = BigInt(a);
  const right = BigInt(b);
  return left === right ? 0 : left < right ? -1 : 1;
}

/** A HubSpot record id: digits only. */
export const isRecordId = (raw: string): boolean => /^\d{1,20}$/.test(raw);
