import { describe, expect, it } from "vitest";
import { benchRouter, ROUTER_OVERHEAD_GOAL_P99_US } from "./router.js";

describe("bench/router", () => {
  it("reports router and direct percentiles in microseconds", async () => {
    const result = await benchRouter({ calls: 300, warmup: 50 });
    expect(result).toMatchObject({ benchmark: "router-overhead", calls: 300, goalP99Us: ROUTER_OVERHEAD_GOAL_P99_US });
    for (const figure of [result.direct, result.router]) {
      expect(figure.p50Us).toBeGreaterThan(0);
      expect(figure.p99Us).toBeGreaterThanOrEqual(figure.p50Us);
    }
    expect(result.overhead.p50Us).toBeCloseTo(result.router.p50Us - result.direct.p50Us, 1);
  });
});
