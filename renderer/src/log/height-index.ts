/**
 * Heights of the story log's entries, measured where they have been rendered and estimated
 * elsewhere, with prefix sums to turn a scroll offset into an entry index by binary search. This
 * is what lets the log render only the entries near the viewport however long the story gets.
 */
export class HeightIndex {
  readonly #estimate: number;
  #heights: number[] = [];
  /** #prefix[i] is the top of entry i; #prefix[count] the total. Rebuilt lazily after changes. */
  #prefix: Float64Array = new Float64Array(1);
  #dirty = false;

  constructor(estimate: number) {
    this.#estimate = estimate;
  }

  get count(): number {
    return this.#heights.length;
  }

  /** Grows (new entries get the estimate) or shrinks to `count` entries. */
  resize(count: number): void {
    if (count === this.#heights.length) return;
    if (count < this.#heights.length) this.#heights.length = count;
    else while (this.#heights.length < count) this.#heights.push(this.#estimate);
    this.#dirty = true;
  }

  /** Records a measured height; true when it differs from what was assumed. */
  set(index: number, height: number): boolean {
    if (index < 0 || index >= this.#heights.length || this.#heights[index] === height) return false;
    this.#heights[index] = height;
    this.#dirty = true;
    return true;
  }

  /** Forgets every measurement, as when the width changes and text reflows. */
  reset(): void {
    this.#heights.fill(this.#estimate);
    this.#dirty = true;
  }

  total(): number {
    return this.#sums()[this.#heights.length] ?? 0;
  }

  /** The top of entry `index`, from the top of the first. */
  offsetOf(index: number): number {
    const sums = this.#sums();
    return sums[Math.max(0, Math.min(index, this.#heights.length))] ?? 0;
  }

  /** The entry covering `offset`, clamped to the entries there are. */
  indexAt(offset: number): number {
    const sums = this.#sums();
    const count = this.#heights.length;
    if (count === 0) return 0;
    let low = 0;
    let high = count - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((sums[mid] ?? 0) <= offset) low = mid;
      else high = mid - 1;
    }
    return low;
  }

  #sums(): Float64Array {
    if (!this.#dirty && this.#prefix.length === this.#heights.length + 1) return this.#prefix;
    const sums = new Float64Array(this.#heights.length + 1);
    for (let i = 0; i < this.#heights.length; i++) sums[i + 1] = (sums[i] ?? 0) + (this.#heights[i] ?? 0);
    this.#prefix = sums;
    this.#dirty = false;
    return sums;
  }
}

export interface LogWindow {
  /** First entry to render. */
  readonly start: number;
  /** One past the last entry to render. */
  readonly end: number;
  /** Space standing in for the entries above and below the window. */
  readonly padTop: number;
  readonly padBottom: number;
}

/**
 * The entries to render for a viewport at `scrollTop`, `viewport` pixels high, with `overscan`
 * pixels of entries beyond each edge so that scrolling does not show gaps before the next render.
 */
export function logWindow(index: HeightIndex, scrollTop: number, viewport: number, overscan: number): LogWindow {
  const count = index.count;
  if (count === 0) return { start: 0, end: 0, padTop: 0, padBottom: 0 };
  const start = index.indexAt(Math.max(0, scrollTop - overscan));
  const end = Math.min(count, index.indexAt(scrollTop + viewport + overscan) + 1);
  const total = index.total();
  return { start, end, padTop: index.offsetOf(start), padBottom: total - index.offsetOf(end) };
}
