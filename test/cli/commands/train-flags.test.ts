import { describe, expect, it } from 'vitest';
import { bandsFlag, calibrationLine } from '../../../src/cli/commands/train.js';

describe('nbg train --calibration-bands', () => {
  it('reads increasing edges in (0, 1), and none when absent', () => {
    expect(bandsFlag(undefined)).toEqual([]);
    expect(bandsFlag('0.001, 0.01,0.05')).toEqual([0.001, 0.01, 0.05]);
  });

  it('refuses edges out of (0, 1) or not increasing, naming the item', () => {
    expect(() => bandsFlag('0.01,0.001')).toThrow(
      /increasing numbers in \(0, 1\), got "0.01,0.001" \(item 2\)/,
    );
    expect(() => bandsFlag('0.1,x')).toThrow(/item 2/);
    expect(() => bandsFlag('1.5')).toThrow(/item 1/);
  });
});

describe("nbg train's calibration line", () => {
  it('prints the held-out ratio with its standard error, and warns when the logs cannot pin the scale', () => {
    expect(
      calibrationLine({
        'uplift.calibration_ratio_pooled': 0.37,
        'uplift.calibration_ratio_pooled_se': 0.24,
      }),
    ).toBe(
      "  uplift calibration: held-out true / announced 0.37 ± 0.24 (standard error); the logs are too few to pin the values' scale closer than that\n",
    );
    expect(
      calibrationLine({ 'uplift.calibration_ratio_pooled': 0.8, 'uplift.calibration_ratio_pooled_se': 0.05 }),
    ).toBe('  uplift calibration: held-out true / announced 0.80 ± 0.05 (standard error)\n');
    expect(calibrationLine({})).toBe('');
  });
});
