/**
 * Formats a CRM timestamp as Talkdesk wants it: `YYYY-MM-DD HH:MM:SS UTC`.
 * Accepts ISO 8601 strings, epoch milliseconds (number or digit string, as HubSpot sends) and Dates.
 * Returns undefined for anything that is not a real instant, so callers can drop the item instead of emitting garbage.
 */
export function toTalkdeskDate(value: string | number | Date | null | undefined): string | undefined {
  if (value === null || value === undefined || value === '') return undefined;
  let date: Date;
  if (value instanceof Date) date = value;
  else if (typeof value === 'number') date = new Date(value);
  else if (/^\d{10,}$/.test(value)) date = new Date(Number(value));
  else date = new Date(value);
  const time = date.getTime();
  if (Number.isNaN(time)) return undefined;
  return `${date.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}
