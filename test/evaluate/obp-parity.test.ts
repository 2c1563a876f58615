import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { estimatePolicyValue } from '../../src/evaluate/estimate.js';
import { clippedInversePropensity } from '../../src/evaluate/estimators/clipped-inverse-propensity.js';
import { directMethod } from '../../src/evaluate/estimators/direct-method.js';
import { doublyRobust } from '../../src/evaluate/estimators/doubly-robust.js';
import type { OffPolicyEstimator } from '../../src/evaluate/estimators/estimator.js';
import { inversePropensity } from '../../src/evaluate/estimators/inverse-propensity.js';
import { selfNormalizedIps } from '../../src/evaluate/estimators/self-normalized-ips.js';
import { switchDoublyRobust } from '../../src/evaluate/estimators/switch-doubly-robust.js';
import type { LoggedBanditData } from '../../src/evaluate/logged-bandit-data.js';

// Vectors and obp 0.5.7's estimates, written by bench/peers/obp/obp_parity.py vectors.
interface Case {
  name: string;
  nRounds: number;
  nActions: number;
  clip: number;
  action: number[];
  reward: number[];
  pscore: number[];
  actionDist: number[];
  rewardHat: number[];
  obp: Record<string, number>;
}
const here = dirname(fileURLToPath(import.meta.url));
const fixture = JSON.parse(readFileSync(join(here, '../fixtures/obp/parity-vectors.json'), 'utf8')) as {
  obpVersion: string;
  cases: Case[];
};

const byObpName = (clip: number): Record<string, OffPolicyEstimator> => ({
  dm: directMethod(),
  ips: inversePropensity(),
  clippedIps: clippedInversePropensity({ lambda: clip }),
  snips: selfNormalizedIps(),
  dr: doublyRobust(),
  switchDr: switchDoublyRobust({ lambda: clip }),
});

describe('parity with Open Bandit Pipeline', () => {
  it('uses vectors made by obp 0.5.7', () => {
    expect(fixture.obpVersion).toBe('0.5.7');
    expect(fixture.cases.length).toBe(2);
  });
  for (const c of fixture.cases) {
    const data: LoggedBanditData = {
      nRounds: c.nRounds,
      nActions: c.nActions,
      action: Int32Array.from(c.action),
      reward: Float64Array.from(c.reward),
      pscore: Float64Array.from(c.pscore),
      rewardHat: Float64Array.from(c.rewardHat),
    };
    const pi = Float64Array.from(c.actionDist);
    for (const [obpName, estimator] of Object.entries(byObpName(c.clip))) {
      it(`${c.name}: ${estimator.name} agrees with obp to a relative 1e-9`, () => {
        const ours = estimatePolicyValue(estimator, data, pi);
        const theirs = c.obp[obpName]!;
        expect(Math.abs(ours - theirs) / Math.abs(theirs)).toBeLessThan(1e-9);
      });
    }
  }
});
