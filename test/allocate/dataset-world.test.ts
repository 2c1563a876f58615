import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { datasetWorldFromHistory, readDatasetWorld } from '../../src/allocate/dataset-world.js';
import type { ClientState } from '../../src/domain/client-state.js';
import { InputError } from '../../src/errors.js';
import { folderSource, loadHistory } from '../../src/features/index.js';

const NOW = Date.parse('2025-06-01T00:00:00Z');

describe('readDatasetWorld', () => {
  it('reads the client states of the bank-mini fixture at a date', async () => {
    const w = await readDatasetWorld('test/fixtures/bank-mini', NOW);
    expect(w.clients).toHaveLength(20);
    expect(w.products.map((p) => p.id)).toHaveLength(6);
    expect(w.channels.map((c) => c.id)).toEqual(['branch', 'phone', 'email', 'sms', 'app_push']);
    const c1 = w.clients.find((c) => c.id === 'C001')!;
    expect(c1.birthYear).toBe(1953);
    expect(c1.segment).toBe('affluent');
    // the latest consent row wins: email granted in 2024, refused in 2025
    expect(c1.consents.get('email' as never)).toBe('refused');
    expect(c1.consents.get('phone' as never)).toBe('granted');
    // a holding closed in 2023 and reopened in 2024 is held; closed ones are not
    expect([...c1.heldProducts].sort()).toEqual(['P_ASSURANCE_HAB', 'P_COMPTE', 'P_LIVRET_A']);
  });

  it('ignores what happens after the decision date', async () => {
    const early = await readDatasetWorld('test/fixtures/bank-mini', Date.parse('2023-12-01T00:00:00Z'));
    const c1 = early.clients.find((c) => c.id === 'C001')!;
    // consents given in 2024 and the home insurance reopened in 2024 are in the future
    expect(c1.consents.size).toBe(0);
    expect([...c1.heldProducts].sort()).toEqual(['P_COMPTE', 'P_LIVRET_A']);
    expect(c1.pastContacts).toEqual([]);
  });

  it('refuses bad rows with their file, line and column', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nbg-world-'));
    for (const f of ['products.csv', 'channels.csv'])
      copyFileSync(join('test/fixtures/bank-mini', f), join(dir, f));
    writeFileSync(
      join(dir, 'clients.csv'),
      'client_id,birth_year,segment,income_band,region,branch_id,advisor_id,risk_profile,financially_fragile,customer_since\n' +
        'C1,1980,gold,2,Bretagne,B1,A1,balanced,false,2011-02-15\n',
    );
    const p = readDatasetWorld(dir, NOW);
    await expect(p).rejects.toBeInstanceOf(InputError);
    await expect(p).rejects.toMatchObject({
      issues: [{ file: 'clients.csv', line: 2, columnName: 'segment' }],
    });
  });
});

/** A client state with its collections in a canonical order (the readers may list them differently). */
function canonical(c: ClientState) {
  return {
    ...c,
    heldProducts: [...c.heldProducts].sort(),
    consents: [...c.consents].sort(),
    pastContacts: c.pastContacts.map((p) => `${p.at}/${p.channel}`).sort(),
    lastRefusalAt: [...c.lastRefusalAt].sort(),
  };
}

describe('datasetWorldFromHistory', () => {
  it.each([
    ['2025-06-01T00:00:00Z', {}, true],
    ['2024-09-15T00:00:00Z', { windowDays: 30 }, false],
  ])('gives the client states readDatasetWorld reads, at %s', async (date, options, everyPart) => {
    const now = Date.parse(date);
    const history = await loadHistory(folderSource('test/fixtures/bank-mini'));
    const fromFiles = await readDatasetWorld('test/fixtures/bank-mini', now, options);
    const fromHistory = await datasetWorldFromHistory('test/fixtures/bank-mini', history, now, options);
    expect(fromHistory.products).toEqual(fromFiles.products);
    expect(fromHistory.channels).toEqual(fromFiles.channels);
    const byId = new Map(fromFiles.clients.map((c) => [c.id, canonical(c)]));
    expect(fromHistory.clients.map((c) => c.id)).toEqual([...byId.keys()].sort());
    for (const c of fromHistory.clients) expect(canonical(c)).toEqual(byId.get(c.id));
    if (!everyPart) return;
    // at that date the fixture exercises every part: refusals, contacts, consents of both kinds
    const all = fromHistory.clients;
    expect(all.some((c) => c.lastRefusalAt.size > 0)).toBe(true);
    expect(all.some((c) => c.pastContacts.length > 0)).toBe(true);
    expect(all.some((c) => [...c.consents.values()].includes('refused'))).toBe(true);
  });
});
