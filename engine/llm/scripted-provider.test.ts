import { describe, expect, it } from "vitest";
import { LlmError } from "./errors.js";
import type { CompletionRequest } from "./provider.js";
import { fail, hang, say, ScriptedProvider, streamed, VirtualTime } from "./scripted-provider.js";

const request = (over: Partial<CompletionRequest> = {}): CompletionRequest => ({
  messages: [{ role: "user", content: "12345678" }],
  temperature: 0.5,
  maxTokens: 100,
  ...over,
});

describe("ScriptedProvider", () => {
  it("plays its script in order and records the requests", async () => {
    const provider = new ScriptedProvider({ id: "local:test", script: [say("one"), say("two", { model: "other" })] });
    expect(await provider.complete(request())).toEqual({ text: "one", finishReason: "stop", usage: { inputTokens: 2, outputTokens: 1 }, model: "local:test" });
    expect((await provider.complete(request())).model).toBe("other");
    expect(provider.requests).toHaveLength(2);
    await expect(provider.complete(request())).rejects.toMatchObject({ kind: "invalid-request" });
  });

  it("repeats its `then` outcome once the script is used up", async () => {
    const provider = new ScriptedProvider({ then: say("again"), recordRequests: false });
    expect((await provider.complete(request())).text).toBe("again");
    expect((await provider.complete(request())).text).toBe("again");
    expect(provider.requests).toHaveLength(0);
  });

  it("counts a token per four characters and reports context size and prices", async () => {
    const provider = new ScriptedProvider({ contextSize: 512, pricing: { inputPerMillion: 1e6, outputPerMillion: 2e6 }, script: [say("abcdefgh")] });
    expect(provider.countTokens("")).toBe(0);
    expect(provider.countTokens("abcde")).toBe(2);
    expect(provider.contextSize()).toBe(512);
    expect((await provider.complete(request())).costUsd).toBe(2 + 2 * 2);
  });

  it("streams chunks with delays on the injected clock, then may fail", async () => {
    const time = new VirtualTime();
    const start = time.now();
    const provider = new ScriptedProvider({ sleep: time.sleep, script: [streamed([{ text: "a", delayMs: 100 }, { text: "b", delayMs: 50 }]), streamed(["x"], new LlmError("network", "reset"))] });
    const tokens: string[] = [];
    const result = await time.run(provider.complete(request({ onToken: t => tokens.push(t) })));
    expect(result.text).toBe("ab");
    expect(tokens).toEqual(["a", "b"]);
    expect(time.now() - start).toBe(150);
    await expect(time.run(provider.complete(request({ onToken: t => tokens.push(t) })))).rejects.toMatchObject({ kind: "network" });
    expect(tokens).toEqual(["a", "b", "x"]);
  });

  it("throws scripted errors", async () => {
    const provider = new ScriptedProvider({ script: [fail("rate-limit", { retryAfterMs: 1000 })] });
    await expect(provider.complete(request())).rejects.toMatchObject({ kind: "rate-limit", retryAfterMs: 1000 });
  });

  it("hangs until aborted, or for ever when told to ignore aborts", async () => {
    const provider = new ScriptedProvider({ script: [hang(), hang(true)] });
    const controller = new AbortController();
    const first = provider.complete(request({ signal: controller.signal }));
    controller.abort();
    await expect(first).rejects.toMatchObject({ kind: "aborted" });
    const second = new AbortController();
    let settled = false;
    void provider.complete(request({ signal: second.signal })).finally(() => (settled = true));
    second.abort();
    await new Promise(resolve => setTimeout(resolve, 10));
    expect(settled).toBe(false);
  });

  it("stops a delayed stream when aborted", async () => {
    const time = new VirtualTime();
    const provider = new ScriptedProvider({ sleep: time.sleep, script: [streamed([{ text: "a", delayMs: 10 }, { text: "b", delayMs: 1000 }])] });
    const controller = new AbortController();
    const tokens: string[] = [];
    const call = provider.complete(request({ signal: controller.signal, onToken: t => (tokens.push(t), controller.abort()) }));
    await expect(time.run(call)).rejects.toMatchObject({ kind: "aborted" });
    expect(tokens).toEqual(["a"]);
  });

  it("can end a cancelled call as the local provider does, with the text so far", async () => {
    const time = new VirtualTime();
    const provider = new ScriptedProvider({ sleep: time.sleep, onAbort: "finish", script: [streamed([{ text: "a", delayMs: 10 }, { text: "b", delayMs: 1000 }])] });
    const controller = new AbortController();
    const call = provider.complete(request({ signal: controller.signal, onToken: () => controller.abort() }));
    expect(await time.run(call)).toMatchObject({ text: "a", finishReason: "aborted" });
  });

  it("marks itself disposed", async () => {
    const provider = new ScriptedProvider();
    await provider.dispose();
    expect(provider.disposed).toBe(true);
  });
});

describe("VirtualTime", () => {
  it("fires timers in order as the clock advances", async () => {
    const time = new VirtualTime(0);
    const fired: number[] = [];
    void time.sleep(30).then(() => fired.push(30));
    void time.sleep(10).then(() => fired.push(10));
    time.advance(20);
    await Promise.resolve();
    expect(fired).toEqual([10]);
    expect(time.now()).toBe(20);
    expect(time.pending).toBe(1);
  });

  it("cancels an aborted sleep", async () => {
    const time = new VirtualTime(0);
    const controller = new AbortController();
    const sleeping = time.sleep(10, controller.signal);
    controller.abort(new Error("no"));
    await expect(sleeping).rejects.toThrow("no");
    expect(time.pending).toBe(0);
  });

  it("refuses to drive a promise that waits on something else", async () => {
    const time = new VirtualTime(0);
    await expect(time.run(new Promise(() => undefined))).rejects.toThrow(/other than virtual time/);
  });
});
