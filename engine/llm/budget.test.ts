import { describe, expect, it } from "vitest";
import { actualCostUsd, Budget, DAY_MS, estimateCostUsd, isPaid, pricingOf, utcDayStart } from "./budget.js";
import type { ModelSpec } from "./model-spec.js";

const pricing = { inputPerMillion: 2, outputPerMillion: 10 };
const paid: ModelSpec = { provider: "openrouter", model: "big", pricing };
const local: ModelSpec = { provider: "local", file: "a.gguf" };

describe("pricing", () => {
  it("knows local models and unpriced private servers are free, unpriced clouds are paid", () => {
    expect(isPaid(local)).toBe(false);
    expect(isPaid({ provider: "openai-compatible", model: "m", baseUrl: "http://127.0.0.1:11434/v1", apiKeyEnv: "X" })).toBe(false);
    expect(isPaid({ provider: "openai-compatible", model: "m", baseUrl: "http://x/v1", apiKeyEnv: "X", pricing })).toBe(true);
    expect(isPaid({ provider: "gemini", model: "g" })).toBe(true);
    expect(isPaid({ provider: "openrouter", model: "free", pricing: { inputPerMillion: 0, outputPerMillion: 0 } })).toBe(false);
    expect(pricingOf({ provider: "openrouter", model: "x" })).toBeUndefined();
  });

  it("estimates the worst case before a call and takes the provider's word after it", () => {
    expect(estimateCostUsd(paid, 1000, 500)).toBeCloseTo((1000 * 2 + 500 * 10) / 1e6);
    expect(estimateCostUsd(local, 1e6, 1e6)).toBe(0);
    expect(estimateCostUsd({ provider: "gemini", model: "g" }, 1000, 1000)).toBe(0);
    expect(actualCostUsd(paid, { inputTokens: 1000, outputTokens: 100 }, undefined)).toBeCloseTo(0.003);
    expect(actualCostUsd(paid, { inputTokens: 1000, outputTokens: 100 }, 0.5)).toBe(0.5);
  });
});

describe("Budget", () => {
  it("refuses a call that would go over the daily or the session limit", () => {
    const clock = { now: () => Date.UTC(2025, 5, 1, 12) };
    const budget = new Budget({ clock });
    expect(budget.check({}, 100)).toBe("ok");
    expect(budget.check({ dailyUsd: 1 }, 0.5)).toBe("ok");
    budget.record(0.6);
    expect(budget.check({ dailyUsd: 1 }, 0.5)).toBe("daily");
    expect(budget.check({ sessionUsd: 1 }, 0.5)).toBe("session");
    expect(budget.check({ sessionUsd: 1 }, 0.4)).toBe("ok");
    expect(budget.spentToday).toBeCloseTo(0.6);
    expect(budget.spentThisSession).toBeCloseTo(0.6);
  });

  it("starts each UTC day from what the ledger says was spent that day", () => {
    let now = Date.UTC(2025, 5, 1, 23, 59);
    const asked: number[] = [];
    const budget = new Budget({ clock: { now: () => now }, spentSince: day => (asked.push(day), 0.9) });
    expect(budget.check({ dailyUsd: 1 }, 0.2)).toBe("daily");
    budget.record(0.05);
    expect(budget.spentToday).toBeCloseTo(0.95);
    now += 2 * 60_000;
    expect(budget.spentToday).toBeCloseTo(0.9);
    expect(asked).toEqual([Date.UTC(2025, 5, 1), Date.UTC(2025, 5, 2)]);
    expect(budget.spentThisSession).toBeCloseTo(0.05);
  });

  it("finds the UTC day", () => {
    expect(utcDayStart(Date.UTC(2025, 0, 2, 13, 5))).toBe(Date.UTC(2025, 0, 2));
    expect(DAY_MS).toBe(24 * 3600 * 1000);
  });
});
