/**
 * An epoch below this is in seconds, from it on in milliseconds. Seconds below 10^11 reach the year 5138;
 * milliseconds from 10^11 start in March 1973. No CRM record is dated outside both, so the magnitude tells the
 * unit: a 10-digit epoch (1791036300) is seconds, a 13-digit one (1791036300000) milliseconds.
 */
export const EPOCH_MILLISECONDS_FROM = 1e11;

/**
 * ISO 8601 as CRMs send it: a date, optionally a time (`T` or a space between them), optionally seconds and a
 * fraction, optionally a zone (`Z`, `+02:00`, `+0200`, `+02`). A time without a zone is UTC: CRM APIs answer in UTC,
 * and reading it in the server's own time zone would move it by however far the server happens to be from UTC.
 */
const ISO_8601 =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;

/**
 * No timestamp a CRM writes is longer (`2026-10-02T14:05:00.123456789+05:30` is 35): a longer string is no date, and
 * is not read further.
 */
const DATE_TEXT_MAX_LENGTH = 64;

/**
 * Formats a CRM timestamp as Talkdesk wants it: `YYYY-MM-DD HH:MM:SS UTC`.
 * Accepts ISO 8601 strings (a time without a zone is UTC), epochs as numbers or strings of 10 digits or more (seconds
 * or milliseconds by magnitude, see EPOCH_MILLISECONDS_FROM; HubSpot sends milliseconds as strings) and Dates.
 * Returns undefined for anything else and for anything that is not a real instant (`2026-02-30`), so callers can
 * drop the item instead of emitting garbage.
 */
export function toTalkdeskDate(value: string | number | Date | null | undefined): string | undefined {
  if (value === null || value === undefined || value === '') return undefined;
  if (typeof value === 'string' && value.length > DATE_TEXT_MAX_LENGTH) return undefined;
  let time: number;
  if (value instanceof Date) time = value.getTime();
  else if (typeof value === 'number') time = fromEpoch(value);
  else if (/^\d{10,}$/.test(value.trim())) time = fromEpoch(Number(value.trim()));
  else time = fromIso8601(value.trim());
  if (!Number.isFinite(time)) return undefined;
  const date = new Date(time);
  if (Number.isNaN(date.getTime())) return undefined;
  return `${date.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

function fromEpoch(epoch: number): number {
  return Math.abs(epoch) < EPOCH_MILLISECONDS_FROM ? epoch * 1000 : epoch;
}

function fromIso8601(text: string): number {
  const match = ISO_8601.exec(text);
  if (!match) return NaN;
  const [, year, month, day, hour = '00', minute = '00', second = '00', fraction = '', zone = 'Z'] = match;
  const [y, mo, d, h, mi, s] = [year, month, day, hour, minute, second].map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  // setUTCFullYear, not Date.UTC, which reads years 0–99 as 1900–1999.
  const check = new Date(0);
  check.setUTCFullYear(y, mo - 1, d);
  check.setUTCHours(h, mi, s, Number(fraction.padEnd(3, '0').slice(0, 3)));
  // Dates roll 2026-02-30 over to March 2 and 24:00 to the next day: a field out of range is no date at all.
  if (check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d || check.getUTCHours() !== h || mi > 59 || s > 59) {
    return NaN;
  }
  return check.getTime() - zoneOffsetMinutes(zone) * 60_000;
}

/** `Z` → 0; `+02:00`, `+0200`, `+02` → 120; `-05:30` → -330. */
function zoneOffsetMinutes(zone: string): number {
  if (zone.toUpperCase() === 'Z') return 0;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  return sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || '0'));
}
