import { describe, expect, it } from 'vitest';
import {
  importArgs,
  importResult,
  type OfflineImportInput,
} from '../../../src/db/embedded/offline-import.js';
import { ErrorCode, NbgError } from '../../../src/errors.js';

/** An NbgError with this code, and a message and hint that match. */
const nbgError = (code: ErrorCode, message: RegExp | string, hint?: RegExp) =>
  expect.objectContaining({
    name: NbgError.name,
    code,
    message: typeof message === 'string' ? expect.stringContaining(message) : expect.stringMatching(message),
    ...(hint ? { hint: expect.stringMatching(hint) } : {}),
  });

const input: OfflineImportInput = {
  nodes: [
    { label: 'Client', files: ['/in/node-Client.h.csv', '/in/node-Client.csv'] },
    { label: 'Product', files: ['/in/node-Product.h.csv', '/in/node-Product.csv'] },
  ],
  relationships: [{ type: 'HOLDS', files: ['/in/rel-HOLDS.h.csv', '/in/rel-HOLDS.csv'] }],
  multiline: ['/in/node-Verbatim.csv'],
  report: '/in/report.txt',
};

describe('importArgs', () => {
  it('lists the report, the memory, each node and relationship group (header first) and the multiline files', () => {
    expect(importArgs(input, {})).toEqual([
      '--report',
      '/in/report.txt',
      '--max-memory',
      '512m',
      '--nodes',
      'Client=/in/node-Client.h.csv,/in/node-Client.csv',
      '--nodes',
      'Product=/in/node-Product.h.csv,/in/node-Product.csv',
      '--relationships',
      'HOLDS=/in/rel-HOLDS.h.csv,/in/rel-HOLDS.csv',
      '--multiline',
      '/in/node-Verbatim.csv',
    ]);
    expect(importArgs(input, { maxMemory: '2g' }).slice(2, 4)).toEqual(['--max-memory', '2g']);
  });

  it.each([',', '='])("refuses a file path with '%s' (the importer splits on it)", (c) => {
    const bad = { ...input, nodes: [{ label: 'Client', files: [`/in/a${c}b.csv`] }] };
    expect(() => importArgs(bad, {})).toThrow(nbgError(ErrorCode.INTERNAL, `/in/a${c}b.csv`));
  });
});

describe('importResult', () => {
  it('reads the figures of the IMPORTED line, a negative one as unknown', () => {
    const r = importResult(
      { kind: 'IMPORTED', data: { seconds: 31.5, cpuSeconds: 55.25, peakRssMb: -1 } },
      '/h',
      input,
      '/h/import.log',
    );
    expect(r).toEqual({ seconds: 31.5, cpuSeconds: 55.25, peakRssMb: null });
  });

  it.each([
    {
      name: 'a locked store',
      last: { kind: 'ERROR', data: { code: 'LOCKED', message: 'the store is in use' } } as const,
      code: ErrorCode.SERVICE_UNAVAILABLE,
      message: /offline import into \/h: the store is in use/,
      hint: /nbg db stop.*--no-bulk/,
    },
    {
      name: 'a failed import',
      last: { kind: 'ERROR', data: { code: 'IMPORT_FAILED', message: 'bad header' } } as const,
      code: ErrorCode.INTERNAL,
      message: /failed \(bad header\); the database was left as it was/,
      hint: /see \/h\/import.log and \/in\/report.txt/,
    },
    {
      name: 'no result line',
      last: undefined,
      code: ErrorCode.INTERNAL,
      message: /failed \(exit code 137\)/,
      hint: /--no-bulk/,
    },
  ])('$name: the error says what happened and where to look', (c) => {
    expect(() => importResult(c.last, '/h', input, '/h/import.log', 'exit code 137')).toThrow(
      nbgError(c.code, c.message, c.hint),
    );
  });
});
