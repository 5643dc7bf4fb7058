import { describe, expect, it } from 'vitest';
import { parsePhone } from '#interactions';
import { anyOf, emailTerms, MAX_QUERY_LENGTH, phoneSpellings, phoneTerms } from './freshdesk-contact-query.js';

describe('Freshdesk filter queries', () => {
  it('asks for the standard spellings of a number, in phone and mobile, in one query', () => {
    const number = parsePhone('+1 404-555-0127')!;
    expect(phoneSpellings(number)).toEqual(['+14045550127', '+1 404 555 0127', '(404) 555-0127', '4045550127']);
    expect(anyOf(phoneTerms([number]))).toEqual([
      "\"phone:'+14045550127' OR mobile:'+14045550127' OR phone:'+1 404 555 0127' OR mobile:'+1 404 555 0127' OR " +
        "phone:'(404) 555-0127' OR mobile:'(404) 555-0127' OR phone:'4045550127' OR mobile:'4045550127'\"",
    ]);
  });

  it('spells a number of another country its own way', () => {
    expect(phoneSpellings(parsePhone('+44 20 7946 0958')!)).toEqual([
      '+442079460958',
      '+44 20 7946 0958',
      '020 7946 0958',
      '2079460958',
    ]);
  });

  it('asks for an email as given and in lower case', () => {
    expect(anyOf(emailTerms(['Jane.Doe@Example.com', 'bob@example.com']))).toEqual([
      "\"email:'Jane.Doe@Example.com' OR email:'jane.doe@example.com' OR email:'bob@example.com'\"",
    ]);
  });

  it('never puts a quote, a backslash or a control character into a query', () => {
    const hostile = [
      "o'brien@example.com",
      'a"b@example.com',
      'back\\slash@example.com',
      "x' OR active:true OR email:'y",
    ];
    expect(emailTerms(hostile)).toEqual([]);
    expect(anyOf(emailTerms(['ok@example.com', ...hostile]))).toEqual(['"email:\'ok@example.com\'"']);
  });

  it('splits terms into queries of at most 512 characters, none lost', () => {
    const emails = Array.from({ length: 40 }, (_, n) => `customer.number.${n}@example.com`);
    const queries = anyOf(emailTerms(emails));
    expect(queries.length).toBeGreaterThan(1);
    for (const query of queries) expect(query.length).toBeLessThanOrEqual(MAX_QUERY_LENGTH);
    for (const email of emails) expect(queries.some((query) => query.includes(`email:'${email}'`))).toBe(true);
    // Two numbers of eight terms each fit in one query; three do not.
    const numbers = ['+14045550127', '+14045550128', '+14045550129'].map((raw) => parsePhone(raw)!);
    expect(anyOf(phoneTerms(numbers))).toHaveLength(2);
  });
});
