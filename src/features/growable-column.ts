type TypedArray =
  | Float64Array
  | Float32Array
  | Int32Array
  | Int16Array
  | Int8Array
  | Uint8Array
  | Uint32Array;

/**
 * A typed array that grows by doubling as values are pushed: the columns in which the record store
 * and the builders collect millions of values without one object per value. `values()` gives the
 * pushed values (a view, no copy).
 */
export class GrowableColumn<T extends TypedArray> {
  private data: T;
  length = 0;

  constructor(private readonly make: (n: number) => T) {
    this.data = make(1024);
  }

  push(v: number): void {
    if (this.length === this.data.length) {
      const next = this.make(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }

  get(i: number): number {
    return this.data[i]!;
  }

  values(): T {
    return this.data.subarray(0, this.length) as T;
  }
}

export const f64 = (): GrowableColumn<Float64Array> => new GrowableColumn((n) => new Float64Array(n));
export const i32 = (): GrowableColumn<Int32Array> => new GrowableColumn((n) => new Int32Array(n));
export const i16 = (): GrowableColumn<Int16Array> => new GrowableColumn((n) => new Int16Array(n));
export const i8 = (): GrowableColumn<Int8Array> => new GrowableColumn((n) => new Int8Array(n));
export const u32 = (): GrowableColumn<Uint32Array> => new GrowableColumn((n) => new Uint32Array(n));
export const u8 = (): GrowableColumn<Uint8Array> => new GrowableColumn((n) => new Uint8Array(n));
