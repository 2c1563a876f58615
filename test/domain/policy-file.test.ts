import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPolicy, parsePolicy } from '../../src/domain/policy-file.js';
import { InputError } from '../../src/errors.js';

const known = { channels: ['email', 'phone', 'sms'], products: ['P_A', 'P_B'] };

describe('parsePolicy', () => {
  it('parses the example policy', () => {
    const p = parsePolicy(
      '{"horizonDays":30,"maxContactsPerClient":2,"channelDailyCapacity":{"phone":400},"productQuota":{"P_A":5},"maxSegmentShareRatio":1.5}',
      'policy.json',
      known,
    );
    expect(p).toEqual({
      horizonDays: 30,
      maxContactsPerClient: 2,
      channelDailyCapacity: { phone: 400 },
      productQuota: { P_A: 5 },
      maxSegmentShareRatio: 1.5,
    });
  });

  const bad: [string, string, RegExp, number?, number?][] = [
    ['bad JSON', '{\n  "horizonDays": 30,\n}', /invalid JSON/, 3, 1],
    ['truncated JSON', '{"horizonDays": 30', /invalid JSON/],
    ['unknown key', '{"maxContactPerClient": 2}', /unknown key\(s\) "maxContactPerClient"/],
    ['negative value', '{"maxContactsPerClient": -1}', /maxContactsPerClient: .*>=0/],
    ['string value', '{"budgetEUR": "1000"}', /budgetEUR: .*expected number/],
    ['ratio below 1', '{"maxSegmentShareRatio": 0.5}', /maxSegmentShareRatio: .*>=1/],
    [
      'unknown channel',
      '{"channelDailyCapacity": {"fax": 3}}',
      /channelDailyCapacity\.fax.*unknown id "fax"/,
    ],
    ['unknown product', '{"productQuota": {"P_Z": 3}}', /productQuota\.P_Z.*unknown id "P_Z"/],
    ['not an object', '[1,2]', /expected object/],
    ['fractional contact limit', '{"maxContactsPerClient": 1.5}', /maxContactsPerClient: .*int/i],
  ];
  it.each(bad)('%s is an InputError', (_name, text, reason, line, column) => {
    let error: unknown;
    try {
      parsePolicy(text, 'policy.json', known);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InputError);
    const issue = (error as InputError).issues[0]!;
    expect(issue.file).toBe('policy.json');
    expect(`${issue.columnName ?? ''}: ${issue.reason}`).toMatch(reason);
    if (line !== undefined) expect([issue.line, issue.column]).toEqual([line, column]);
  });

  it('accepts a UTF-8 byte-order mark and an empty policy', () => {
    expect(parsePolicy('\ufeff{}', 'policy.json', known)).toEqual({});
  });

  it('reports every problem at once', () => {
    expect(() => parsePolicy('{"productQuota":{"P_Z":1,"P_Y":2}}', 'p.json', known)).toThrow(/and 1 more/);
  });
});

describe('loadPolicy', () => {
  it('reads a file and refuses a missing one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nbg-policy-'));
    const path = join(dir, 'policy.json');
    writeFileSync(path, '{"budgetEUR": 25000}');
    await expect(loadPolicy(path)).resolves.toEqual({ budgetEUR: 25000 });
    await expect(loadPolicy(join(dir, 'nope.json'))).rejects.toThrow(/nope\.json: file not found/);
  });
});
