/**
 * The holdings of one client over time: each entry a product, an opening day and a closing day
 * (NaN: still open). Reused across clients (reset()), a handful of entries each.
 */
export class HoldingBook {
  readonly product: number[] = [];
  readonly opened: number[] = [];
  readonly closed: number[] = [];

  reset(): void {
    this.product.length = 0;
    this.opened.length = 0;
    this.closed.length = 0;
  }

  add(product: number, opened: number, closed: number): void {
    this.product.push(product);
    this.opened.push(opened);
    this.closed.push(closed);
  }

  get size(): number {
    return this.product.length;
  }

  /** Opening day of the holding of `product` open at day t (opened <= t < closed), or undefined. */
  openedOn(product: number, t: number): number | undefined {
    for (let i = 0; i < this.product.length; i++) {
      if (this.product[i] !== product) continue;
      const o = this.opened[i]!;
      const c = this.closed[i]!;
      if (o <= t && !(c <= t)) return o;
    }
    return undefined;
  }

  held(product: number, t: number): boolean {
    return this.openedOn(product, t) !== undefined;
  }

  /** Term in days (closed - opened) of the holding open at t; Infinity when open-ended. */
  termDays(product: number, t: number): number {
    for (let i = 0; i < this.product.length; i++) {
      if (this.product[i] !== product) continue;
      const o = this.opened[i]!;
      const c = this.closed[i]!;
      if (o <= t && !(c <= t)) return Number.isNaN(c) ? Number.POSITIVE_INFINITY : c - o;
    }
    return Number.POSITIVE_INFINITY;
  }
}
