import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';

/**
 * One asked phone number, parsed: what a connector needs to look it up with its CRM's format-insensitive search
 * (Zendesk's `phone:*{national digits}`, HubSpot's calculated digits-only properties), and what the core compares
 * the answers with.
 */
export interface PhoneNumber {
  /** `+14045550127` */
  e164: string;
  /** The national significant number, digits only, without country code or trunk prefix: `4045550127`. */
  nationalDigits: string;
  /** The country calling code, digits only: `1`. */
  countryCallingCode: string;
}

/** The number parsed, or undefined when it is not a possible phone number. */
export function parsePhone(raw: string, defaultCountry: CountryCode = 'US'): PhoneNumber | undefined {
  const parsed = parsePhoneNumberFromString(raw.trim(), defaultCountry);
  if (!parsed?.isPossible()) return undefined;
  return { e164: parsed.number, nationalDigits: parsed.nationalNumber, countryCallingCode: parsed.countryCallingCode };
}

/** The number in E.164 (`+15555555555`), or undefined when it is not a possible phone number. */
export function toE164(raw: string, defaultCountry: CountryCode = 'US'): string | undefined {
  return parsePhone(raw, defaultCountry)?.e164;
}
