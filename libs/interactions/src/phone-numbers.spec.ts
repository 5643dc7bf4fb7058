import { describe, expect, it } from 'vitest';
import { parsePhone, toE164 } from './phone-numbers.js';

describe('phone numbers', () => {
  it('normalises the usual US spellings to one E.164 number', () => {
    for (const spelling of ['+15555555555', '15555555555', '(555) 555-5555', '555-555-5555', '+1 555 555 5555']) {
      expect(toE164(spelling)).toBe('+15555555555');
    }
  });

  it('parses a number into what a format-insensitive CRM search needs: E.164 and the national digits', () => {
    expect(parsePhone('+1 404-555-0127')).toEqual({
      e164: '+14045550127',
      nationalDigits: '4045550127',
      countryCallingCode: '1',
    });
    expect(parsePhone('020 7946 0958', 'GB')).toEqual({
      e164: '+442079460958',
      nationalDigits: '2079460958',
      countryCallingCode: '44',
    });
  });

  it('keeps international numbers international', () => {
    expect(toE164('+44 20 7946 0958')).toBe('+442079460958');
    expect(parsePhone('+44 20 7946 0958')?.nationalDigits).toBe('2079460958');
  });

  it('returns an unparseable input alone, and never matches it to a number', () => {
    expect(parsePhone('ext. 12')).toBeUndefined();
    expect(toE164('ext. 12')).toBeUndefined();
    expect(toE164('(555) 555-5555')).toBe(toE164('+1 555 555 5555'));
  });
});
