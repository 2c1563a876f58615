/** One line of a chart: its name in the legend and its points, x ascending. */
export interface ChartSeries {
  readonly name: string;
  readonly points: readonly (readonly [number, number])[];
}

export interface LineChartOptions {
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly series: readonly ChartSeries[];
  readonly width?: number;
  readonly height?: number;
}

export const LINE_CHART_DEFAULTS = { width: 760, height: 460 } as const;

// Colour-blind-safe palette (Okabe & Ito 2008), then greys.
const PALETTE = [
  '#0072B2',
  '#D55E00',
  '#009E73',
  '#CC79A7',
  '#E69F00',
  '#56B4E9',
  '#000000',
  '#F0E442',
  '#999999',
];

const escapeXml = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** About `count` round tick values from at or below `lo` to at or above `hi` (steps of 1, 2 or 5 × 10^k). */
export function niceTicks(lo: number, hi: number, count = 6): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / Math.max(1, count - 1);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const ticks: number[] = [];
  const last = Math.ceil(hi / step - 1e-9) * step;
  for (let t = Math.floor(lo / step + 1e-9) * step; t <= last + step * 1e-9; t += step)
    ticks.push(Math.abs(t) < step * 1e-9 ? 0 : t);
  return ticks;
}

const label = (v: number): string =>
  Math.abs(v) >= 1e6
    ? `${(v / 1e6).toLocaleString('en', { maximumFractionDigits: 2 })}M`
    : Math.abs(v) >= 1e4
      ? `${(v / 1e3).toLocaleString('en', { maximumFractionDigits: 1 })}k`
      : v.toLocaleString('en', { maximumFractionDigits: 2 });

/**
 * A self-contained SVG line chart (no script, no external font): axes with round ticks, a zero line
 * when the y range crosses 0, one polyline with markers per series, and a legend. Deterministic
 * output for the same input, so it can be committed and diffed.
 */
export function lineChartSvg(options: LineChartOptions): string {
  const W = options.width ?? LINE_CHART_DEFAULTS.width;
  const H = options.height ?? LINE_CHART_DEFAULTS.height;
  const legendW = 230;
  const m = { left: 78, right: legendW + 16, top: 40, bottom: 56 };
  const all = options.series.flatMap((s) => s.points);
  if (all.length === 0) throw new Error(`lineChartSvg: "${options.title}" has no points to draw`);
  const xs = all.map((p) => p[0]);
  const ys = all.map((p) => p[1]);
  const xTicks = niceTicks(Math.min(...xs), Math.max(...xs));
  const yTicks = niceTicks(Math.min(0, ...ys), Math.max(0, ...ys));
  const x0 = Math.min(xTicks[0]!, ...xs);
  const x1 = Math.max(xTicks.at(-1)!, ...xs);
  const y0 = Math.min(yTicks[0]!, ...ys);
  const y1 = Math.max(yTicks.at(-1)!, ...ys);
  const px = (x: number): number => m.left + ((x - x0) / (x1 - x0 || 1)) * (W - m.left - m.right);
  const py = (y: number): number => H - m.bottom - ((y - y0) / (y1 - y0 || 1)) * (H - m.top - m.bottom);
  const f = (v: number): string => v.toFixed(1);
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${W / 2}" y="22" text-anchor="middle" font-size="15">${escapeXml(options.title)}</text>`,
  ];
  for (const t of yTicks) {
    out.push(
      `<line x1="${m.left}" x2="${f(W - m.right)}" y1="${f(py(t))}" y2="${f(py(t))}" stroke="${t === 0 ? '#555' : '#e3e3e3'}"/>`,
      `<text x="${m.left - 6}" y="${f(py(t) + 4)}" text-anchor="end">${label(t)}</text>`,
    );
  }
  for (const t of xTicks) {
    out.push(
      `<line x1="${f(px(t))}" x2="${f(px(t))}" y1="${f(H - m.bottom)}" y2="${f(H - m.bottom + 5)}" stroke="#555"/>`,
      `<text x="${f(px(t))}" y="${f(H - m.bottom + 19)}" text-anchor="middle">${label(t)}</text>`,
    );
  }
  out.push(
    `<line x1="${m.left}" x2="${f(W - m.right)}" y1="${f(H - m.bottom)}" y2="${f(H - m.bottom)}" stroke="#555"/>`,
    `<line x1="${m.left}" x2="${m.left}" y1="${m.top}" y2="${f(H - m.bottom)}" stroke="#555"/>`,
    `<text x="${f((m.left + W - m.right) / 2)}" y="${H - 14}" text-anchor="middle">${escapeXml(options.xLabel)}</text>`,
    `<text transform="translate(18 ${f((m.top + H - m.bottom) / 2)}) rotate(-90)" text-anchor="middle">${escapeXml(options.yLabel)}</text>`,
  );
  options.series.forEach((s, i) => {
    const colour = PALETTE[i % PALETTE.length]!;
    const pts = s.points.map(([x, y]) => `${f(px(x))},${f(py(y))}`).join(' ');
    out.push(`<polyline fill="none" stroke="${colour}" stroke-width="2" points="${pts}"/>`);
    for (const [x, y] of s.points)
      out.push(`<circle cx="${f(px(x))}" cy="${f(py(y))}" r="3" fill="${colour}"/>`);
    const ly = m.top + 8 + i * 20;
    const lx = W - legendW;
    out.push(
      `<line x1="${lx}" x2="${lx + 22}" y1="${ly}" y2="${ly}" stroke="${colour}" stroke-width="3"/>`,
      `<text x="${lx + 28}" y="${ly + 4}">${escapeXml(s.name)}</text>`,
    );
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
