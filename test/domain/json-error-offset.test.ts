import { describe, expect, it } from 'vitest';
import { jsonErrorOffset } from '../../src/domain/json-error-offset.js';

describe('jsonErrorOffset', () => {
  const cases: [string, number][] = [
    ['{"a": 1}', -1],
    ['[1, -2.5e3, "x\\n\\u00e9", true, false, null, {}]', -1],
    ['{"budgetEUR": }', 14],
    ['{\n  "horizonDays": 30,\n}', 23],
    ['{"a": 1', 7],
    ['{"a" 1}', 5],
    ['[1, 2,]', 6],
    ["{'a': 1}", 1],
    ['{"a": 01}', 7],
    ['{"a": tru}', 9],
    ['{"a": "\\x"}', 8],
    ['{} x', 3],
    ['', 0],
  ];
  it.each(cases)('%j → %i', (text, offset) => {
    expect(jsonErrorOffset(text)).toBe(offset);
    expect(() => JSON.parse(text)).toSatisfy((f: () => unknown) => {
      try {
        f();
        return offset === -1;
      } catch {
        return offset >= 0;
      }
    });
  });
});
