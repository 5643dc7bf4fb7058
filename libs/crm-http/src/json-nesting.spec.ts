import { describe, expect, it } from 'vitest';
import { MAX_JSON_DEPTH, nestsDeeperThan } from './json-nesting.js';

/** JSON of at least 64 KiB (smaller answers are not looked at): `inner` inside a padded object. */
const padded = (inner: string) => `{"padding":"${'x'.repeat(70_000)}","value":${inner}}`;

describe('nestsDeeperThan', () => {
  it('finds nesting past the bound, in arrays and objects alike', () => {
    expect(nestsDeeperThan(padded('['.repeat(MAX_JSON_DEPTH) + ']'.repeat(MAX_JSON_DEPTH)))).toBe(true);
    expect(nestsDeeperThan(padded('{"a":'.repeat(MAX_JSON_DEPTH) + '1' + '}'.repeat(MAX_JSON_DEPTH)))).toBe(true);
    const within = MAX_JSON_DEPTH - 1; // the padding object is one level
    expect(nestsDeeperThan(padded('['.repeat(within) + ']'.repeat(within)))).toBe(false);
  });

  it('does not count brackets inside strings, escaped quotes included', () => {
    expect(nestsDeeperThan(padded(JSON.stringify('['.repeat(1_000))))).toBe(false);
    expect(nestsDeeperThan(padded(JSON.stringify(`"${'['.repeat(1_000)}`)))).toBe(false);
    expect(nestsDeeperThan(padded(`[${JSON.stringify('\\')},${'['.repeat(100)}${']'.repeat(100)}]`))).toBe(true);
  });

  it('leaves small answers to JSON.parse, whose cost on them is small', () => {
    expect(nestsDeeperThan('['.repeat(1_000) + ']'.repeat(1_000))).toBe(false);
  });
});
