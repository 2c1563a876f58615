import type { Highs } from 'highs';
import * as highsModule from 'highs';

type Loader = () => Promise<Highs>;

/**
 * The `highs` package ships an ES module whose default export is the loader, but its type file is
 * read as CommonJS under NodeNext, which types the default import as the module object; accept both.
 */
function loader(): Loader {
  const mod = highsModule as unknown as { default: Loader | { default: Loader } };
  return typeof mod.default === 'function' ? mod.default : mod.default.default;
}

let instance: Promise<Highs> | undefined;

/** The HiGHS WebAssembly runtime, loaded once per process. */
export function loadHighs(): Promise<Highs> {
  if (instance === undefined) instance = loader()();
  return instance;
}
