import { describe, expect, it } from 'vitest';
import { parsePolicyJson } from '../../src/domain/policy.js';

describe('parsePolicyJson', () => {
  it('accepts the contract example and an empty policy', () => {
    const r = parsePolicyJson(
      '{"horizonDays":30,"maxContactsPerClient":2,"maxContactsPerClientPerChannel":{"phone":1},"maxSegmentShareRatio":1.5}',
    );
    expect(r).toEqual({
      ok: true,
      policy: {
        horizonDays: 30,
        maxContactsPerClient: 2,
        maxContactsPerClientPerChannel: { phone: 1 },
        maxSegmentShareRatio: 1.5,
      },
    });
    expect(parsePolicyJson('\ufeff{}')).toEqual({ ok: true, policy: {} });
  });

  it.each([
    ['bad JSON, located', '{\n  "horizonDays": 30,,\n}', { line: 2, reason: /not valid JSON/ }],
    ['an unknown key', '{"budgetEur": 10}', { reason: /unknown key\(s\) "budgetEur" \(known: horizonDays/ }],
    ['a negative budget', '{"budgetEUR": -1}', { columnName: 'budgetEUR', reason: /budgetEUR: Too small/ }],
    [
      'a ratio below 1',
      '{"maxSegmentShareRatio": 0.5}',
      { columnName: 'maxSegmentShareRatio', reason: /maxSegmentShareRatio/ },
    ],
    [
      'a fractional contact limit',
      '{"maxContactsPerClient": 1.5}',
      { columnName: 'maxContactsPerClient', reason: /expected int/i },
    ],
    [
      'a non-numeric capacity',
      '{"channelDailyCapacity": {"phone": "lots"}}',
      { columnName: 'channelDailyCapacity.phone', reason: /expected number/ },
    ],
  ] as const)('refuses %s', (_name, text, want) => {
    const r = parsePolicyJson(text);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const issue = r.issues[0]!;
    expect(issue.file).toBe('policy.json');
    expect(issue.reason).toMatch(want.reason);
    if ('line' in want) expect(issue.line).toBe(want.line);
    if ('columnName' in want) expect(issue.columnName).toBe(want.columnName);
  });
});
