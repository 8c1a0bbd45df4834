import { describe, expect, it } from "vitest";
import { CircuitBreaker, CircuitPolicy, countsAgainstModel } from "./circuit-breaker.js";

function setup() {
  let now = 0;
  const clock = { now: () => now };
  const policy = CircuitPolicy.parse({});
  return { breaker: new CircuitBreaker(clock), policy, advance: (ms: number) => (now += ms) };
}

describe("CircuitBreaker", () => {
  it("defaults to 3 failures and a 30 s cool-down", () => {
    expect(CircuitPolicy.parse({})).toEqual({ failureThreshold: 3, cooldownMs: 30_000 });
  });

  it("opens after N consecutive failures", () => {
    const { breaker, policy } = setup();
    breaker.onFailure(policy);
    breaker.onFailure(policy);
    expect(breaker.state(policy)).toBe("closed");
    expect(breaker.tryAcquire(policy)).toBe(true);
    breaker.onFailure(policy);
    expect(breaker.state(policy)).toBe("open");
    expect(breaker.tryAcquire(policy)).toBe(false);
  });

  it("forgets failures on a success", () => {
    const { breaker, policy } = setup();
    breaker.onFailure(policy);
    breaker.onFailure(policy);
    breaker.onSuccess();
    breaker.onFailure(policy);
    breaker.onFailure(policy);
    expect(breaker.state(policy)).toBe("closed");
  });

  it("goes half-open after the cool-down, allowing exactly one probe", () => {
    const { breaker, policy, advance } = setup();
    for (let i = 0; i < 3; i++) breaker.onFailure(policy);
    advance(29_999);
    expect(breaker.tryAcquire(policy)).toBe(false);
    advance(1);
    expect(breaker.state(policy)).toBe("half-open");
    expect(breaker.tryAcquire(policy)).toBe(true);
    expect(breaker.tryAcquire(policy)).toBe(false);
  });

  it("closes when the probe succeeds", () => {
    const { breaker, policy, advance } = setup();
    for (let i = 0; i < 3; i++) breaker.onFailure(policy);
    advance(30_000);
    breaker.tryAcquire(policy);
    breaker.onSuccess();
    expect(breaker.state(policy)).toBe("closed");
    expect(breaker.tryAcquire(policy)).toBe(true);
  });

  it("opens again for a whole cool-down when the probe fails", () => {
    const { breaker, policy, advance } = setup();
    for (let i = 0; i < 3; i++) breaker.onFailure(policy);
    advance(30_000);
    breaker.tryAcquire(policy);
    breaker.onFailure(policy);
    expect(breaker.state(policy)).toBe("open");
    advance(29_999);
    expect(breaker.tryAcquire(policy)).toBe(false);
    advance(1);
    expect(breaker.tryAcquire(policy)).toBe(true);
  });

  it("gives a neutral probe's turn back", () => {
    const { breaker, policy, advance } = setup();
    for (let i = 0; i < 3; i++) breaker.onFailure(policy);
    advance(30_000);
    expect(breaker.tryAcquire(policy)).toBe(true);
    breaker.onNeutral();
    expect(breaker.tryAcquire(policy)).toBe(true);
  });

  it("does not hold the caller's cancellations or a too-long prompt against a model", () => {
    expect(countsAgainstModel("aborted")).toBe(false);
    expect(countsAgainstModel("context-overflow")).toBe(false);
    expect(countsAgainstModel("invalid-request")).toBe(false);
    expect(countsAgainstModel("server")).toBe(true);
    expect(countsAgainstModel("auth")).toBe(true);
    expect(countsAgainstModel("malformed-output")).toBe(true);
  });
});
