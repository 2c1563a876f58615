import type { Rng } from '../rng.js';
import { WORLD } from './config.js';

/** Metropolitan French regions with rough population weights (INSEE orders of magnitude). */
export const REGIONS: readonly (readonly [name: string, weight: number])[] = [
  ['Île-de-France', 18.3],
  ['Auvergne-Rhône-Alpes', 12],
  ['Hauts-de-France', 8.9],
  ['Nouvelle-Aquitaine', 9],
  ['Occitanie', 8.8],
  ['Grand Est', 8.2],
  ["Provence-Alpes-Côte d'Azur", 7.6],
  ['Pays de la Loire', 5.7],
  ['Normandie', 4.9],
  ['Bretagne', 5.1],
  ['Bourgogne-Franche-Comté', 4.1],
  ['Centre-Val de Loire', 3.8],
  ['Corse', 0.5],
];

/**
 * Branches spread over the regions in proportion to population (at least one per region), each
 * with the same number of advisors. Ids: B0001, advisor A0001-3. Deterministic in the client count.
 */
export class BranchNetwork {
  readonly branchRegion: Int32Array;
  /** Branch indexes of each region. */
  private readonly byRegion: number[][];
  private readonly regionWeights: Float64Array;

  constructor(clients: number) {
    const wanted = Math.max(REGIONS.length, Math.round(clients / WORLD.clientsPerBranch));
    const total = REGIONS.reduce((s, r) => s + r[1], 0);
    this.byRegion = [];
    const regionOf: number[] = [];
    REGIONS.forEach(([, w], r) => {
      const n = Math.max(1, Math.round((wanted * w) / total));
      const list: number[] = [];
      for (let i = 0; i < n; i++) {
        list.push(regionOf.length);
        regionOf.push(r);
      }
      this.byRegion.push(list);
    });
    this.branchRegion = Int32Array.from(regionOf);
    this.regionWeights = Float64Array.from(REGIONS.map((r) => r[1]));
  }

  get branchCount(): number {
    return this.branchRegion.length;
  }

  branchId(b: number): string {
    return `B${String(b + 1).padStart(4, '0')}`;
  }

  advisorId(b: number, k: number): string {
    return `A${String(b + 1).padStart(4, '0')}-${k + 1}`;
  }

  /**
   * Draws region, branch and advisor of one client. Each branch has a wealth advisor (advisor 1,
   * for affluent and private clients), a professionals' advisor (advisor 2) and general advisors.
   */
  assign(
    rng: Rng,
    desk: 'wealth' | 'professional' | 'general',
  ): { region: string; branch: string; advisor: string } {
    const r = rng.weighted(this.regionWeights);
    const list = this.byRegion[r]!;
    const b = list[rng.int(list.length)]!;
    const k = desk === 'wealth' ? 0 : desk === 'professional' ? 1 : 2 + rng.int(WORLD.advisorsPerBranch - 2);
    return { region: REGIONS[r]![0], branch: this.branchId(b), advisor: this.advisorId(b, k) };
  }
}
