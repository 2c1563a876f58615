import { describe, expect, it } from 'vitest';
import {
  boolCell,
  dateCell,
  idCell,
  intCell,
  monthCell,
  numberCell,
  optional,
  propensityCell,
  timestampCell,
} from '../../src/domain/cells.js';
import { CONTRACT_FILES, solicitationsSpec } from '../../src/domain/contract.js';

describe('contract cells', () => {
  it.each([
    [timestampCell, '2025-03-14T09:30:00Z', '2025-03-14T09:30:00.000Z'],
    [timestampCell, '2025-03-14T10:30:00+01:00', '2025-03-14T09:30:00.000Z'],
    [timestampCell, '2025-03-14T09:30Z', '2025-03-14T09:30:00.000Z'],
    [dateCell, '2024-02-29', '2024-02-29'],
    [monthCell, '2025-12', '2025-12'],
    [intCell(1, 5), '3', 3],
    [numberCell(), '-1.5e3', -1500],
    [boolCell, 'false', false],
    [propensityCell, '1', 1],
    [optional(intCell(0, 10)), '', undefined],
    [idCell, 'P_LIVRET_A', 'P_LIVRET_A'],
  ] as const)('parses %#: %s', (schema, text, value) => {
    expect(schema.parse(text)).toEqual(value);
  });

  it.each([
    [timestampCell, '2025-03-14 09:30:00', /ISO 8601/],
    [timestampCell, '2025-03-14T09:30:00', /ISO 8601/], // no zone: ambiguous
    [timestampCell, '2025-02-30T09:30:00Z', /ISO 8601/],
    [dateCell, '2023-02-29', /YYYY-MM-DD/],
    [monthCell, '2025-13', /YYYY-MM/],
    [intCell(1, 5), '6', /at most 5/],
    [intCell(1, 5), '2.5', /integer/],
    [numberCell(), 'NaN', /number/],
    [boolCell, 'TRUE', /true or false/],
    [propensityCell, '0', /above 0/],
    [propensityCell, '1.0001', /at most 1/],
    [idCell, 'has space', /expected an id/],
    [optional(propensityCell), '0', /above 0/],
    [optional(dateCell), '2025-13-01', /YYYY-MM-DD/],
  ] as const)('refuses %#: %s', (schema, text, msg) => {
    const r = schema.safeParse(text);
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toMatch(msg);
  });

  it('derives optional columns from the schemas', () => {
    expect(solicitationsSpec.optionalColumns).toEqual(['campaign_id', 'logging_propensity', 'outcome_at']);
    expect(CONTRACT_FILES.filter((s) => s.required).map((s) => s.file)).toEqual([
      'clients.csv',
      'products.csv',
      'channels.csv',
    ]);
  });
});
