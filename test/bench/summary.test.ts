import { describe, expect, it } from 'vitest';
import {
  BEGIN_MARKER,
  type BenchFigures,
  benchOfFile,
  type Comparison,
  END_MARKER,
  evaluateComparison,
  type FigureTarget,
  formatComparison,
  formatValue,
  isStale,
  parseBenchJson,
  parseComparison,
  renderSection,
  replaceSection,
  summaryRows,
} from '../../bench/lib/summary-table.js';

const figures = (f: Record<string, number | string | boolean | null>): BenchFigures => ({
  date: '2026-12-04',
  machine: 'test',
  ...f,
});

describe('parseComparison', () => {
  const good: [string, Comparison][] = [
    ['reported', { kind: 'reported' }],
    ['>= 50000', { kind: 'compare', op: '>=', abs: false, bound: 50000 }],
    ['<= 5', { kind: 'compare', op: '<=', abs: false, bound: 5 }],
    ['<1e-9', { kind: 'compare', op: '<', abs: false, bound: 1e-9 }],
    ['> -0.5', { kind: 'compare', op: '>', abs: false, bound: -0.5 }],
    ['== 0', { kind: 'compare', op: '==', abs: false, bound: 0 }],
    ['== true', { kind: 'compare', op: '==', abs: false, bound: true }],
    ['|x| <= 0.05', { kind: 'compare', op: '<=', abs: true, bound: 0.05 }],
    ['< holdingsAuc', { kind: 'compare', op: '<', abs: false, bound: { key: 'holdingsAuc' } }],
  ];
  for (const [text, expected] of good)
    it(`reads '${text}'`, () => expect(parseComparison(text)).toEqual(expected));

  const bad: [string, RegExp][] = [
    ['', /cannot read the target ''/],
    ['50000', /cannot read the target '50000'/],
    ['=> 5', /cannot read the target '=> 5'/],
    ['>= 5 ms', /cannot read the target/],
    ['>= 1e999', /not a finite number: '1e999'/],
    ['>= 0x', /not a finite number/],
    ['>= true', /only '== true' or '== false'/],
    ['|x| == false', /only '== true' or '== false'/],
  ];
  for (const [text, message] of bad)
    it(`refuses '${text}'`, () => expect(() => parseComparison(text)).toThrow(message));
});

describe('evaluateComparison', () => {
  const f = figures({ rate: 50000, err: -0.2, small: 0.04, ok: true, auc: 0.8, pop: 0.76, gone: null });
  const cases: [string, string, string][] = [
    ['>= 50000', 'rate', 'met'],
    ['> 50000', 'rate', 'missed'],
    ['<= 49999', 'rate', 'missed'],
    ['== 50000', 'rate', 'met'],
    ['|x| <= 0.05', 'err', 'missed'],
    ['<= 0.05', 'err', 'met'],
    ['|x| <= 0.05', 'small', 'met'],
    ['== true', 'ok', 'met'],
    ['== false', 'ok', 'missed'],
    ['< auc', 'pop', 'met'],
    ['> auc', 'pop', 'missed'],
    ['reported', 'rate', 'no target'],
    ['reported', 'absent', 'no value'],
    ['>= 1', 'absent', 'no value'],
    ['>= 1', 'gone', 'no value'],
    ['< absent', 'pop', 'no value'],
  ];
  for (const [target, key, verdict] of cases)
    it(`${key} ${target} → ${verdict}`, () =>
      expect(evaluateComparison(parseComparison(target), f, key)).toBe(verdict));

  it('refuses to compare a number with a boolean, or a string with a number', () => {
    expect(() => evaluateComparison(parseComparison('== true'), f, 'rate')).toThrow(
      /rate is 50000, not a boolean/,
    );
    expect(() => evaluateComparison(parseComparison('>= 1'), f, 'machine')).toThrow(/needs two numbers/);
  });
});

describe('isStale', () => {
  it('flags a date strictly before the limit', () => {
    expect(isStale('2026-11-25', '2026-12-07')).toBe(true);
    expect(isStale('2026-12-07', '2026-12-07')).toBe(false);
    expect(isStale('2027-01-02', '2026-12-07')).toBe(false);
  });
  for (const bad of ['2026-13-01', '2026-02-30', '7 Dec 2026', '2026-12-7'])
    it(`refuses '${bad}'`, () => {
      expect(() => isStale(bad, '2026-12-07')).toThrow(
        `the date must be a date written YYYY-MM-DD, got '${bad}'`,
      );
      expect(() => isStale('2026-12-07', bad)).toThrow(/stale-before date must be/);
    });
});

describe('formatting', () => {
  it('writes values as report.ts does, with the unit', () => {
    expect(formatValue(76962, 'rows/s')).toBe('76,962 rows/s');
    expect(formatValue(0.90821937)).toBe('0.9082');
    expect(formatValue(1348.26, 's')).toBe('1,348 s');
    expect(formatValue(true)).toBe('true');
    expect(formatValue(null)).toBe('—');
    expect(formatValue(undefined)).toBe('—');
  });
  it('writes targets with symbols', () => {
    expect(formatComparison(parseComparison('>= 50000'), 'rows/s')).toBe('≥ 50,000 rows/s');
    expect(formatComparison(parseComparison('|x| <= 0.05'))).toBe('|x| ≤ 0.05');
    expect(formatComparison(parseComparison('< holdingsAuc'), 'ms')).toBe('< holdingsAuc');
    expect(formatComparison(parseComparison('== true'))).toBe('= true');
    expect(formatComparison(parseComparison('reported'), 'MB')).toBe('reported');
  });
  it('reads a seed suffix as the seed of a bench', () => {
    expect(benchOfFile('peers-uplift-s2')).toEqual({ bench: 'peers-uplift', seed: '2' });
    expect(benchOfFile('analyze-graph')).toEqual({ bench: 'analyze-graph' });
  });
});

describe('parseBenchJson', () => {
  it('reads a flat figures file', () => {
    const f = parseBenchJson(
      '{"rows": 3, "mode": "bulk", "ok": true, "x": null, "date": "2026-12-04", "machine": "m"}',
      'a.json',
    );
    expect(f.rows).toBe(3);
    expect(f.date).toBe('2026-12-04');
  });
  const bad: [string, string, RegExp][] = [
    ['not JSON', '{"date": ', /a\.json: invalid JSON/],
    ['no date', '{"machine": "m", "rows": 1}', /a\.json: date: /],
    ['a bad date', '{"date": "4 Dec", "machine": "m"}', /a\.json: date: expected YYYY-MM-DD/],
    ['a nested object', '{"date": "2026-12-04", "machine": "m", "by": {"a": 1}}', /a\.json: by: /],
    ['an array', '[1]', /a\.json: \(top level\)/],
  ];
  for (const [name, text, message] of bad)
    it(`refuses ${name}`, () => expect(() => parseBenchJson(text, 'a.json')).toThrow(message));
});

describe('summaryRows', () => {
  const targets: FigureTarget[] = [
    {
      bench: 'ingest',
      key: 'rowsPerSecond',
      meaning: 'rows/s',
      target: '>= 50000',
      unit: 'rows/s',
      issue: 3,
    },
    { bench: 'ingest', key: 'peakRssMbNode', meaning: 'peak', target: 'reported', unit: 'MB', issue: 3 },
    { bench: 'peers', key: 'ratio', meaning: 'ratio', target: '>= 0.95', issue: 6 },
    { bench: 'structure', key: 'filesOver500Lines', meaning: 'files', target: '== 0', issue: 15 },
  ];
  const rows = summaryRows(
    [
      { name: 'peers-s2', figures: { ...figures({ ratio: 0.9 }), date: '2026-12-08' } },
      { name: 'ingest', figures: figures({ rowsPerSecond: 76962, clients: 100000, seeds: '1,2,3' }) },
      { name: 'peers-s1', figures: figures({ ratio: 1.16, dir: 'data/w-s1', clients: 5 }) },
      { name: 'newbench', figures: figures({ x: 1 }) },
    ],
    targets,
    '2026-12-07',
  );

  it('gives every target of every JSON a row, in the order of the targets, seeds in order', () => {
    expect(rows.map((r) => [r.bench, r.verdict, r.stale])).toEqual([
      ['ingest', 'met', true],
      ['ingest', 'no value', true],
      ['peers-s1', 'met', true],
      ['peers-s2', 'missed', false],
      ['structure', 'not run', false],
      ['newbench', 'no target', true],
    ]);
  });
  it('says what the JSON says of the run', () => {
    expect(rows[0]).toMatchObject({
      value: '76,962 rows/s',
      target: '≥ 50,000 rows/s',
      world: '100,000 clients, seeds 1,2,3',
    });
    expect(rows[2]!.world).toBe('data/w-s1, seed 1');
    expect(rows[3]!.world).toBe('seed 2');
    expect(rows[5]).toMatchObject({
      issue: null,
      figure: expect.stringMatching(/TARGETS in bench\/summary\.ts/),
    });
  });
  it("gives a gathered figure's source, or why it is missing, as its world", () => {
    const gathered = summaryRows(
      [
        {
          name: 'decisions',
          figures: figures({
            reportSeeds: '101,102,103',
            apiP95Ms: 25,
            apiP95MsSource: 'api.json 2026-12-09 seed 101',
            apiP99MsMissing: 'bench/results/api.json not found',
            vsOracleLpMin: 0.5,
          }),
        },
      ],
      ['apiP95Ms', 'apiP99Ms', 'vsOracleLpMin'].map((key) => ({
        bench: 'decisions',
        key,
        meaning: key,
        target: 'reported',
        issue: 16,
      })),
      '2026-12-07',
    );
    expect(gathered.map((r) => [r.value, r.world])).toEqual([
      ['25', 'api.json 2026-12-09 seed 101'],
      ['—', 'bench/results/api.json not found'],
      ['0.5000', ''],
    ]);
  });
  it('renders one table with escaped bars and the counts', () => {
    const abs = summaryRows(
      [{ name: 'ope', figures: figures({ err: -0.2 }) }],
      [{ bench: 'ope', key: 'err', meaning: 'DR error', target: '|x| <= 0.05', issue: 4 }],
      '2026-12-07',
    );
    const text = renderSection([...rows, ...abs], '2026-12-07');
    expect(
      text.startsWith(
        '## Current figures\n\nGenerated by `npx tsx bench/summary.ts` from bench/results/*.json',
      ),
    ).toBe(true);
    expect(text).toContain(
      '| ope | DR error (`err`) | -0.2000 | \\|x\\| ≤ 0.05 | missed | 2026-12-04 | stale |  | 4 |',
    );
    expect(text).toContain('before 2026-12-07 is marked stale');
    expect(
      text.endsWith('7 figures: 2 met, 2 missed, 1 without a target, 1 without a value, 1 not run; 5 stale.'),
    ).toBe(true);
  });
});

describe('replaceSection', () => {
  const head = '# Benchmark results\r\n\nIntro | with a bar.\n\n';
  const log =
    '\n## simulate: 2026-11-25\n\n| a |\n|---|\n| 1 |\n\ttrailing space \n<!-- current:begin --> inline\n';
  const file = `${head}${BEGIN_MARKER}\nold section\n${END_MARKER}\n${log}`;

  it('replaces only what lies between the markers', () => {
    const out = replaceSection(file, '## Current figures\n\nnew', 'R.md');
    expect(out).toBe(`${head}${BEGIN_MARKER}\n## Current figures\n\nnew\n${END_MARKER}\n${log}`);
  });
  it('is idempotent', () => {
    const once = replaceSection(file, 'body', 'R.md');
    expect(replaceSection(once, 'body', 'R.md')).toBe(once);
  });
  it('fills markers that are next to each other', () => {
    expect(replaceSection(`a\n${BEGIN_MARKER}\n${END_MARKER}\nb`, 'x', 'R.md')).toBe(
      `a\n${BEGIN_MARKER}\nx\n${END_MARKER}\nb`,
    );
  });

  const bad: [string, string, RegExp][] = [
    [
      'the end marker missing',
      `${head}${BEGIN_MARKER}\nold\n${log}`,
      /R\.md: '<!-- current:begin -->' at line 5, '<!-- current:end -->' missing; put the lines/,
    ],
    [
      'the begin marker missing',
      `${head}old\n${END_MARKER}\n${log}`,
      /R\.md: '<!-- current:begin -->' missing, '<!-- current:end -->' at line 6/,
    ],
    ['both missing', `${head}${log}`, /'<!-- current:begin -->' missing, '<!-- current:end -->' missing/],
    ['a second begin marker', `${BEGIN_MARKER}\n${file}`, /'<!-- current:begin -->' at line 1, 6/],
    [
      'the end before the begin',
      `${END_MARKER}\nx\n${BEGIN_MARKER}\n`,
      /'<!-- current:end -->' \(line 1\) comes before '<!-- current:begin -->' \(line 3\)/,
    ],
  ];
  for (const [name, text, message] of bad)
    it(`refuses a file with ${name}`, () => expect(() => replaceSection(text, 'x', 'R.md')).toThrow(message));
});
