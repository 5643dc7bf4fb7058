import { textField, toTalkdeskDate, type UpstreamRecord } from '#interactions';

/** The page an agent opens for a row of a table (`etn`); the session knows the org's host. */
export type RecordUrl = (entity: string, id: string) => string;

/**
 * A date-time column as the Web API returns it. The columns read here have the User Local behavior, which Dataverse
 * stores and returns in UTC, ISO 8601 with a `Z` (`2026-10-02T14:05:00Z`) ("Configure the behavior and format of the
 * date and time column using code",
 * https://learn.microsoft.com/en-us/power-apps/developer/data-platform/behavior-format-date-time-attribute);
 * toTalkdeskDate reads it. '' when the column is empty.
 */
export function dataverseDate(row: UpstreamRecord, column: string): string {
  return toTalkdeskDate(textField(row, column)) ?? '';
}
