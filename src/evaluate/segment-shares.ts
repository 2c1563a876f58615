import { SEGMENTS } from '../domain/enums.js';
import type { EvaluationDataset } from './evaluation-dataset.js';

/** Per segment: its share of a policy's contacts over its share of the clients (1 = fair share). */
export interface SegmentShare {
  readonly segment: string;
  readonly clientShare: number;
  readonly contactShare: number;
  readonly ratio: number;
}

/**
 * How a policy spreads its contacts over the segments: contactShare_s = Σ_{pairs of s} Σ_c π(c) /
 * Σ_pairs Σ_c π(c), clientShare_s = clients of s / clients; ratio = contactShare / clientShare. The
 * over-solicitation the classic approach inherits shows as ratios well above 1 for the segments the
 * old targeting favoured.
 */
export function segmentShares(data: EvaluationDataset, pi: Float64Array): SegmentShare[] {
  const S = SEGMENTS.length;
  const { nPairs: n, nChannels: C, nActions: A, pairClient, clientSegment } = data;
  const clients = new Float64Array(S);
  for (let i = 0; i < clientSegment.length; i++) clients[clientSegment[i]!]! += 1;
  const contacts = new Float64Array(S);
  let total = 0;
  for (let k = 0; k < n; k++) {
    let w = 0;
    for (let c = 0; c < C; c++) w += pi[k * A + c]!;
    contacts[clientSegment[pairClient[k]!]!]! += w;
    total += w;
  }
  const nClients = clientSegment.length;
  return SEGMENTS.map((segment, s) => {
    const clientShare = nClients > 0 ? clients[s]! / nClients : 0;
    const contactShare = total > 0 ? contacts[s]! / total : 0;
    return { segment, clientShare, contactShare, ratio: clientShare > 0 ? contactShare / clientShare : 0 };
  });
}
