import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';

/** The number in E.164 (`+15555555555`), or undefined when it is not a possible phone number. */
export function toE164(raw: string, defaultCountry: CountryCode = 'US'): string | undefined {
  const parsed = parsePhoneNumberFromString(raw.trim(), defaultCountry);
  return parsed?.isPossible() ? parsed.number : undefined;
}

/**
 * The usual spellings of one number, so that an exact-match search in a CRM finds it however it was typed:
 * E.164, E.164 without the plus, national digits, national and international formats.
 * The input comes first; an unparseable input is returned alone.
 */
export function phoneSpellings(raw: string, defaultCountry: CountryCode = 'US'): string[] {
  const trimmed = raw.trim();
  const parsed = parsePhoneNumberFromString(trimmed, defaultCountry);
  if (!parsed?.isPossible()) return trimmed ? [trimmed] : [];
  const e164 = parsed.number;
  const national = parsed.formatNational();
  const spellings = [
    trimmed,
    e164,
    e164.slice(1),
    parsed.nationalNumber,
    national,
    parsed.formatInternational(),
    national.replace(/[^\d]/g, ''),
    `${parsed.countryCallingCode} ${national}`,
    `+${parsed.countryCallingCode} ${national}`,
    national.replace(/[()]/g, '').replace(/\s+/g, '-'),
  ];
  return [...new Set(spellings)];
}
