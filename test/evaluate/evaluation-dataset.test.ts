import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { buildEvaluationDataset, withPropensities } from '../../src/evaluate/evaluation-dataset.js';
import { evaluate } from '../../src/evaluate/index.js';
import { TYPE_BLIND_ORACLE, typeBlindOraclePolicy } from '../../src/evaluate/policies/truth-oracle.js';
import { trueValue } from '../../src/evaluate/true-value.js';

const MINI = join(dirname(fileURLToPath(import.meta.url)), '../fixtures/evaluate-mini');
const tmp = mkdtempSync(join(tmpdir(), 'nbg-eval-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('buildEvaluationDataset on the hand-made mini folder', () => {
  it('builds the round at D: pairs, logged actions, rewards, propensities', async () => {
    const d = await buildEvaluationDataset(MINI);
    expect(d.evaluationDate).toBe('2025-06-01');
    expect(d.channelIds).toEqual(['email', 'branch']);
    expect(d.nPairs).toBe(5); // C1 holds P_B: no pair
    expect(d.nActions).toBe(3);
    const pairs = Array.from(
      { length: 5 },
      (_, k) => `${d.clientIds[d.pairClient[k]!]}/${d.productIds[d.pairProduct[k]!]}`,
    );
    expect(pairs).toEqual(['C1/P_A', 'C2/P_A', 'C2/P_B', 'C3/P_A', 'C3/P_B']);
    // S1 email converted; S2 branch no response; S3 is after D + 30 days; C3 opened P_A in the window.
    expect([...d.logged.action]).toEqual([0, 2, 1, 2, 2]);
    expect([...d.logged.reward]).toEqual([99, 0, -10, 100, 0]);
    const ps = [...d.logged.pscore];
    for (const [k, p] of [0.2, 0.7, 0.2, 0.8, 1].entries()) expect(ps[k]).toBeCloseTo(p, 12);
    expect(d.loggedContacts).toBe(2);
    // Contactable: C2 refused email; C3's refusal comes after D; C3 (85) is too old for P_B.
    expect([...d.contactable]).toEqual([1, 1, 0, 1, 0, 1, 1, 1, 0, 0]);
    expect(d.nContactablePairs).toBe(4);
    // History before D, per (product, segment, channel): P_A × affluent × branch 1/1, P_A × mass × email 0/1.
    const S = 5;
    const C = 2;
    const h = (p: number, s: number, c: number): number => (p * S + s) * C + c;
    expect(d.historyContacts[h(0, 1, 1)]).toBe(1);
    expect(d.historyConversions[h(0, 1, 1)]).toBe(1);
    expect(d.historyContacts[h(0, 0, 0)]).toBe(1);
    expect(d.historyConversions[h(0, 0, 0)]).toBe(0);
    expect([...d.truth.p1]).toEqual([0.3, 0.5, 0.05, 0.25, 0.02, 0.12, 0.25, 0.2, 0.05, 0.06]);
  });

  it('takes propensities from another source when given one', async () => {
    const flat = {
      name: 'flat',
      propensities: ({ nPairs }: { nPairs: number }) => new Float64Array(nPairs * 2).fill(0.1),
    };
    const d = await buildEvaluationDataset(MINI, { propensities: flat });
    // Contacted pairs keep their solicitation's own logging_propensity; none = 1 − 0.2.
    expect([...d.logged.pscore].map((p) => +p.toFixed(12))).toEqual([0.2, 0.8, 0.2, 0.8, 0.8]);
    expect(d.propensitySource).toBe('flat');
  });
});

function variant(name: string, files: Record<string, string>): string {
  const dir = join(tmp, name);
  cpSync(MINI, dir, { recursive: true });
  for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, file), text);
  return dir;
}
const SOLICITATIONS_NO_PROPENSITY = `solicitation_id,client_id,product_id,channel_id,campaign_id,sent_at,logging_propensity,outcome,outcome_at
S1,C1,P_A,email,,2025-06-01T09:00:00Z,,converted,2025-06-03T10:00:00Z
`;

const HEADER = 'client_id,product_id,channel_id,p_no_contact,p_contact,logging_propensity\n';
const BAD: { name: string; file: string; text: string; expected: RegExp; also?: Record<string, string> }[] = [
  {
    name: 'p above 1',
    file: 'truth/response.csv',
    text: `${HEADER}C1,P_A,email,0.1,1.5,0.2\n`,
    expected: /response\.csv:2:5 \(p_contact\): expected a probability in \[0, 1\]/,
  },
  {
    name: 'not a number',
    file: 'truth/response.csv',
    text: `${HEADER}C1,P_A,email,abc,0.3,0.2\n`,
    expected: /response\.csv:2:4 \(p_no_contact\)/,
  },
  {
    name: 'unknown client',
    file: 'truth/response.csv',
    text: `${HEADER}C9,P_A,email,0.1,0.3,0.2\n`,
    expected: /:2:1 \(client_id\): client C9 is not in clients\.csv/,
  },
  {
    name: 'unknown channel',
    file: 'truth/response.csv',
    text: `${HEADER}C1,P_A,fax,0.1,0.3,0.2\n`,
    expected: /:2:3 \(channel_id\): channel "fax" is not in channels\.csv/,
  },
  {
    name: 'duplicate row',
    file: 'truth/response.csv',
    text: `${HEADER}C1,P_A,email,0.1,0.3,0.2\nC1,P_A,email,0.1,0.3,0.2\n`,
    expected: /:3:3 \(channel_id\): a second row/,
  },
  {
    name: 'p0 differs by channel',
    file: 'truth/response.csv',
    text: `${HEADER}C1,P_A,email,0.1,0.3,0.2\nC1,P_A,branch,0.2,0.3,0.1\n`,
    expected: /:3:4 \(p_no_contact\): p_no_contact 0.2 differs/,
  },
  {
    name: 'missing column',
    file: 'truth/response.csv',
    text: 'client_id,product_id,channel_id,p_no_contact\nC1,P_A,email,0.1\n',
    expected: /header lacks column\(s\) p_contact/,
  },
  {
    name: 'bad propensity',
    file: 'truth/response.csv',
    text: `${HEADER}C1,P_A,email,0.1,0.3,2\n`,
    expected: /:2:6 \(logging_propensity\)/,
  },
  {
    name: 'one type-blind column only',
    file: 'truth/response.csv',
    text: 'client_id,product_id,channel_id,p_no_contact,p_contact,p_contact_type_blind\nC1,P_A,email,0.1,0.3,0.2\n',
    expected: /response\.csv:1.*only one of p_no_contact_type_blind, p_contact_type_blind/,
  },
  {
    name: 'bad type-blind probability',
    file: 'truth/response.csv',
    text: 'client_id,product_id,channel_id,p_no_contact,p_contact,p_no_contact_type_blind,p_contact_type_blind\nC1,P_A,email,0.1,0.3,0.1,-0.2\n',
    expected: /:2:7 \(p_contact_type_blind\): expected a probability/,
  },
  {
    name: 'meta without date',
    file: 'truth/meta.json',
    text: '{"horizonDays": 30}',
    expected: /meta\.json.*evaluationDate/,
  },
  {
    name: 'meta not JSON',
    file: 'truth/meta.json',
    text: '{horizon',
    expected: /meta\.json: not valid JSON/,
  },
  {
    name: 'logged action without support',
    file: 'truth/response.csv',
    text: `${HEADER}C1,P_A,email,0.1,0.3,0\nC2,P_B,branch,0.02,0.12,0.2\n`,
    expected: /C1 P_A.*email\) has propensity 0/,
    also: { 'solicitations.csv': SOLICITATIONS_NO_PROPENSITY },
  },
];

describe('bad truth files are refused with file:line:column and the reason', () => {
  for (const b of BAD) {
    it(b.name, async () => {
      const dir = variant(b.name.replaceAll(' ', '-'), { [b.file]: b.text, ...b.also });
      const err = await buildEvaluationDataset(dir).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(InputError);
      const e = err as InputError;
      const text = e.issues
        .map(
          (i) =>
            `${i.file}:${i.line ?? ''}:${i.column ?? ''} (${i.columnName ?? ''}) ${i.id ?? ''}: ${i.reason}`,
        )
        .join('\n');
      expect(`${e.message}\n${text}`).toMatch(b.expected);
    });
  }
});

describe('deferred propensities (an exposure model estimates them once the pairs are known)', () => {
  it('gives the same logging distribution as the truth column when given the same values', async () => {
    const direct = await buildEvaluationDataset(MINI);
    const deferred = await buildEvaluationDataset(MINI, { deferPropensities: true });
    expect(deferred.propensitySource).toBe('deferred');
    const muC = Float64Array.from(direct.truth.loggingPropensity!);
    const later = withPropensities(deferred, { name: 'same values', muC });
    expect(Array.from(later.mu)).toEqual(Array.from(direct.mu));
    expect(Array.from(later.logged.pscore)).toEqual(Array.from(direct.logged.pscore));
    expect(later.propensitySource).toBe('same values');
  });

  it('refuses an estimate that gives a logged action probability 0, or the wrong shape', async () => {
    const deferred = await buildEvaluationDataset(MINI, { deferPropensities: true });
    const zeros = new Float64Array(deferred.nPairs * deferred.nChannels);
    // Every logged contact carries its own propensity, so only 'none' can hit 0: push all mass on channels.
    const full = zeros.map(() => 0.5);
    expect(() => withPropensities(deferred, { name: 'all-in', muC: full })).toThrow(InputError);
    expect(() => withPropensities(deferred, { name: 'short', muC: new Float64Array(3) })).toThrow(
      /short gives 3 propensities for 5 pairs × 2 channels/,
    );
  });
});

describe('the type-blind truth columns', () => {
  it('are read beside the truth, and the type-blind oracle ranks by them but is judged by the truth', async () => {
    // The blind columns swap the values of C1/P_A branch (truth +40 EUR) and C3/P_A email (+4).
    const dir = variant('type-blind', {
      'truth/response.csv': `client_id,product_id,channel_id,p_no_contact,p_contact,logging_propensity,p_no_contact_type_blind,p_contact_type_blind
C1,P_A,email,0.10,0.30,0.2,0.1,0.1
C1,P_A,branch,0.10,0.50,0.1,0.1,0.1
C2,P_A,email,0.05,0.05,0,0.05,0.05
C2,P_A,branch,0.05,0.25,0.3,0.05,0.05
C2,P_B,email,0.02,0.02,0,0.02,0.02
C2,P_B,branch,0.02,0.12,0.2,0.02,0.02
C3,P_A,email,0.20,0.25,0.1,0.2,0.7
C3,P_A,branch,0.20,0.20,0.1,0.2,0.2
C3,P_B,email,0.01,0.05,0,0.01,0.01
C3,P_B,branch,0.01,0.06,0,0.01,0.01
`,
    });
    const d = await buildEvaluationDataset(dir);
    expect([...d.truth.typeBlind!.p0]).toEqual([0.1, 0.05, 0.02, 0.2, 0.01]);
    expect(d.truth.typeBlind!.p1[3 * 2 + 0]).toBe(0.7);
    const pi = typeBlindOraclePolicy({ contacts: 1 }).actionDistribution(d);
    // Blind value of C3/P_A email: 0.5 × 100 − 1 = 49, the only positive one; its true value is 4.
    expect(pi[3 * 3 + 0]).toBe(1);
    expect(trueValue(d, pi).netValue).toBeCloseTo(4, 10);
    const report = await evaluate(dir);
    expect(report.comparisons.map((c) => c.policy)).toContain(TYPE_BLIND_ORACLE);
    const mini = await buildEvaluationDataset(MINI);
    expect(mini.truth.typeBlind).toBeUndefined();
    expect(() => typeBlindOraclePolicy({ contacts: 1 }).actionDistribution(mini)).toThrow(/type-blind/);
  });
});
