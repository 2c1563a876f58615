import { describe, expect, it } from 'vitest';
import type { Recommendation } from '../../../src/api/services/api-types.js';
import {
  decodeAuditRecord,
  fromRecommendationNode,
  toRecommendationProps,
} from '../../../src/api/services/recommendation-node.js';

const served: Recommendation = {
  id: 'rec-1',
  clientId: 'C1',
  productId: 'P1',
  channel: 'email',
  action: 'contact',
  rank: 1,
  suggestedMoment: '2024-04-25T10:00:00.000Z',
  shownPropensity: 1,
  modelVersion: 'm1',
  servedAt: '2024-04-24T09:00:00.000Z',
  inputs: JSON.stringify({
    clientId: 'C1',
    limit: 3,
    heldProducts: ['P2'],
    consents: { email: 'granted' },
    x: 0.1 + 0.2,
  }),
  scores: {
    propensity: 0.12,
    exposureCorrection: 1.5,
    uplift: 0.031,
    margin: 120,
    cost: 0.4,
    fatigue: 0.01,
    value: 3.32,
  },
  checks: [
    { rule: 'consent', passed: true, reason: 'consent granted for email' },
    { rule: 'contact-pressure', passed: true, reason: '1 contact(s) in the last 30 days or planned' },
  ],
  paths: [
    {
      kind: 'similar-client',
      nodes: [
        { id: 'C1', label: 'Client' },
        { id: 'C3', label: 'Client' },
        { id: 'P1', label: 'Product' },
      ],
      relationships: [
        { type: 'SIMILAR_TO', from: 'C3', to: 'C1' },
        { type: 'HOLDS', from: 'C3', to: 'P1' },
      ],
    },
    // not of a known shape: kept whole
    { kind: 'other', nodes: [{ id: 'C1', label: 'Client' }], relationships: [] },
  ],
  decision: null,
  decidedAt: null,
};

describe('the audit record of a served recommendation', () => {
  it('is one property that reads back exactly what was served, inputs byte for byte', () => {
    const props = toRecommendationProps(served);
    expect(Object.keys(props).filter((k) => ['scores', 'checks', 'paths', 'inputs'].includes(k))).toEqual([]);
    expect(typeof props.record).toBe('string');
    const back = fromRecommendationNode({ ...props, id: served.id, rank: 1 });
    expect(back).toEqual(served);
    expect(back.inputs).toBe(served.inputs);
    const fourTexts = [served.scores, served.checks, served.paths].map((x) => JSON.stringify(x).length);
    expect((props.record as string).length).toBeLessThan(
      0.6 * (fourTexts.reduce((a, b) => a + b) + served.inputs.length),
    );
  });

  it('rows stored before it (four JSON texts) still read', () => {
    const { record: _, ...rest } = toRecommendationProps(served);
    const old = {
      ...rest,
      id: served.id,
      rank: 1,
      scores: JSON.stringify(served.scores),
      checks: JSON.stringify(served.checks),
      paths: JSON.stringify(served.paths),
      inputs: served.inputs,
    };
    expect(fromRecommendationNode(old)).toEqual(served);
  });

  it('refuses a record of another layout', () => {
    expect(() => decodeAuditRecord('[2,{},[],[],[]]', 'C1', 'P1')).toThrow(
      /audit record of layout 2 for client C1/,
    );
  });
});
