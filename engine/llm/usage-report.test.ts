import { describe, expect, it } from "vitest";
import type { LedgerRow } from "./ledger.js";
import { percentile, usageReport } from "./usage-report.js";

let id = 0;
const row = (over: Partial<LedgerRow>): LedgerRow => ({
  request: id++,
  time: "2025-01-01T00:00:00.000Z",
  taskType: "narration",
  complexity: "routine",
  slot: "utility",
  provider: "local",
  model: "small.gguf",
  inputTokens: 0,
  outputTokens: 0,
  costUsd: 0,
  latencyMs: 0,
  outcome: "ok",
  ...over,
});

describe("usageReport", () => {
  const rows: LedgerRow[] = [
    // utility, local: 10 answered calls with latencies 10..100
    ...Array.from({ length: 10 }, (_, i) => row({ inputTokens: 1000, outputTokens: 100, latencyMs: (i + 1) * 10, taskType: "intent-parsing" })),
    // main, paid cloud: one retry then an answer
    row({ request: 100, slot: "main", provider: "openrouter", model: "big", outcome: "retried", errorKind: "server", latencyMs: 5000 }),
    row({ request: 100, slot: "main", provider: "openrouter", model: "big", inputTokens: 2000, outputTokens: 500, costUsd: 0.01, latencyMs: 800 }),
    // main: skipped on budget, then offline
    row({ request: 101, slot: "main", provider: "openrouter", model: "big", outcome: "skipped:budget-daily" }),
    row({ request: 101, slot: "main", provider: "offline", model: "offline", outcome: "offline" }),
    // a cache hit
    row({ request: 102, slot: "utility", outcome: "cached", taskType: "intent-parsing" }),
    // an aborted run
    row({ request: 103, slot: "main", provider: "openrouter", model: "big", outcome: "error:aborted", errorKind: "aborted", taskType: "dialogue" }),
  ];

  it("counts calls, tokens, cost and latency per slot and per model", () => {
    const report = usageReport(rows, { mainPrimary: { provider: "openrouter", model: "big", pricing: { inputPerMillion: 3, outputPerMillion: 15 } } });
    expect(report.requests).toBe(14);
    const utility = report.bySlot.find(s => s.slot === "utility")!;
    expect(utility).toMatchObject({ calls: 10, ok: 10, failed: 0, cached: 1, skipped: 0, offline: 0, inputTokens: 10_000, outputTokens: 1000, costUsd: 0 });
    expect(utility.latencyP50Ms).toBe(50);
    expect(utility.latencyP95Ms).toBe(100);
    const main = report.bySlot.find(s => s.slot === "main")!;
    expect(main).toMatchObject({ calls: 3, ok: 1, failed: 2, skipped: 1, offline: 1, costUsd: 0.01, latencyP50Ms: 800 });

    const big = report.byModel.find(m => m.model === "big")!;
    expect(big).toMatchObject({ provider: "openrouter", calls: 3, ok: 1, skipped: 1, inputTokens: 2000 });
    expect(report.byModel.some(m => m.model === "offline")).toBe(false);
    expect(report.totals).toMatchObject({ calls: 13, ok: 11, cached: 1, skipped: 1, costUsd: 0.01 });
  });

  it("prices the answered calls at the main slot's primary model", () => {
    const report = usageReport(rows, { mainPrimary: { provider: "openrouter", model: "big", pricing: { inputPerMillion: 3, outputPerMillion: 15 } } });
    // 10 × (1000 in, 100 out) + (2000 in, 500 out) = 12,000 in and 1,500 out
    expect(report.allMain.model).toBe("big");
    expect(report.allMain.costUsd).toBeCloseTo((12_000 * 3 + 1_500 * 15) / 1e6, 10);
    expect(report.allMain.actualCostUsd).toBeCloseTo(0.01);

    expect(usageReport(rows, { mainPrimary: { provider: "local", file: "big.gguf" } }).allMain).toMatchObject({ model: "big.gguf", costUsd: 0 });
    expect(usageReport(rows, { mainPrimary: { provider: "gemini", model: "g" } }).allMain.costUsd).toBeUndefined();
    expect(usageReport(rows, { mainPrimary: undefined }).allMain).toMatchObject({ model: undefined, costUsd: undefined });
  });

  it("counts runs per task type, and how they ended", () => {
    const report = usageReport(rows, { mainPrimary: undefined });
    expect(report.byTaskType.find(t => t.taskType === "intent-parsing")).toEqual({ taskType: "intent-parsing", requests: 11, answered: 11, cached: 1, offline: 0, aborted: 0 });
    expect(report.byTaskType.find(t => t.taskType === "narration")).toEqual({ taskType: "narration", requests: 2, answered: 1, cached: 0, offline: 1, aborted: 0 });
    expect(report.byTaskType.find(t => t.taskType === "dialogue")).toEqual({ taskType: "dialogue", requests: 1, answered: 0, cached: 0, offline: 0, aborted: 1 });
  });

  it("counts the turns that needed a model to understand the player: one intent-parsing request each", () => {
    expect(usageReport(rows, { mainPrimary: undefined }).turnsNeedingModel).toBe(11);
    expect(usageReport([], { mainPrimary: undefined }).turnsNeedingModel).toBe(0);
  });

  it("reports nothing for no rows", () => {
    const report = usageReport([], { mainPrimary: undefined });
    expect(report.requests).toBe(0);
    expect(report.totals.latencyP50Ms).toBeUndefined();
    expect(report.bySlot).toEqual([]);
  });
});

describe("percentile", () => {
  it("uses the nearest rank", () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(values, 0.5)).toBe(50);
    expect(percentile(values, 0.95)).toBe(95);
    expect(percentile(values, 0.99)).toBe(99);
    expect(percentile([7], 0.95)).toBe(7);
    expect(percentile([], 0.5)).toBeUndefined();
  });
});
