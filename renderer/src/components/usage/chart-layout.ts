/** Bars of the usage chart in SVG user units: pure, so the scaling is testable. */

export interface Bar {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface ChartBox {
  readonly width: number;
  readonly height: number;
  readonly gap: number;
  /** The widest a bar may be, so that a few hours do not make slabs. */
  readonly maxBar: number;
}

/** One bar per value, side by side, scaled so the largest fills the height; zero stays zero. */
export function layoutBars(values: readonly number[], box: ChartBox): Bar[] {
  if (values.length === 0) return [];
  const max = Math.max(...values);
  const slot = Math.min(box.width / values.length, box.maxBar + box.gap);
  const width = Math.max(1, slot - box.gap);
  return values.map((value, i) => {
    const height = max > 0 ? (value / max) * box.height : 0;
    return { x: i * slot + (slot - width) / 2, y: box.height - height, width, height };
  });
}
