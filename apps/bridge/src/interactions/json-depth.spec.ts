import { describe, expect, it } from 'vitest';
import { jsonNestingDepth } from './json-depth.js';

describe('jsonNestingDepth', () => {
  it('counts nested objects and arrays, not scalars', () => {
    expect(jsonNestingDepth('"text"')).toBe(0);
    expect(jsonNestingDepth('{"a":1}')).toBe(1);
    expect(jsonNestingDepth('{"auth":{},"meta":{"interaction_types":["case"]}}')).toBe(3);
    expect(jsonNestingDepth('[[[]],[]]')).toBe(3);
  });

  it('ignores brackets inside strings, escaped quotes included', () => {
    expect(jsonNestingDepth('{"a":"[[[{{{"}')).toBe(1);
    expect(jsonNestingDepth('{"a":"\\"[[[","b":[]}')).toBe(2);
  });

  it('measures 100,000 levels without recursing', () => {
    expect(jsonNestingDepth('['.repeat(100_000) + ']'.repeat(100_000))).toBe(100_000);
  });
});
