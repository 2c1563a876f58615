import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { progress } from '../../src/cli/progress.js';

/** A stream that keeps what is written, a terminal or not. */
function sink(isTTY: boolean): { stream: NodeJS.WriteStream; text: () => string } {
  const chunks: string[] = [];
  const w = new Writable({
    write(chunk, _enc, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  return {
    stream: Object.assign(w, { isTTY }) as unknown as NodeJS.WriteStream,
    text: () => chunks.join(''),
  };
}

describe('progress', () => {
  it('draws a bar on a terminal', () => {
    const out = sink(true);
    const bar = progress({
      label: 'writing',
      total: 4,
      stream: out.stream,
      settings: { progress: true, ci: false },
    });
    bar.set(2);
    bar.done();
    expect(out.text()).toMatch(/^\rwriting \[#{12}\.{12}\] 2\/4 rows /);
    expect(out.text().endsWith('\n')).toBe(true);
  });

  it('prints plain lines in CI, even on a terminal', () => {
    const out = sink(true);
    const bar = progress({
      label: 'writing',
      total: 4,
      stream: out.stream,
      settings: { progress: true, ci: true },
    });
    bar.set(4);
    bar.done('ok');
    expect(out.text()).toMatch(/^writing: 4\/4 rows \(.*\/s, .*s\)\nwriting: 4\/4 rows .*\nok\n$/);
    expect(out.text()).not.toContain('\r');
  });

  it('prints nothing when NBG_PROGRESS=0, not even the final message', () => {
    const out = sink(true);
    const bar = progress({ label: 'writing', stream: out.stream, settings: { progress: false, ci: false } });
    bar.tick(10);
    bar.done('ok');
    expect(out.text()).toBe('');
  });

  it('reads NBG_PROGRESS and CI from the environment by default', () => {
    const saved = { p: process.env.NBG_PROGRESS };
    process.env.NBG_PROGRESS = '0';
    try {
      const out = sink(false);
      progress({ label: 'x', stream: out.stream }).done('ok');
      expect(out.text()).toBe('');
    } finally {
      if (saved.p === undefined) delete process.env.NBG_PROGRESS;
      else process.env.NBG_PROGRESS = saved.p;
    }
  });
});
