import { describe, expect, it } from "vitest";
import { HeightIndex, logWindow } from "./height-index.js";

function rendered(index: HeightIndex, start: number, end: number): number {
  let sum = 0;
  for (let i = start; i < end; i++) sum += index.offsetOf(i + 1) - index.offsetOf(i);
  return sum;
}

describe("the story log's window", () => {
  it("renders a few dozen of 5,000 entries wherever the reader is", () => {
    const index = new HeightIndex(100);
    index.resize(5000);
    expect(index.total()).toBe(500_000);

    for (const scrollTop of [0, 123_456, 250_000, 499_400]) {
      const range = logWindow(index, scrollTop, 600, 400);
      expect(range.end - range.start).toBeLessThanOrEqual(16);
      // The spacers and the rendered entries add up to the whole log, so the scrollbar is true.
      expect(range.padTop + rendered(index, range.start, range.end) + range.padBottom).toBe(index.total());
      // The viewport is covered.
      expect(range.padTop).toBeLessThanOrEqual(scrollTop);
      expect(index.total() - range.padBottom).toBeGreaterThanOrEqual(Math.min(index.total(), scrollTop + 600));
    }
  });

  it("places entries by their measured heights", () => {
    const index = new HeightIndex(100);
    index.resize(5000);
    for (let i = 0; i < 5000; i++) index.set(i, 40 + (i % 7) * 30);
    const expectedTotal = Array.from({ length: 5000 }, (_, i) => 40 + (i % 7) * 30).reduce((a, b) => a + b, 0);
    expect(index.total()).toBe(expectedTotal);

    const offset = index.offsetOf(3210);
    expect(index.indexAt(offset)).toBe(3210);
    expect(index.indexAt(offset - 1)).toBe(3209);

    const range = logWindow(index, offset, 500, 0);
    expect(range.start).toBe(3210);
    expect(range.padTop).toBe(offset);
  });

  it("shows the end of the log when scrolled to the bottom, and copes with an empty log", () => {
    const index = new HeightIndex(80);
    index.resize(5000);
    const range = logWindow(index, index.total() - 640, 640, 200);
    expect(range.end).toBe(5000);
    expect(range.padBottom).toBe(0);

    expect(logWindow(new HeightIndex(80), 0, 640, 200)).toEqual({ start: 0, end: 0, padTop: 0, padBottom: 0 });
  });

  it("keeps measurements when the log grows and forgets them on reset", () => {
    const index = new HeightIndex(50);
    index.resize(3);
    expect(index.set(1, 200)).toBe(true);
    expect(index.set(1, 200)).toBe(false);
    index.resize(5000);
    expect(index.offsetOf(2)).toBe(250);
    index.reset();
    expect(index.offsetOf(2)).toBe(100);
    index.resize(2);
    expect(index.total()).toBe(100);
  });

  it("finds a window over 5,000 entries quickly", () => {
    const index = new HeightIndex(100);
    index.resize(5000);
    const started = performance.now();
    for (let i = 0; i < 1000; i++) {
      index.set(i % 5000, 90 + (i % 3));
      logWindow(index, (i * 997) % 500_000, 640, 800);
    }
    // A thousand scroll-and-measure steps, each rebuilding the sums: well under a frame each.
    expect((performance.now() - started) / 1000).toBeLessThan(2);
  });
});
