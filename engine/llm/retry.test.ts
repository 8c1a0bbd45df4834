import { describe, expect, it } from "vitest";
import { LlmError, type LlmErrorKind } from "./errors.js";
import { retryDelay, RetryPolicy, systemSleep } from "./retry.js";

const policy = RetryPolicy.parse({});
const error = (kind: LlmErrorKind, retryAfterMs?: number): LlmError =>
  new LlmError(kind, kind, retryAfterMs === undefined ? {} : { retryAfterMs });

describe("retryDelay", () => {
  it("retries rate limits, server errors, timeouts and network errors", () => {
    for (const kind of ["rate-limit", "server", "timeout", "network"] as const) expect(retryDelay(error(kind), 1, policy, () => 0.5)).toBeDefined();
  });

  it("never retries what will not pass by itself", () => {
    for (const kind of ["auth", "invalid-request", "context-overflow", "aborted", "malformed-output", "model-file", "out-of-memory", "unavailable"] as const) {
      expect(retryDelay(error(kind), 1, policy, () => 0.5)).toBeUndefined();
    }
  });

  it("stops at the maximum number of attempts", () => {
    expect(retryDelay(error("server"), 2, policy, () => 0.5)).toBeDefined();
    expect(retryDelay(error("server"), 3, policy, () => 0.5)).toBeUndefined();
    expect(retryDelay(error("server"), 1, { ...policy, maxAttempts: 1 }, () => 0.5)).toBeUndefined();
  });

  it("waits with full jitter under an exponential ceiling", () => {
    const p = { maxAttempts: 10, baseDelayMs: 100, maxDelayMs: 1000, maxRetryAfterMs: 5000 };
    expect(retryDelay(error("server"), 1, p, () => 0)).toBe(0);
    expect(retryDelay(error("server"), 1, p, () => 0.999)).toBe(99);
    expect(retryDelay(error("server"), 2, p, () => 0.999)).toBe(199);
    expect(retryDelay(error("server"), 3, p, () => 0.5)).toBe(200);
    // capped
    expect(retryDelay(error("server"), 8, p, () => 0.999)).toBe(999);
    for (let attempt = 1; attempt < 10; attempt++) {
      for (const r of [0, 0.1, 0.5, 0.9, 0.9999]) {
        const delay = retryDelay(error("network"), attempt, p, () => r)!;
        expect(delay).toBeGreaterThanOrEqual(0);
        expect(delay).toBeLessThan(Math.min(p.maxDelayMs, p.baseDelayMs * 2 ** (attempt - 1)));
      }
    }
  });

  it("honours Retry-After up to the cap, and gives up on the model beyond it", () => {
    expect(retryDelay(error("rate-limit", 3000), 1, policy, () => 0.5)).toBe(3000);
    expect(retryDelay(error("rate-limit", policy.maxRetryAfterMs), 1, policy, () => 0.5)).toBe(policy.maxRetryAfterMs);
    expect(retryDelay(error("rate-limit", policy.maxRetryAfterMs + 1), 1, policy, () => 0.5)).toBeUndefined();
  });
});

describe("systemSleep", () => {
  it("waits, and rejects at once when aborted", async () => {
    await systemSleep(1);
    const controller = new AbortController();
    const sleeping = systemSleep(60_000, controller.signal);
    controller.abort(new Error("stop"));
    await expect(sleeping).rejects.toThrow("stop");
    await expect(systemSleep(10, controller.signal)).rejects.toThrow("stop");
  });
});
