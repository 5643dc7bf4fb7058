import { describe, expect, it } from 'vitest';
import { phoneSpellings, toE164 } from './phone-numbers.js';

describe('phone numbers', () => {
  it('normalises the usual US spellings to one E.164 number', () => {
    for (const spelling of ['+15555555555', '15555555555', '(555) 555-5555', '555-555-5555', '+1 555 555 5555']) {
      expect(toE164(spelling)).toBe('+15555555555');
    }
  });

  it('lists the spellings a CRM may have stored, the asked one first', () => {
    const spellings = phoneSpellings('+15555555555');
    expect(spellings[0]).toBe('+15555555555');
    expect(spellings).toEqual(expect.arrayContaining(['15555555555', '5555555555', '(555) 555-5555', '+1 555 555 5555']));
    expect(new Set(spellings).size).toBe(spellings.length);
  });

  it('keeps international numbers international', () => {
    expect(toE164('+44 20 7946 0958')).toBe('+442079460958');
    expect(phoneSpellings('+44 20 7946 0958')).toContain('020 7946 0958');
  });

  it('returns an unparseable input alone, and never matches it to a number', () => {
    expect(phoneSpellings('ext. 12')).toEqual(['ext. 12']);
    expect(toE164('ext. 12')).toBeUndefined();
    expect(toE164('(555) 555-5555')).toBe(toE164('+1 555 555 5555'));
  });
});
