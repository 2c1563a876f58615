import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.js';
import type { Db } from '../../src/db/executor.js';
import { freshDb, testEnv } from './helpers.js';

let db: Db;
beforeAll(async () => {
  Object.assign(process.env, testEnv());
  db = await freshDb(); // the schema, and no data
});
afterAll(async () => {
  await db.close();
});

describe('nbg analyze on an empty graph', () => {
  it('says the graph has no clients and what to run first, with the exit code of NOT_FOUND and no stack', async () => {
    for (const args of [['analyze', '--no-text'], ['analyze']]) {
      let out = '';
      let err = '';
      const quiet = vi.spyOn(process.stdout, 'write').mockImplementation((s) => {
        out += String(s);
        return true;
      });
      const quietErr = vi.spyOn(process.stderr, 'write').mockImplementation((s) => {
        err += String(s);
        return true;
      });
      let code: number;
      try {
        code = await main(args);
      } finally {
        quiet.mockRestore();
        quietErr.mockRestore();
      }
      expect(code).toBe(1); // exitCodeFor(NOT_FOUND)
      expect(err).toBe('nbg: analyze: the graph has no clients\nhint: run `nbg ingest DIR` first\n');
      expect(out).not.toMatch(/analyzed/);
    }
  });
});
