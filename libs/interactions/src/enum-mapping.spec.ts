import { describe, expect, it } from 'vitest';
import { mapEnum } from './enum-mapping.js';

describe('mapEnum', () => {
  const table = { hold: 'pending', open: 'open' };

  it('maps values the table has, and nothing else', () => {
    expect(mapEnum(table, 'hold')).toBe('pending');
    expect(mapEnum(table, 'archived')).toBeUndefined();
    expect(mapEnum(table, null)).toBeUndefined();
  });

  it('ignores what every object inherits', () => {
    for (const inherited of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      expect(mapEnum(table, inherited)).toBeUndefined();
    }
  });
});
