import { describe, expect, it } from "vitest";
import { LlmError } from "../errors.js";
import { CallRunner, estimateTokens, priceCost, readKey, Semaphore } from "./cloud.js";

describe("Semaphore", () => {
  it("grants slots up to its limit, then in arrival order as slots come back", async () => {
    const slots = new Semaphore(2);
    const never = new AbortController().signal;
    const first = await slots.acquire(never);
    const second = await slots.acquire(never);
    const order: string[] = [];
    const third = slots.acquire(never).then((release) => { order.push("third"); return release; });
    const fourth = slots.acquire(never).then((release) => { order.push("fourth"); return release; });
    await Promise.resolve();
    expect(order).toEqual([]);
    first();
    first();
    (await third)();
    second();
    await fourth;
    expect(order).toEqual(["third", "fourth"]);
  });

  it("drops a waiter whose signal fires, without losing its place for others", async () => {
    const slots = new Semaphore(1);
    const never = new AbortController().signal;
    const held = await slots.acquire(never);
    const giveUp = new AbortController();
    const quitter = slots.acquire(giveUp.signal);
    const patient = slots.acquire(never);
    giveUp.abort();
    await expect(quitter).rejects.toBeDefined();
    held();
    await expect(patient).resolves.toBeTypeOf("function");
  });
});

describe("CallRunner", () => {
  const classify = (error: unknown, halt: string | undefined): LlmError =>
    new LlmError(halt === "timeout" ? "timeout" : halt === "aborted" ? "aborted" : "server", String(error));

  it("halts a call at its deadline and says so to the classifier", async () => {
    const runner = new CallRunner({ env: {}, timeoutMs: 50 });
    const call = runner.run(undefined, (control) => new Promise((_, reject) => {
      control.signal.addEventListener("abort", () => reject(new Error("stopped")));
    }), classify);
    await expect(call).rejects.toMatchObject({ kind: "timeout" });
  });

  it("passes results through and classifies failures that were not halts", async () => {
    const runner = new CallRunner({ env: {} });
    await expect(runner.run(undefined, async () => 42, classify)).resolves.toBe(42);
    await expect(runner.run(undefined, async () => { throw new Error("boom"); }, classify)).rejects.toMatchObject({ kind: "server" });
  });
});

describe("helpers", () => {
  it("estimates four characters a token", () => {
    expect(estimateTokens("")).toBe(0);
    expect(estimateTokens("abcd")).toBe(1);
    expect(estimateTokens("abcde")).toBe(2);
  });

  it("prices per million tokens", () => {
    expect(priceCost({ inputPerMillion: 3, outputPerMillion: 15 }, { inputTokens: 1_000_000, outputTokens: 100_000 })).toBeCloseTo(4.5, 12);
  });

  it("treats blank keys as missing", () => {
    expect(readKey({ K: " abc " }, "K")).toBe("abc");
    expect(readKey({ K: "   " }, "K")).toBeUndefined();
    expect(readKey({}, "K")).toBeUndefined();
  });
});
