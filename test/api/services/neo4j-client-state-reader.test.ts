import { describe, expect, it } from 'vitest';
import { type StateRow, toLiveClient } from '../../../src/api/services/neo4j-client-state-reader.js';
import { DAY_MS } from '../../../src/domain/time.js';
import { isNbgError } from '../../../src/errors.js';

const NOW = Date.parse('2026-06-01T09:00:00Z');
const DAY = DAY_MS;

const row = (over: Partial<StateRow> = {}): StateRow => ({
  client: { birthYear: 1980, segment: 'mass', riskProfile: 'balanced', financiallyFragile: false },
  advisorId: 'A1',
  holdings: [],
  consents: [],
  solicitations: [],
  ...over,
});

describe('toLiveClient: the graph row as the rules see it at now', () => {
  it('counts accepted suggestions of the window as planned contacts until their solicitation is recorded', () => {
    const live = toLiveClient(
      'C1',
      row({
        solicitations: [
          // sent the day the email about P_A was accepted: that one is done, not planned
          { channel: 'email', productId: 'P_A', sentAt: '2026-05-28', outcome: null, outcomeAt: null },
          // sent before the sms about P_B was accepted: it does not settle it
          {
            channel: 'sms',
            productId: 'P_B',
            sentAt: '2026-05-20T10:00:00Z',
            outcome: null,
            outcomeAt: null,
          },
        ],
        planned: [
          { channel: 'email', productId: 'P_A', decidedAt: '2026-05-28T15:00:00Z' },
          { channel: 'sms', productId: 'P_B', decidedAt: '2026-05-29T10:00:00Z' },
          { channel: 'email', productId: 'P_C', decidedAt: '2026-05-31T10:00:00Z' },
          // decided before the 30-day window, or after now: not counted
          { channel: 'email', productId: 'P_D', decidedAt: '2026-04-01T10:00:00Z' },
          { channel: 'email', productId: 'P_E', decidedAt: '2026-06-02T10:00:00Z' },
          // OPTIONAL MATCH without a planned contact collects a map of nulls
          { channel: null, productId: null, decidedAt: null },
        ],
      }),
      NOW,
      30,
    );
    expect(live.planned.total).toBe(2);
    expect([...live.planned.perChannel].sort()).toEqual([
      ['email', 1],
      ['sms', 1],
    ]);
    expect(toLiveClient('C1', row(), NOW, 30).planned).toEqual({ total: 0, perChannel: new Map() });
  });

  it('keeps holdings open at now, consents, contacts in the window and the latest refusal', () => {
    const live = toLiveClient(
      'C1',
      row({
        holdings: [
          { productId: 'P_OPEN', openedAt: '2020-01-01', closedAt: null },
          { productId: 'P_CLOSED', openedAt: '2020-01-01', closedAt: '2026-05-31' },
          { productId: 'P_FUTURE', openedAt: '2026-06-02', closedAt: null },
          { productId: 'P_CLOSES_LATER', openedAt: '2020-01-01', closedAt: '2026-06-02' },
          // OPTIONAL MATCH without a holding collects a map of nulls
          { productId: null, openedAt: null, closedAt: null },
        ],
        consents: [
          { channel: 'email', status: 'refused' },
          { channel: 'sms', status: 'granted' },
          { channel: 'phone', status: 'maybe' },
          { channel: null, status: null },
        ],
        solicitations: [
          // in the 30-day window
          {
            channel: 'email',
            productId: 'P_A',
            sentAt: '2026-05-20T10:00:00Z',
            outcome: 'opened',
            outcomeAt: null,
          },
          // refused inside the window, outcome after now: dated now
          {
            channel: 'sms',
            productId: 'P_B',
            sentAt: '2026-05-31T10:00:00Z',
            outcome: 'refused',
            outcomeAt: '2026-06-03T00:00:00Z',
          },
          // refused long ago, no outcome date: dated when sent; an older refusal of the same product
          {
            channel: 'email',
            productId: 'P_C',
            sentAt: '2025-01-01T00:00:00Z',
            outcome: 'refused',
            outcomeAt: null,
          },
          {
            channel: 'email',
            productId: 'P_C',
            sentAt: '2024-01-01T00:00:00Z',
            outcome: 'refused',
            outcomeAt: null,
          },
          // exactly 30 days before now: outside (now − 30 d, now]
          {
            channel: 'email',
            productId: 'P_D',
            sentAt: '2026-05-02T09:00:00Z',
            outcome: 'no_response',
            outcomeAt: null,
          },
          // sent after now: ignored entirely
          {
            channel: 'email',
            productId: 'P_E',
            sentAt: '2026-06-05T00:00:00Z',
            outcome: 'refused',
            outcomeAt: null,
          },
          { channel: null, productId: null, sentAt: null, outcome: null, outcomeAt: null },
        ],
      }),
      NOW,
      30,
    );
    expect(live.advisorId).toBe('A1');
    const s = live.state;
    expect([...s.heldProducts].sort()).toEqual(['P_CLOSES_LATER', 'P_OPEN']);
    expect([...s.consents]).toEqual([
      ['email', 'refused'],
      ['sms', 'granted'],
    ]);
    expect(s.pastContacts).toEqual([
      { at: Date.parse('2026-05-20T10:00:00Z'), channel: 'email' },
      { at: Date.parse('2026-05-31T10:00:00Z'), channel: 'sms' },
    ]);
    expect([...s.lastRefusalAt].sort()).toEqual([
      ['P_B', NOW],
      ['P_C', Date.parse('2025-01-01T00:00:00Z')],
    ]);
    expect(NOW - 30 * DAY).toBe(Date.parse('2026-05-02T09:00:00Z'));
  });

  it('takes the consent in force at now from the decision the graph keeps and its history', () => {
    const consents: StateRow['consents'] = [
      // ingested: granted, then refused after now; the graph keeps the latest (refused)
      {
        channel: 'email',
        status: 'refused',
        at: '2026-07-01T00:00:00Z',
        history: ['2026-01-01T00:00:00Z|granted', '2026-07-01T00:00:00Z|refused'],
      },
      // set through the API (setConsent) after an ingested refusal: not in the history
      {
        channel: 'sms',
        status: 'granted',
        at: '2026-05-30T12:00:00Z',
        history: ['2025-01-01T00:00:00Z|refused'],
      },
      // two decisions the same instant: the one the graph keeps wins
      {
        channel: 'phone',
        status: 'refused',
        at: '2026-05-01T00:00:00Z',
        history: ['2026-05-01T00:00:00Z|granted', '2026-05-01T00:00:00Z|refused'],
      },
      // a history entry with an unknown status is passed over
      { channel: 'branch', status: 'granted', at: '2026-01-01T00:00:00Z', history: ['2026-02-01|maybe'] },
    ];
    const at = (now: number) => [...toLiveClient('C1', row({ consents }), now, 30).state.consents].sort();
    expect(at(NOW)).toEqual([
      ['branch', 'granted'],
      ['email', 'granted'],
      ['phone', 'refused'],
      ['sms', 'granted'],
    ]);
    expect(at(Date.parse('2026-07-02T00:00:00Z'))).toContainEqual(['email', 'refused']);
    expect(at(Date.parse('2025-06-01T00:00:00Z'))).toEqual([['sms', 'refused']]);
  });

  it('defaults a missing risk profile to unknown and fragility to false', () => {
    const s = toLiveClient(
      'C2',
      row({ client: { birthYear: 1990, segment: 'young' }, advisorId: null }),
      NOW,
      30,
    );
    expect([s.advisorId, s.state.riskProfile, s.state.financiallyFragile, s.state.segment]).toEqual([
      null,
      'unknown',
      false,
      'young',
    ]);
  });

  it.each([
    ['no birth year', { segment: 'mass' }, 'birthYear'],
    ['a fractional birth year', { birthYear: 1980.5, segment: 'mass' }, 'birthYear'],
    ['an unknown segment', { birthYear: 1980, segment: 'vip' }, 'segment'],
    ['an unknown risk profile', { birthYear: 1980, segment: 'mass', riskProfile: 'reckless' }, 'riskProfile'],
    [
      'a fragility that is not a boolean',
      { birthYear: 1980, segment: 'mass', financiallyFragile: 'yes' },
      'financiallyFragile',
    ],
  ])('refuses a client with %s, naming the client and the property', (_name, client, property) => {
    let error: unknown;
    try {
      toLiveClient('C7', row({ client }), NOW, 30);
    } catch (e) {
      error = e;
    }
    expect(isNbgError(error)).toBe(true);
    expect((error as Error).message).toContain('client C7');
    expect((error as Error).message).toContain(property);
  });
});
