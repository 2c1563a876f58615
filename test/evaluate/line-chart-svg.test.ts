import { describe, expect, it } from 'vitest';
import { lineChartSvg, niceTicks } from '../../src/evaluate/line-chart-svg.js';

describe('niceTicks', () => {
  it.each([
    [0, 10, [0, 2, 4, 6, 8, 10]],
    [0, 1, [0, 0.2, 0.4, 0.6, 0.8, 1]],
    [-3000, 12_000, [-5000, 0, 5000, 10_000, 15_000]],
    [5, 5, [5]],
  ])('ticks of [%d, %d]', (lo, hi, expected) => {
    const t = niceTicks(lo, hi);
    expect(t.length).toBe(expected.length);
    t.forEach((v, i) => {
      expect(v).toBeCloseTo(expected[i]!, 9);
    });
  });
});

describe('lineChartSvg', () => {
  const options = {
    title: 'Value <by> contacts',
    xLabel: 'contacts',
    yLabel: 'EUR',
    series: [
      {
        name: 'ours',
        points: [
          [0, 0],
          [100, 5000],
          [200, 8000],
        ],
      },
      {
        name: 'classic & co',
        points: [
          [0, 0],
          [100, -1000],
          [200, 500],
        ],
      },
    ],
  } as const;
  const chart = lineChartSvg(options);

  it('draws one polyline and one legend entry per series, escaping text', () => {
    expect(chart.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(chart.match(/<polyline /g)?.length).toBe(2);
    expect(chart.match(/<circle /g)?.length).toBe(6);
    expect(chart).toContain('Value &lt;by&gt; contacts');
    expect(chart).toContain('classic &amp; co');
    expect(chart).toContain('stroke="#555"'); // zero line: the y range crosses 0
  });

  it('is deterministic', () => {
    const again = lineChartSvg(options);
    expect(again).toBe(chart);
  });

  it('refuses a chart without points', () => {
    expect(() =>
      lineChartSvg({ title: 'empty', xLabel: 'x', yLabel: 'y', series: [{ name: 'a', points: [] }] }),
    ).toThrow(/"empty" has no points/);
  });
});
