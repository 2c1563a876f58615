import type { PolicyComparison } from './compare-policies.js';

const eur = (x: number): string => Math.round(x).toLocaleString('en');

/** The comparison as rows of cells: policy, contacts, truth, each estimator with its interval, diagnostics. */
export function comparisonTable(rows: readonly PolicyComparison[]): { columns: string[]; rows: string[][] } {
  const names = rows[0]?.estimates.map((e) => e.estimator) ?? [];
  const level = rows[0]?.estimates[0]?.total.level ?? 0.95;
  const columns = [
    'policy',
    'contacts',
    'true incr. conversions',
    'true net value (EUR)',
    'SE floor (EUR)',
    ...names.map((n) => `${n} (EUR, ${Math.round(level * 100)}% CI)`),
    'unsupported contacts',
    'matched logged contacts',
    'max weight',
    'ESS',
  ];
  const body = rows.map((r) => [
    r.policy,
    eur(r.truth.contacts),
    r.truth.incrementalConversions.toFixed(1),
    eur(r.truth.netValue),
    eur(r.seFloor),
    ...r.estimates.map(
      (e) =>
        `${eur(e.total.estimate)} [${eur(e.total.lower)}, ${eur(e.total.upper)}]${
          e.relativeError === undefined
            ? ''
            : ` (${e.relativeError >= 0 ? '+' : ''}${(100 * e.relativeError).toFixed(1)}%)`
        }`,
    ),
    r.diagnostics.unsupportedContacts.toFixed(1),
    String(r.diagnostics.matchedContacts),
    r.diagnostics.maxWeight.toPrecision(3),
    r.diagnostics.ess.toFixed(0),
  ]);
  return { columns, rows: body };
}

/** Plain-text table with aligned columns, for the terminal. */
export function formatTable(t: { columns: readonly string[]; rows: readonly (readonly string[])[] }): string {
  const widths = t.columns.map((c, j) => Math.max(c.length, ...t.rows.map((r) => (r[j] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((c, j) => c.padEnd(widths[j]!))
      .join('  ')
      .trimEnd();
  return [line(t.columns), line(widths.map((w) => '-'.repeat(w))), ...t.rows.map(line)].join('\n');
}

/** The comparison as raw numbers, one row per policy (for CSV output): estimates, bounds, errors. */
export function comparisonRecords(rows: readonly PolicyComparison[]): {
  columns: string[];
  rows: (string | number | undefined)[][];
} {
  const names = rows[0]?.estimates.map((e) => e.estimator) ?? [];
  const columns = [
    'policy',
    'contacts',
    'true_incremental_conversions',
    'true_net_value',
    'se_floor',
    ...names.flatMap((n) => [n, `${n}_lower`, `${n}_upper`, `${n}_relative_error`]),
    'unsupported_contacts',
    'matched_logged_contacts',
    'max_weight',
    'ess',
  ];
  const body = rows.map((r) => [
    r.policy,
    r.truth.contacts,
    r.truth.incrementalConversions,
    r.truth.netValue,
    r.seFloor,
    ...r.estimates.flatMap((e) => [e.total.estimate, e.total.lower, e.total.upper, e.relativeError]),
    r.diagnostics.unsupportedContacts,
    r.diagnostics.matchedContacts,
    r.diagnostics.maxWeight,
    r.diagnostics.ess,
  ]);
  return { columns, rows: body };
}
