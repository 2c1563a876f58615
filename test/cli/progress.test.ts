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

/** What a bar of 4 rows writes when set to 2 and done, on a terminal or not, with these settings. */
function shown(isTTY: boolean, settings: { progress: boolean; ci: boolean }, message?: string): string {
  const out = sink(isTTY);
  const bar = progress({ label: 'writing', total: 4, stream: out.stream, settings });
  bar.set(2);
  bar.done(message);
  return out.text();
}

describe('progress', () => {
  it('draws a bar on a terminal', () => {
    const text = shown(true, { progress: true, ci: false });
    expect(text).toMatch(/^\rwriting \[#{12}\.{12}\] 2\/4 rows /);
    expect(text.endsWith('\n')).toBe(true);
  });

  it('prints plain lines in CI, even on a terminal', () => {
    const text = shown(true, { progress: true, ci: true }, 'ok');
    expect(text).toMatch(/^writing: 2\/4 rows \(.*\/s, .*s\)\nwriting: 2\/4 rows .*\nok\n$/);
    expect(text).not.toContain('\r');
  });

  it('prints nothing when NBG_PROGRESS=0, not even the final message', () => {
    expect(shown(true, { progress: false, ci: false }, 'ok')).toBe('');
  });

  it('reads NBG_PROGRESS and CI from the environment by default', () => {
    const saved = process.env.NBG_PROGRESS;
    process.env.NBG_PROGRESS = '0';
    try {
      const out = sink(false);
      progress({ label: 'x', stream: out.stream }).done('ok');
      expect(out.text()).toBe('');
    } finally {
      if (saved === undefined) delete process.env.NBG_PROGRESS;
      else process.env.NBG_PROGRESS = saved;
    }
  });
});
