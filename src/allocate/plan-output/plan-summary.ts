import type { PlanProblem } from '../plan-problem.js';
import type { PlanSolution, ShadowPrice } from '../plan-solution.js';

export interface PlanSummary {
  readonly solver: string;
  readonly clients: number;
  readonly candidates: number;
  readonly contacts: number;
  readonly valueEUR: number;
  readonly costEUR: number;
  readonly upperBoundEUR: number;
  readonly gap: number;
  readonly seconds: number;
  readonly perChannel: readonly { channel: string; contacts: number; costEUR: number }[];
  readonly perProduct: readonly { product: string; contacts: number; valueEUR: number }[];
  readonly perSegment: readonly { segment: string; clientShare: number; contactShare: number }[];
  readonly binding: readonly ShadowPrice[];
  readonly exclusions: Readonly<Record<string, number>>;
}

/** Contacts per channel and product, cost, value, segment shares and the binding constraints of a plan. */
export function summarizePlan(problem: PlanProblem, solution: PlanSolution): PlanSummary {
  const { selected } = solution.plan;
  const C = problem.channels.length;
  const P = problem.products.length;
  const chan = new Float64Array(C);
  const prod = new Float64Array(P);
  const prodValue = new Float64Array(P);
  const seg = new Float64Array(problem.segments.length);
  let cost = 0;
  const n = problem.clientStart.length - 1;
  for (let i = 0; i < n; i++) {
    for (let a = problem.clientStart[i]!; a < problem.clientStart[i + 1]!; a++) {
      if (!selected[a]) continue;
      const c = problem.actChannel[a]!;
      const p = problem.actProduct[a]!;
      chan[c]!++;
      prod[p]!++;
      prodValue[p]! += problem.actValue[a]!;
      seg[problem.clientSegment[i]!]!++;
      cost += problem.channels[c]!.costPerContact;
    }
  }
  const contacts = solution.plan.contacts;
  return {
    solver: solution.solver,
    clients: n,
    candidates: problem.actValue.length,
    contacts,
    valueEUR: solution.plan.value,
    costEUR: cost,
    upperBoundEUR: solution.upperBound,
    gap: solution.gap,
    seconds: solution.seconds,
    perChannel: problem.channels.map((ch, c) => ({
      channel: ch.id,
      contacts: chan[c]!,
      costEUR: chan[c]! * ch.costPerContact,
    })),
    perProduct: problem.products.map((pr, p) => ({
      product: pr.id,
      contacts: prod[p]!,
      valueEUR: prodValue[p]!,
    })),
    perSegment: problem.segments.map((s, k) => ({
      segment: s,
      clientShare: problem.limits.segmentClientShare[k]!,
      contactShare: contacts > 0 ? seg[k]! / contacts : 0,
    })),
    binding: solution.shadowPrices.filter((s) => s.binding),
    exclusions: problem.exclusions,
  };
}

const eur = (v: number): string => `${v.toLocaleString('en', { maximumFractionDigits: 0 })} EUR`;

/** The summary as text for a terminal. */
export function formatPlanSummary(s: PlanSummary): string {
  const lines: string[] = [];
  lines.push(
    `Plan (${s.solver}, ${s.seconds.toFixed(1)} s): ${s.contacts.toLocaleString('en')} contacts for ${s.clients.toLocaleString('en')} clients ` +
      `(${s.candidates.toLocaleString('en')} allowed actions with a positive value)`,
    `  expected incremental value ${eur(s.valueEUR)}, cost ${eur(s.costEUR)}, bound ${eur(s.upperBoundEUR)} (gap ${(100 * s.gap).toFixed(2)} %)`,
    '  contacts per channel:',
    ...s.perChannel
      .filter((c) => c.contacts > 0)
      .map((c) => `    ${c.channel.padEnd(14)} ${String(c.contacts).padStart(9)}  ${eur(c.costEUR)}`),
    '  contacts per product:',
    ...s.perProduct
      .filter((p) => p.contacts > 0)
      .map((p) => `    ${p.product.padEnd(20)} ${String(p.contacts).padStart(9)}  ${eur(p.valueEUR)}`),
    '  share of contacts / share of clients per segment:',
    ...s.perSegment.map(
      (g) =>
        `    ${g.segment.padEnd(14)} ${(100 * g.contactShare).toFixed(1).padStart(6)} % / ${(100 * g.clientShare).toFixed(1)} %`,
    ),
  );
  if (s.binding.length === 0) lines.push('  binding constraints: none');
  else {
    lines.push('  binding constraints (shadow price: value of one more unit):');
    for (const b of s.binding) {
      const unit = b.kind === 'budget' ? 'EUR per EUR' : 'EUR per contact';
      lines.push(`    ${b.constraint.padEnd(32)} ${b.price.toFixed(4)} ${unit}`);
    }
  }
  const excl = Object.entries(s.exclusions).filter(([, v]) => v > 0);
  lines.push(
    '  actions excluded, per rule:',
    ...excl.map(([k, v]) => `    ${k.padEnd(24)} ${v.toLocaleString('en')}`),
  );
  return lines.join('\n');
}
