import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseLauncherLine, startupError, tailLines } from '../../../src/db/embedded/launcher-output.js';
import { ErrorCode } from '../../../src/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'nbg-launcher-output-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('parseLauncherLine', () => {
  it('reads the READY, ERROR and IMPORTED status lines with their JSON', () => {
    expect(
      parseLauncherLine('NBG_NEO4J_READY {"port":7687,"boltUri":"bolt://127.0.0.1:7687","pid":42}'),
    ).toEqual({
      kind: 'READY',
      data: { port: 7687, boltUri: 'bolt://127.0.0.1:7687', pid: 42 },
    });
    expect(parseLauncherLine('NBG_NEO4J_ERROR {"code":"LOCKED","message":"store locked"}  ')).toEqual({
      kind: 'ERROR',
      data: { code: 'LOCKED', message: 'store locked' },
    });
    expect(parseLauncherLine('NBG_NEO4J_IMPORTED {"seconds":12.5,"cpuSeconds":20,"peakRssMb":900}')).toEqual({
      kind: 'IMPORTED',
      data: { seconds: 12.5, cpuSeconds: 20, peakRssMb: 900 },
    });
  });

  it.each([
    ['Neo4j output', '2026-01-01 INFO  Started.'],
    ['an unknown kind', 'NBG_NEO4J_STARTING {"port":1}'],
    ['a status word inside a line', 'log: NBG_NEO4J_READY {"port":1}'],
    ['no JSON object', 'NBG_NEO4J_READY port=1'],
  ])('ignores %s', (_name, line) => {
    expect(parseLauncherLine(line)).toBeUndefined();
  });
});

describe('startupError', () => {
  it.each([
    ['LOCKED', /data directory \/h is locked by another Neo4j instance/, /nbg db stop/],
    ['PORT_IN_USE', /cannot start Neo4j: port 7687 taken/, /--port/],
    [
      'BIND_FAILED',
      /the embedded Neo4j failed to start: port 7687 taken/,
      /see \/h\/launcher.log and \/h\/logs\/debug.log/,
    ],
  ])('%s: SERVICE_UNAVAILABLE with what to do', (code, message, hint) => {
    const e = startupError({ code, message: 'port 7687 taken' }, '/h', '/h/launcher.log');
    expect(e.code).toBe(ErrorCode.SERVICE_UNAVAILABLE);
    expect(e.message).toMatch(message);
    expect(e.hint).toMatch(hint);
  });
});

describe('tailLines', () => {
  it('yields the complete lines appended after the offset, then stops once done and drained', async () => {
    const path = join(dir, 'launcher.log');
    writeFileSync(path, 'before the start\n');
    const from = 'before the start\n'.length;
    let done = false;
    const got: string[] = [];
    const reading = (async () => {
      for await (const line of tailLines(path, from, () => done)) got.push(line);
    })();
    appendFileSync(path, 'one\ntw');
    await new Promise((r) => setTimeout(r, 250));
    appendFileSync(path, 'o\nthree\npartial');
    await new Promise((r) => setTimeout(r, 250));
    done = true;
    await reading;
    expect(got).toEqual(['one', 'two', 'three']);
  });
});
