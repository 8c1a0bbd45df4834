import type { ReactNode } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { createAppStore } from "../store/app-store.js";
import { StoreContext } from "../store/context.js";
import { FakeClient, view } from "../testing/fake-client.js";
import { SidePanel } from "./game/SidePanel.js";
import { LogItemView } from "./game/LogItemView.js";
import { UsageChart } from "./usage/UsageChart.js";
import { layoutBars } from "./usage/chart-layout.js";

function render(node: ReactNode): string {
  const store = createAppStore(new FakeClient());
  return renderToStaticMarkup(<StoreContext value={store}>{node}</StoreContext>);
}

describe("components", () => {
  it("show a character's words under the character's name", () => {
    const html = render(
      <LogItemView
        item={{ kind: "entry", key: "t1", entry: { turn: 1, input: "greet Mira", parts: [{ kind: "narration", text: "She looks up.\n\nThe fire cracks." }, { kind: "dialogue", npc: "mira", name: "Mira", text: "Well met." }] } }}
      />,
    );
    expect(html).toContain('<article class="entry" aria-label="Turn 1">');
    expect(html).toContain('<span class="visually-hidden">You: </span>greet Mira');
    expect(html).toContain('<p class="narration">She looks up.</p><p class="narration">The fire cracks.</p>');
    expect(html).toContain('<p class="dialogue"><span class="speaker">Mira</span> Well met.</p>');
  });

  it("show the side panel with door states, mood, equipment apart and the health meter", () => {
    const html = render(<SidePanel view={view({ hp: 2 })} />);
    expect(html).toContain('aria-label="Your situation"');
    expect(html).toContain('<span class="door door-locked">locked</span>');
    expect(html).toContain('<span class="mood">wary</span>');
    expect(html).toMatch(/id="side-equipment">Equipment<\/h3><ul class="items" aria-labelledby="side-equipment"><li>a knife<\/li><\/ul>/);
    expect(html).toContain('role="meter"');
    expect(html).toContain('aria-valuetext="2 of 10"');
    expect(html).toContain("hp-critical");
  });

  it("chart usage with bars scaled to the busiest hour and the figures as a table", () => {
    const series = [
      { hour: "2025-01-01T10:00:00.000Z", calls: 4, costUsd: 0 },
      { hour: "2025-01-01T11:00:00.000Z", calls: 0, costUsd: 0 },
      { hour: "2025-01-01T12:00:00.000Z", calls: 8, costUsd: 0.02 },
    ];
    const html = render(<UsageChart series={series} />);
    expect(html.match(/<rect /g)).toHaveLength(3);
    expect(html.match(/<th scope="row">/g)).toHaveLength(3);
    const bars = layoutBars([4, 0, 8], { width: 300, height: 100, gap: 0, maxBar: 200 });
    expect(bars.map(b => b.height)).toEqual([50, 0, 100]);
    expect(bars.map(b => b.x)).toEqual([0, 100, 200]);
    // One hour is one bar, not a slab across the chart.
    expect(layoutBars([3], { width: 300, height: 100, gap: 4, maxBar: 40 })).toEqual([{ x: 2, y: 0, width: 40, height: 100 }]);
  });
});
