import { describe, expect, it } from "vitest";
import { DEFAULT_ROUTES, resolveRoutes, RouteOverrides } from "./routes.js";
import { COMPLEXITIES, TASK_TYPES } from "./tasks.js";

describe("routes", () => {
  it("follows DESIGN.md's routing table", () => {
    expect(DEFAULT_ROUTES.narration.routine).toEqual({ slot: "utility", temperature: 0.7, maxTokens: 2048 });
    expect(DEFAULT_ROUTES.narration.moderate.slot).toBe("main");
    expect(DEFAULT_ROUTES.narration.critical.slot).toBe("main");
    expect(DEFAULT_ROUTES["location-description"].routine).toEqual({ slot: "utility", temperature: 0.6, maxTokens: 512 });
    expect(DEFAULT_ROUTES.dialogue.critical).toEqual({ slot: "main", temperature: 0.3, maxTokens: 2048 });
    expect(DEFAULT_ROUTES["rule-judging"].moderate).toEqual({ slot: "cot", temperature: 0.1, maxTokens: 512 });
    expect(DEFAULT_ROUTES["intent-parsing"].routine).toEqual({ slot: "utility", temperature: 0.1, maxTokens: 256 });
    expect(DEFAULT_ROUTES.summarization.routine).toEqual({ slot: "utility", temperature: 0.3, maxTokens: 1536 });
    const content = DEFAULT_ROUTES["content-generation"];
    expect([content.routine.slot, content.moderate.slot, content.critical.slot]).toEqual(["utility", "main", "cot"]);
    for (const complexity of COMPLEXITIES) {
      expect(content[complexity].temperature).toBeGreaterThanOrEqual(0.7);
      expect(content[complexity].temperature).toBeLessThanOrEqual(0.9);
      expect(content[complexity].maxTokens).toBeGreaterThanOrEqual(256);
      expect(content[complexity].maxTokens).toBeLessThanOrEqual(1024);
    }
  });

  it("has a valid cell for every task type and complexity", () => {
    const table = resolveRoutes();
    for (const type of TASK_TYPES) for (const complexity of COMPLEXITIES) expect(table[type][complexity]).toEqual(DEFAULT_ROUTES[type][complexity]);
  });

  it("lets settings override single fields of single cells", () => {
    const table = resolveRoutes({ narration: { critical: { maxTokens: 4096 } }, "rule-judging": { routine: { slot: "main", temperature: 0 } } });
    expect(table.narration.critical).toEqual({ slot: "main", temperature: 0.7, maxTokens: 4096 });
    expect(table.narration.moderate.maxTokens).toBe(2048);
    expect(table["rule-judging"].routine).toEqual({ slot: "main", temperature: 0, maxTokens: 512 });
    expect(table["rule-judging"].critical.slot).toBe("cot");
  });

  it("refuses overrides of unknown cells or fields, and bad values", () => {
    expect(RouteOverrides.safeParse({ poetry: {} }).success).toBe(false);
    expect(RouteOverrides.safeParse({ narration: { epic: {} } }).success).toBe(false);
    expect(RouteOverrides.safeParse({ narration: { routine: { topP: 1 } } }).success).toBe(false);
    expect(RouteOverrides.safeParse({ narration: { routine: { slot: "gpu" } } }).success).toBe(false);
    expect(RouteOverrides.safeParse({ narration: { routine: { temperature: 3 } } }).success).toBe(false);
    expect(RouteOverrides.safeParse({ narration: { routine: { maxTokens: 0 } } }).success).toBe(false);
  });
});
