/**
 * Scores plan CSVs (`nbg plan --out`) against a simulated world's truth, sharing no code with nbg
 * (its own CSV splitting, its own arithmetic): the true incremental value of a planned contact is
 * (p_contact − p_no_contact) × the product's unit_value − the channel's cost_per_contact, from
 * truth/response.csv, products.csv and channels.csv. A plan's announced value is the sum of its
 * expected_value_eur column.
 */
import { createReadStream, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

/** Splits one CSV line (RFC 4180 quotes). */
export function splitCsvLine(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let k = 0; k < line.length; k++) {
    const ch = line[k]!;
    if (quoted) {
      if (ch === '"' && line[k + 1] === '"') {
        cur += '"';
        k++;
      } else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

function table(file: string): Record<string, string>[] {
  const lines = readFileSync(file, 'utf8')
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .filter(Boolean);
  const head = splitCsvLine(lines[0]!);
  return lines.slice(1).map((l) => {
    const v = splitCsvLine(l);
    return Object.fromEntries(head.map((h, j) => [h, v[j] ?? '']));
  });
}

export interface PlannedContact {
  readonly client: string;
  readonly product: string;
  readonly channel: string;
  readonly announced: number;
}

export function readPlan(file: string): PlannedContact[] {
  return table(file).map((r) => ({
    client: r.client_id!,
    product: r.product_id!,
    channel: r.channel_id!,
    announced: Number(r.expected_value_eur),
  }));
}

export interface GroupScore {
  readonly contacts: number;
  readonly announced: number;
  readonly trueValue: number;
  readonly negative: number;
}

export interface PlanScore extends GroupScore {
  readonly byChannel: Readonly<Record<string, GroupScore>>;
  readonly byProduct: Readonly<Record<string, GroupScore>>;
  /** Spearman correlation of announced and true value over the plan's contacts. */
  readonly rankCorrelation: number;
}

const key = (c: string, p: string, ch: string): string => `${c}\u0000${p}\u0000${ch}`;

/** Scores several plans of one world in one pass over truth/response.csv. */
export async function scorePlans(
  dir: string,
  plans: Readonly<Record<string, readonly PlannedContact[]>>,
): Promise<Record<string, PlanScore>> {
  const margin = new Map(table(join(dir, 'products.csv')).map((r) => [r.product_id!, Number(r.unit_value)]));
  const cost = new Map(
    table(join(dir, 'channels.csv')).map((r) => [r.channel_id!, Number(r.cost_per_contact)]),
  );
  const wanted = new Map<string, number>();
  for (const plan of Object.values(plans))
    for (const a of plan) wanted.set(key(a.client, a.product, a.channel), Number.NaN);
  const lines = createInterface({ input: createReadStream(join(dir, 'truth', 'response.csv')) });
  let head: string[] | undefined;
  let ci = 0;
  let pi = 0;
  let chi = 0;
  let p0i = 0;
  let p1i = 0;
  for await (const line of lines) {
    if (!line) continue;
    const v = splitCsvLine(line);
    if (!head) {
      head = v;
      [ci, pi, chi, p0i, p1i] = ['client_id', 'product_id', 'channel_id', 'p_no_contact', 'p_contact'].map(
        (h) => head!.indexOf(h),
      ) as [number, number, number, number, number];
      continue;
    }
    const k = key(v[ci]!, v[pi]!, v[chi]!);
    if (wanted.has(k)) {
      wanted.set(k, (Number(v[p1i]) - Number(v[p0i])) * margin.get(v[pi]!)! - cost.get(v[chi]!)!);
    }
  }
  const out: Record<string, PlanScore> = {};
  for (const [name, plan] of Object.entries(plans)) {
    const byChannel: Record<
      string,
      { contacts: number; announced: number; trueValue: number; negative: number }
    > = {};
    const byProduct: typeof byChannel = {};
    const all = { contacts: 0, announced: 0, trueValue: 0, negative: 0 };
    const pairs: [number, number][] = [];
    for (const a of plan) {
      const t = wanted.get(key(a.client, a.product, a.channel))!;
      if (Number.isNaN(t))
        throw new Error(`${name}: ${a.client} ${a.product} ${a.channel} is not in truth/response.csv`);
      pairs.push([a.announced, t]);
      const ch = byChannel[a.channel] ?? { contacts: 0, announced: 0, trueValue: 0, negative: 0 };
      const pr = byProduct[a.product] ?? { contacts: 0, announced: 0, trueValue: 0, negative: 0 };
      byChannel[a.channel] = ch;
      byProduct[a.product] = pr;
      for (const g of [all, ch, pr]) {
        g.contacts++;
        g.announced += a.announced;
        g.trueValue += t;
        if (t < 0) g.negative++;
      }
    }
    out[name] = { ...all, byChannel, byProduct, rankCorrelation: spearman(pairs) };
  }
  return out;
}

function ranks(v: readonly number[]): number[] {
  const idx = v.map((_, k) => k).sort((a, b) => v[a]! - v[b]!);
  const r = new Array<number>(v.length);
  for (let k = 0; k < idx.length; ) {
    let e = k;
    while (e + 1 < idx.length && v[idx[e + 1]!] === v[idx[k]!]) e++;
    for (let j = k; j <= e; j++) r[idx[j]!] = (k + e) / 2;
    k = e + 1;
  }
  return r;
}

function spearman(pairs: readonly [number, number][]): number {
  if (pairs.length < 3) return Number.NaN;
  const a = ranks(pairs.map((p) => p[0]));
  const b = ranks(pairs.map((p) => p[1]));
  const n = a.length;
  const ma = (n - 1) / 2;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let k = 0; k < n; k++) {
    sab += (a[k]! - ma) * (b[k]! - ma);
    saa += (a[k]! - ma) ** 2;
    sbb += (b[k]! - ma) ** 2;
  }
  return sab / Math.sqrt(saa * sbb);
}
