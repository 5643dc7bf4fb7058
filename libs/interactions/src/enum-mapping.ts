/**
 * A CRM enumeration value through its table to a Talkdesk value; undefined for a value the table lacks, so the field
 * is left out. Only the table's own entries count: `constructor` or `__proto__` from a CRM maps to nothing.
 */
export function mapEnum<T>(table: Record<string, T>, value: string | null | undefined): T | undefined {
  return typeof value === 'string' && Object.hasOwn(table, value) ? table[value] : undefined;
}
