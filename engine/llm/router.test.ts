import { describe, expect, it } from "vitest";
import { LlmError } from "./errors.js";
import { Ledger, modelName } from "./ledger.js";
import type { ModelSpec, Slot } from "./model-spec.js";
import type { ChatMessage } from "./provider.js";
import { Router, type RouterAnswer, type RouterResult } from "./router.js";
import { fail, hang, say, ScriptedProvider, streamed, VirtualTime, type ScriptedProviderOptions } from "./scripted-provider.js";
import { AppSettings } from "./settings.js";
import { usageReport } from "./usage-report.js";
import type { StreamReset, TaskRequest } from "./tasks.js";

const local = (file: string): ModelSpec => ({ provider: "local", file });
const cloud = (model: string, inputPerMillion = 1_000_000, outputPerMillion = 1_000_000): ModelSpec => ({
  provider: "openrouter",
  model,
  pricing: { inputPerMillion, outputPerMillion },
});

const ask = (content: string): ChatMessage[] => [{ role: "user", content }];
const dialogue = (over: Partial<TaskRequest> = {}): TaskRequest => ({ type: "dialogue", messages: ask("Hello there."), ...over }) as TaskRequest;

function harness(input: Record<string, unknown>, options: { random?: () => number; ledger?: Ledger } = {}) {
  const time = new VirtualTime();
  const ledger = options.ledger ?? Ledger.open(":memory:");
  let settings = AppSettings.parse({ version: 1, ...input });
  const providers = new Map<string, ScriptedProvider>();
  const created: string[] = [];
  const provider = (name: string, extra: Omit<ScriptedProviderOptions, "id" | "sleep"> = {}): ScriptedProvider => {
    const made = new ScriptedProvider({ id: name, sleep: time.sleep, ...extra });
    providers.set(name, made);
    return made;
  };
  const router = new Router({
    settings: () => settings,
    createProvider: (spec: ModelSpec, slot: Slot) => {
      const name = modelName(spec);
      created.push(`${slot}:${name}`);
      return providers.get(name) ?? provider(name, { kind: spec.provider });
    },
    ledger,
    clock: time,
    sleep: time.sleep,
    random: options.random ?? (() => 0.5),
  });
  return {
    time,
    ledger,
    router,
    created,
    provider,
    run: (task: TaskRequest): Promise<RouterResult> => time.run(router.run(task)),
    outcomes: (): string[] => ledger.rows().map(row => `${row.model} ${row.outcome}`),
    setSettings: (next: Record<string, unknown>): void => {
      settings = AppSettings.parse({ version: 1, ...next });
    },
  };
}

function answer(result: RouterResult): RouterAnswer {
  if (!result.ok) throw new Error(`expected an answer, got ${JSON.stringify(result)}`);
  return result;
}

describe("Router: routes and chains", () => {
  it("sends a task to its route's slot with the route's temperature and token limit", async () => {
    const h = harness({ slots: { utility: [local("small.gguf")], main: [local("big.gguf")] } });
    h.provider("small.gguf", { script: [say("look")] });
    const result = answer(await h.run({ type: "intent-parsing", messages: ask("I look around.") }));
    expect(result).toMatchObject({ text: "look", slot: "utility", complexity: "routine", provider: "local", cached: false, attempts: 1, costUsd: 0 });
    const sent = h.created;
    expect(sent).toEqual(["utility:small.gguf"]);
  });

  it("passes the route's settings to the provider, and lets the task override them", async () => {
    const h = harness({ slots: { main: [local("big.gguf")] }, routes: { dialogue: { routine: { temperature: 0.9 } } } });
    const big = h.provider("big.gguf", { then: say("ok") });
    await h.run(dialogue());
    await h.run(dialogue({ temperature: 0.2, maxTokens: 50 }));
    expect(big.requests.map(r => [r.temperature, r.maxTokens])).toEqual([[0.9, 2048], [0.2, 50]]);
  });

  it("detects complexity when the caller does not give it", async () => {
    const h = harness({ slots: { utility: [local("small.gguf")], main: [local("big.gguf")] } });
    h.provider("small.gguf", { then: say("calm") });
    h.provider("big.gguf", { then: say("epic") });
    expect(answer(await h.run({ type: "narration", messages: ask("I sit down.") }))).toMatchObject({ slot: "utility", complexity: "routine" });
    expect(answer(await h.run({ type: "narration", messages: ask("I attack the orc.") }))).toMatchObject({ slot: "main", complexity: "moderate" });
    expect(answer(await h.run({ type: "narration", messages: ask("The boss dies.") }))).toMatchObject({ slot: "main", complexity: "critical" });
    expect(answer(await h.run({ type: "narration", complexity: "routine", messages: ask("The boss dies.") }))).toMatchObject({ slot: "utility" });
  });

  it("tries the chain in order and falls back", async () => {
    const h = harness({ slots: { main: [cloud("primary"), local("second.gguf"), local("third.gguf")] } });
    h.provider("primary", { kind: "openrouter", script: [fail("auth", { message: "bad key" })] });
    h.provider("second.gguf", { script: [fail("model-file", { message: "truncated" })] });
    h.provider("third.gguf", { script: [say("from third")] });
    const result = answer(await h.run(dialogue()));
    expect(result.text).toBe("from third");
    expect(result.attempts).toBe(3);
    expect(result.errors.map(e => [e.model, e.kind])).toEqual([["openrouter:primary", "auth"], ["local:second.gguf", "model-file"]]);
    expect(h.outcomes()).toEqual(["primary fell-back", "second.gguf fell-back", "third.gguf ok"]);
  });

  it("ends offline when every model fails, never throwing", async () => {
    const h = harness({ slots: { main: [local("a.gguf"), local("b.gguf")] } });
    h.provider("a.gguf", { script: [fail("out-of-memory")] });
    h.provider("b.gguf", { script: [fail("malformed-output")] });
    const result = await h.run(dialogue());
    expect(result).toMatchObject({ ok: false, offline: true, aborted: false, slot: "main" });
    expect(result.errors.map(e => e.kind)).toEqual(["out-of-memory", "malformed-output"]);
    expect(h.outcomes()).toEqual(["a.gguf fell-back", "b.gguf error:malformed-output", "offline offline"]);
  });

  it("is offline at once for a slot without models", async () => {
    const h = harness({});
    const result = await h.run(dialogue());
    expect(result).toMatchObject({ ok: false, offline: true, errors: [{ model: "offline", kind: "unavailable", skipped: true }] });
    expect(h.outcomes()).toEqual(["offline offline"]);
  });

  it("treats a provider's unexpected exception as a server failure", async () => {
    const h = harness({ slots: { main: [local("a.gguf"), local("b.gguf")] }, defaults: { retries: { maxAttempts: 1 } } });
    const a = h.provider("a.gguf");
    a.complete = () => Promise.reject(new TypeError("undefined is not a function"));
    h.provider("b.gguf", { script: [say("fine")] });
    const result = answer(await h.run(dialogue()));
    expect(result.errors[0]).toMatchObject({ kind: "server", message: expect.stringContaining("undefined is not a function") });
  });

  it("falls back when a provider cannot even be created", async () => {
    const time = new VirtualTime();
    const ledger = Ledger.open(":memory:");
    let attempts = 0;
    const settings = AppSettings.parse({ version: 1, slots: { main: [local("missing.gguf"), local("ok.gguf")] } });
    const router = new Router({
      settings: () => settings,
      createProvider: spec => {
        if (modelName(spec) === "missing.gguf") {
          attempts++;
          throw new LlmError("model-file", "missing.gguf: no such file", { file: "missing.gguf" });
        }
        return new ScriptedProvider({ then: say("ok") });
      },
      ledger,
      clock: time,
      sleep: time.sleep,
    });
    expect(answer(await time.run(router.run(dialogue()))).text).toBe("ok");
    await time.run(router.run(dialogue()));
    // Not memoized: a file added later is found on the next call.
    expect(attempts).toBe(2);
    expect(ledger.rows().map(r => r.outcome)).toEqual(["fell-back", "ok", "fell-back", "ok"]);
  });
});

describe("Router: settings and providers", () => {
  it("reads settings on every call", async () => {
    const h = harness({ slots: { main: [local("a.gguf")] } });
    h.provider("a.gguf", { then: say("from a") });
    h.provider("b.gguf", { then: say("from b") });
    expect(answer(await h.run(dialogue())).text).toBe("from a");
    h.setSettings({ slots: { main: [local("b.gguf")] } });
    expect(answer(await h.run(dialogue())).text).toBe("from b");
  });

  it("creates one provider per slot and model, and releases those taken out of the settings", async () => {
    const h = harness({ slots: { main: [local("a.gguf")], utility: [local("a.gguf")] } });
    const a = h.provider("a.gguf", { then: say("x") });
    await h.run(dialogue());
    await h.run(dialogue());
    await h.run({ type: "intent-parsing", messages: ask("go north") });
    expect(h.created).toEqual(["main:a.gguf", "utility:a.gguf"]);
    h.setSettings({ slots: { main: [local("b.gguf")] } });
    await h.run(dialogue());
    expect(a.disposed).toBe(true);
  });

  it("releases every provider on dispose", async () => {
    const h = harness({ slots: { main: [local("a.gguf")] } });
    const a = h.provider("a.gguf", { then: say("x") });
    await h.run(dialogue());
    await h.router.dispose();
    expect(a.disposed).toBe(true);
  });
});

describe("Router: retries", () => {
  it("retries server errors with full-jitter backoff, then answers", async () => {
    const h = harness({ slots: { main: [local("a.gguf")] }, defaults: { retries: { baseDelayMs: 1000, maxDelayMs: 8000 } } }, { random: () => 0.5 });
    h.provider("a.gguf", { script: [fail("server"), fail("network"), say("third time")] });
    const start = h.time.now();
    const result = answer(await h.run(dialogue()));
    expect(result).toMatchObject({ text: "third time", attempts: 3 });
    // 0.5 × 1000 + 0.5 × 2000
    expect(h.time.now() - start).toBe(1500);
    expect(result.totalMs).toBe(1500);
    expect(h.outcomes()).toEqual(["a.gguf retried", "a.gguf retried", "a.gguf ok"]);
    expect(h.ledger.rows().map(r => r.errorKind)).toEqual(["server", "network", undefined]);
  });

  it("keeps backoff within its bounds", async () => {
    for (const r of [0, 0.999]) {
      const h = harness({ slots: { main: [local("a.gguf")] }, defaults: { retries: { baseDelayMs: 100, maxDelayMs: 150 } } }, { random: () => r });
      h.provider("a.gguf", { script: [fail("server"), fail("server"), say("ok")] });
      const start = h.time.now();
      await h.run(dialogue());
      const waited = h.time.now() - start;
      expect(waited).toBeGreaterThanOrEqual(0);
      expect(waited).toBeLessThan(100 + 150);
    }
  });

  it("waits as long as Retry-After says", async () => {
    const h = harness({ slots: { main: [local("a.gguf")] } });
    h.provider("a.gguf", { script: [fail("rate-limit", { retryAfterMs: 7000 }), say("ok")] });
    const start = h.time.now();
    await h.run(dialogue());
    expect(h.time.now() - start).toBe(7000);
  });

  it("falls back at once when Retry-After is beyond the cap", async () => {
    const h = harness({ slots: { main: [cloud("busy"), local("b.gguf")] }, defaults: { retries: { maxRetryAfterMs: 10_000 } } });
    h.provider("busy", { kind: "openrouter", script: [fail("rate-limit", { retryAfterMs: 60_000 })] });
    h.provider("b.gguf", { script: [say("ok")] });
    const start = h.time.now();
    expect(answer(await h.run(dialogue())).text).toBe("ok");
    expect(h.time.now() - start).toBe(0);
    expect(h.outcomes()).toEqual(["busy fell-back", "b.gguf ok"]);
  });

  it("does not retry auth errors", async () => {
    const h = harness({ slots: { main: [cloud("locked"), local("b.gguf")] } });
    const locked = h.provider("locked", { kind: "openrouter", script: [fail("auth", { status: 401 }), say("never")] });
    h.provider("b.gguf", { script: [say("ok")] });
    await h.run(dialogue());
    expect(locked.requests).toHaveLength(1);
    expect(h.outcomes()).toEqual(["locked fell-back", "b.gguf ok"]);
  });

  it("gives up on a model after maxAttempts", async () => {
    const h = harness({ slots: { main: [local("a.gguf"), local("b.gguf")] }, defaults: { retries: { maxAttempts: 2 }, circuitBreaker: { failureThreshold: 10 } } });
    h.provider("a.gguf", { then: fail("server") });
    h.provider("b.gguf", { script: [say("ok")] });
    await h.run(dialogue());
    expect(h.outcomes()).toEqual(["a.gguf retried", "a.gguf fell-back", "b.gguf ok"]);
  });

  it("stops at once when the caller aborts during a backoff", async () => {
    const h = harness({ slots: { main: [local("a.gguf"), local("b.gguf")] } });
    h.provider("a.gguf", { script: [fail("rate-limit", { retryAfterMs: 5000 })] });
    const b = h.provider("b.gguf", { then: say("never") });
    const controller = new AbortController();
    const running = h.router.run(dialogue({ signal: controller.signal }));
    await new Promise(resolve => setImmediate(resolve));
    controller.abort();
    const result = await running;
    expect(result).toMatchObject({ ok: false, aborted: true, offline: false });
    expect(b.requests).toHaveLength(0);
    expect(h.outcomes()).toEqual(["a.gguf retried", "a.gguf error:aborted"]);
  });
});

describe("Router: circuit breaker", () => {
  it("opens after repeated failures, probes after the cool-down, and closes or reopens", async () => {
    const h = harness({ slots: { main: [local("flaky.gguf"), local("backup.gguf")] }, defaults: { retries: { maxAttempts: 1 } } });
    const flaky = h.provider("flaky.gguf", { script: [fail("server"), fail("server"), fail("server"), fail("server"), say("back")] });
    h.provider("backup.gguf", { then: say("backup") });
    const state = () => h.router.status().circuits.find(c => c.model === "local:flaky.gguf")!.state;

    for (let i = 0; i < 3; i++) await h.run(dialogue());
    expect(state()).toBe("open");
    expect(flaky.requests).toHaveLength(3);

    expect(answer(await h.run(dialogue())).text).toBe("backup");
    expect(flaky.requests).toHaveLength(3);
    expect(h.outcomes().slice(-2)).toEqual(["flaky.gguf skipped:circuit-open", "backup.gguf ok"]);

    h.time.advance(30_000);
    expect(state()).toBe("half-open");
    await h.run(dialogue()); // the probe fails
    expect(flaky.requests).toHaveLength(4);
    expect(state()).toBe("open");
    await h.run(dialogue());
    expect(flaky.requests).toHaveLength(4);

    h.time.advance(30_000);
    expect(answer(await h.run(dialogue())).text).toBe("back"); // the probe succeeds
    expect(state()).toBe("closed");
  });

  it("lets only one task probe a half-open model", async () => {
    const h = harness({ slots: { main: [local("flaky.gguf"), local("backup.gguf")] }, defaults: { retries: { maxAttempts: 1 }, circuitBreaker: { failureThreshold: 1, cooldownMs: 1000 } } });
    const flaky = h.provider("flaky.gguf", { script: [fail("server"), say("slow probe", { delayMs: 500 })] });
    h.provider("backup.gguf", { then: say("backup") });
    await h.run(dialogue());
    h.time.advance(1000);
    const [probe, other] = await h.time.run(Promise.all([h.router.run(dialogue()), h.router.run(dialogue())]));
    expect(answer(probe!).text).toBe("slow probe");
    expect(answer(other!).text).toBe("backup");
    expect(flaky.requests).toHaveLength(2);
  });

  it("does not count a too-long prompt or a cancellation against the model", async () => {
    const h = harness({ slots: { main: [local("a.gguf")] }, defaults: { circuitBreaker: { failureThreshold: 1 } } });
    h.provider("a.gguf", { script: [fail("context-overflow"), say("fine")] });
    await h.run(dialogue());
    expect(answer(await h.run(dialogue())).text).toBe("fine");
  });
});

describe("Router: budgets", () => {
  // 1 USD per token in and out, so costs are easy to read: "Hello there." is 3 tokens.
  it("skips paid models once the daily budget is spent, and goes on with local ones", async () => {
    const h = harness({ slots: { main: [cloud("paid"), local("free.gguf")] }, budgets: { dailyUsd: 100 } });
    h.provider("paid", { kind: "openrouter", then: say("paid answer") });
    h.provider("free.gguf", { then: say("free answer") });
    const first = answer(await h.run(dialogue({ maxTokens: 10 })));
    expect(first.text).toBe("paid answer");
    expect(first.costUsd).toBe(3 + 3);
    // The worst case of the next call (3 in + 95 out) would go over 100 with 6 spent.
    const second = answer(await h.run(dialogue({ maxTokens: 95 })));
    expect(second.text).toBe("free answer");
    expect(second.errors).toEqual([expect.objectContaining({ model: "openrouter:paid", kind: "unavailable", skipped: true })]);
    expect(h.outcomes()).toEqual(["paid ok", "paid skipped:budget-daily", "free.gguf ok"]);
    expect(h.router.status()).toMatchObject({ spentTodayUsd: 6, spentThisSessionUsd: 6 });
  });

  it("counts what the provider says it cost", async () => {
    const h = harness({ slots: { main: [{ provider: "openrouter", model: "accounting" }] } });
    h.provider("accounting", { kind: "openrouter", then: say("x", { costUsd: 0.0123 }) });
    expect(answer(await h.run(dialogue())).costUsd).toBe(0.0123);
    expect(h.ledger.rows()[0]!.costUsd).toBe(0.0123);
  });

  it("keeps a session budget per router, and a daily one across routers and restarts", async () => {
    // Each paid call is estimated at 3 + 3 = 6 USD and costs 3 + 1 = 4.
    const ledger = Ledger.open(":memory:");
    const input = { slots: { main: [cloud("paid"), local("free.gguf")] }, budgets: { dailyUsd: 12, sessionUsd: 9 } };
    const one = harness(input, { ledger });
    one.provider("paid", { kind: "openrouter", then: say("paid") });
    one.provider("free.gguf", { then: say("free") });
    expect(answer(await one.run(dialogue({ maxTokens: 3 }))).text).toBe("paid"); // 0 + 6 fits both
    expect(answer(await one.run(dialogue({ maxTokens: 3 }))).text).toBe("free"); // session: 4 + 6 > 9
    expect(ledger.rows().at(-2)!.outcome).toBe("skipped:budget-session");

    const two = harness(input, { ledger }); // a new session, the same day
    two.provider("paid", { kind: "openrouter", then: say("paid") });
    two.provider("free.gguf", { then: say("free") });
    expect(answer(await two.run(dialogue({ maxTokens: 3 }))).text).toBe("paid"); // day: 4 + 6 ≤ 12
    expect(answer(await two.run(dialogue({ maxTokens: 3 }))).text).toBe("free"); // day: 8 + 6 > 12
    expect(ledger.rows().at(-2)!.outcome).toBe("skipped:budget-daily");
    expect(two.router.status()).toMatchObject({ spentTodayUsd: 8, spentThisSessionUsd: 4 });

    two.time.advance(24 * 3600_000); // a new UTC day: the daily budget is fresh
    expect(two.router.status().spentTodayUsd).toBe(0);
    const three = harness(input, { ledger });
    three.time.advance(24 * 3600_000);
    three.provider("paid", { kind: "openrouter", then: say("paid") });
    expect(answer(await three.run(dialogue({ maxTokens: 3 }))).text).toBe("paid");
  });

  it("never charges local models against the budget", async () => {
    const h = harness({ slots: { main: [local("free.gguf")] }, budgets: { dailyUsd: 0, sessionUsd: 0 } });
    h.provider("free.gguf", { then: say("free") });
    expect(answer(await h.run(dialogue())).text).toBe("free");
  });
});

describe("Router: context windows", () => {
  it("skips a model whose context leaves no room to answer", async () => {
    const h = harness({ slots: { main: [local("tiny.gguf"), local("roomy.gguf")] } });
    const tiny = h.provider("tiny.gguf", { contextSize: 512, then: say("tiny") });
    h.provider("roomy.gguf", { contextSize: 8192, then: say("roomy") });
    // 500 tokens of prompt leave 12 of 512: too few to answer.
    const result = answer(await h.run(dialogue({ messages: ask("x".repeat(2000)) })));
    expect(result.text).toBe("roomy");
    expect(tiny.requests).toHaveLength(0);
    expect(result.errors[0]).toMatchObject({ kind: "context-overflow", skipped: true });
    expect(h.outcomes()).toEqual(["tiny.gguf skipped:context", "roomy.gguf ok"]);
  });

  it("shortens the answer to what a small context can hold instead of skipping the model", async () => {
    const h = harness({ slots: { main: [local("tiny.gguf")] } });
    const tiny = h.provider("tiny.gguf", { contextSize: 512, then: say("tiny") });
    // 400 tokens of prompt: the route's 2048 become the 112 that fit.
    expect(answer(await h.run(dialogue({ messages: ask("x".repeat(1600)) }))).text).toBe("tiny");
    expect(tiny.requests[0]?.maxTokens).toBe(112);
  });
});

describe("Router: slot override", () => {
  it("sends a task to the slot it names, whatever the routes say", async () => {
    const h = harness({ slots: { utility: [local("small.gguf")], cot: [local("thinker.gguf")] } });
    h.provider("small.gguf", { then: say("small") });
    h.provider("thinker.gguf", { then: say("thinker") });
    const result = answer(await h.run({ type: "intent-parsing", slot: "cot", messages: ask("hello") }));
    expect(result).toMatchObject({ slot: "cot", text: "thinker" });
  });
});

describe("Router: cache", () => {
  it("answers a repeated deterministic request from the cache", async () => {
    const h = harness({ slots: { utility: [local("a.gguf")] } });
    const a = h.provider("a.gguf", { then: say('{"verb":"look"}') });
    const task: TaskRequest = { type: "intent-parsing", temperature: 0, messages: ask("look"), jsonSchema: { type: "object" } };
    const first = answer(await h.run(task));
    const second = answer(await h.run(task));
    expect(first.cached).toBe(false);
    expect(second).toMatchObject({ cached: true, text: '{"verb":"look"}', json: { verb: "look" }, costUsd: 0, attempts: 0 });
    expect(a.requests).toHaveLength(1);
    expect(h.outcomes()).toEqual(["a.gguf ok", "a.gguf cached"]);
    // A different request is not a hit.
    await h.run({ ...task, messages: ask("look up") });
    expect(a.requests).toHaveLength(2);
  });

  it("streams a cached answer to a streaming caller", async () => {
    const h = harness({ slots: { utility: [local("a.gguf")] } });
    h.provider("a.gguf", { then: say("cached text") });
    const task = { type: "intent-parsing", temperature: 0, messages: ask("look") } as const;
    await h.run(task);
    const tokens: string[] = [];
    await h.run({ ...task, onToken: t => tokens.push(t), onReset: () => undefined });
    expect(tokens).toEqual(["cached text"]);
  });

  it("does not cache requests above temperature 0, or when turned off", async () => {
    const h = harness({ slots: { utility: [local("a.gguf")] } });
    const a = h.provider("a.gguf", { then: say("x") });
    const task = { type: "intent-parsing", messages: ask("look") } as const; // the route says 0.1
    await h.run(task);
    await h.run(task);
    expect(a.requests).toHaveLength(2);
    h.setSettings({ slots: { utility: [local("a.gguf")] }, cache: { enabled: false } });
    await h.run({ ...task, temperature: 0 });
    await h.run({ ...task, temperature: 0 });
    expect(a.requests).toHaveLength(4);
  });
});

describe("Router: JSON", () => {
  it("parses JSON answers, fenced or not, and falls back on malformed ones", async () => {
    const h = harness({ slots: { cot: [local("a.gguf"), local("b.gguf")] } });
    h.provider("a.gguf", { script: [say("The answer is yes."), say('{"verdict": true}')] });
    h.provider("b.gguf", { script: [say('```json\n{"verdict": false}\n```')] });
    const task: TaskRequest = { type: "rule-judging", messages: ask("did they insult the king?"), jsonSchema: { type: "object" } };
    const first = answer(await h.run(task));
    expect(first).toMatchObject({ json: { verdict: false }, text: '```json\n{"verdict": false}\n```' });
    expect(first.errors[0]).toMatchObject({ kind: "malformed-output" });
    expect(answer(await h.run(task)).json).toEqual({ verdict: true });
    expect(h.outcomes()).toEqual(["a.gguf fell-back", "b.gguf ok", "a.gguf ok"]);
  });

  it("treats an empty answer as malformed", async () => {
    const h = harness({ slots: { main: [local("a.gguf")] } });
    h.provider("a.gguf", { script: [say("  ")] });
    expect(await h.run(dialogue())).toMatchObject({ ok: false, offline: true, errors: [{ kind: "malformed-output" }] });
  });
});

describe("Router: streaming, cancellation and timeouts", () => {
  it("streams tokens and reports time to first token", async () => {
    const h = harness({ slots: { main: [local("a.gguf")] } });
    h.provider("a.gguf", { script: [streamed([{ text: "Once", delayMs: 40 }, { text: " upon", delayMs: 10 }])] });
    const tokens: string[] = [];
    const result = answer(await h.run(dialogue({ onToken: t => tokens.push(t), onReset: () => undefined })));
    expect(tokens).toEqual(["Once", " upon"]);
    expect(result).toMatchObject({ text: "Once upon", firstTokenMs: 40, latencyMs: 50 });
    expect(h.ledger.rows()[0]).toMatchObject({ firstTokenMs: 40, latencyMs: 50 });
  });

  it("tells the caller to discard a failed stream before the fallback's text", async () => {
    const h = harness({ slots: { main: [local("a.gguf"), local("b.gguf")] } });
    h.provider("a.gguf", { script: [streamed(["Once", " upon"], new LlmError("out-of-memory", "gone"))] });
    h.provider("b.gguf", { script: [streamed(["Long", " ago"])] });
    const events: string[] = [];
    const resets: StreamReset[] = [];
    const result = answer(
      await h.run(dialogue({ onToken: t => events.push(t), onReset: reset => (resets.push(reset), events.push("<reset>")) })),
    );
    expect(events).toEqual(["Once", " upon", "<reset>", "Long", " ago"]);
    expect(resets).toEqual([{ model: "local:a.gguf", error: "out-of-memory", discardedChars: 9 }]);
    expect(result.text).toBe("Long ago");
  });

  it("resets before a retry of the same model, and before ending offline", async () => {
    const h = harness({ slots: { main: [local("a.gguf")] } });
    h.provider("a.gguf", { script: [streamed(["half"], new LlmError("network", "reset")), streamed(["whole"]), streamed(["x"], new LlmError("auth", "no"))] });
    const events: string[] = [];
    const task = dialogue({ onToken: t => events.push(t), onReset: () => events.push("<reset>") });
    expect(answer(await h.run(task)).text).toBe("whole");
    expect(await h.run(task)).toMatchObject({ offline: true });
    expect(events).toEqual(["half", "<reset>", "whole", "x", "<reset>"]);
  });

  it("stops mid-stream when the caller aborts, without falling back", async () => {
    const h = harness({ slots: { main: [local("a.gguf"), local("b.gguf")] } });
    h.provider("a.gguf", { script: [streamed([{ text: "Once", delayMs: 10 }, { text: " upon", delayMs: 1000 }])] });
    const b = h.provider("b.gguf", { then: say("never") });
    const controller = new AbortController();
    const events: string[] = [];
    const result = await h.run(dialogue({ signal: controller.signal, onToken: t => (events.push(t), controller.abort()), onReset: () => events.push("<reset>") }));
    expect(result).toMatchObject({ ok: false, aborted: true, offline: false, slot: "main" });
    expect(events).toEqual(["Once"]);
    expect(b.requests).toHaveLength(0);
    expect(h.outcomes()).toEqual(["a.gguf error:aborted"]);
  });

  it("knows a cancelled call from a provider that finishes it with finishReason aborted", async () => {
    const h = harness({ slots: { main: [local("a.gguf"), local("b.gguf")] } });
    h.provider("a.gguf", { onAbort: "finish", script: [streamed([{ text: "Once", delayMs: 10 }, { text: " upon", delayMs: 1000 }])] });
    const b = h.provider("b.gguf", { then: say("never") });
    const controller = new AbortController();
    const result = await h.run(dialogue({ signal: controller.signal, onToken: () => controller.abort(), onReset: () => undefined }));
    expect(result).toMatchObject({ ok: false, aborted: true });
    expect(b.requests).toHaveLength(0);
  });

  it("knows a timed-out call from a provider that finishes it with finishReason aborted", async () => {
    const h = harness({ slots: { main: [local("slow.gguf"), local("b.gguf")] }, defaults: { timeoutMs: 1000, retries: { maxAttempts: 1 } } });
    h.provider("slow.gguf", { onAbort: "finish", script: [streamed([{ text: "Once", delayMs: 10 }, { text: " upon", delayMs: 5000 }])] });
    h.provider("b.gguf", { then: say("Long ago") });
    const events: string[] = [];
    const result = answer(await h.run(dialogue({ onToken: t => events.push(t), onReset: () => events.push("<reset>") })));
    expect(result.text).toBe("Long ago");
    expect(result.errors).toEqual([expect.objectContaining({ kind: "timeout" })]);
    expect(events).toEqual(["Once", "<reset>", "Long ago"]);
  });

  it("does not go on to the next model once the caller has cancelled", async () => {
    const h = harness({ slots: { main: [local("a.gguf"), local("b.gguf")] } });
    const controller = new AbortController();
    h.provider("a.gguf", { script: [streamed(["x"], new LlmError("model-file", "truncated"))] });
    const b = h.provider("b.gguf", { then: say("never") });
    // The caller gives up on hearing that the first model failed.
    const result = await h.run(dialogue({ signal: controller.signal, onToken: () => undefined, onReset: () => controller.abort() }));
    expect(result).toMatchObject({ ok: false, aborted: true });
    expect(b.requests).toHaveLength(0);
    expect(h.outcomes()).toEqual(["a.gguf fell-back", "b.gguf error:aborted"]);
  });

  it("rethrows the caller's own onToken error instead of blaming the model", async () => {
    const h = harness({ slots: { main: [local("a.gguf"), local("b.gguf")] }, defaults: { circuitBreaker: { failureThreshold: 1 } } });
    h.provider("a.gguf", { script: [streamed(["x", "y"]), say("fine")] });
    const b = h.provider("b.gguf", { then: say("never") });
    const bug = new Error("the UI broke");
    await expect(h.run(dialogue({ onToken: () => { throw bug; }, onReset: () => undefined }))).rejects.toBe(bug);
    expect(b.requests).toHaveLength(0);
    expect(h.outcomes()).toEqual(["a.gguf error:aborted"]);
    expect(answer(await h.run(dialogue())).text).toBe("fine");
  });

  it("does not start when already cancelled", async () => {
    const h = harness({ slots: { main: [local("a.gguf")] } });
    const a = h.provider("a.gguf", { then: say("never") });
    const result = await h.run(dialogue({ signal: AbortSignal.abort() }));
    expect(result).toMatchObject({ ok: false, aborted: true });
    expect(a.requests).toHaveLength(0);
  });

  it("times out a hung model, even one that ignores its signal, and drops its late tokens", async () => {
    const h = harness({ slots: { main: [local("stuck.gguf"), local("b.gguf")] }, defaults: { timeoutMs: 5000, retries: { maxAttempts: 1 } } });
    const stuck = h.provider("stuck.gguf", { script: [hang(true)] });
    h.provider("b.gguf", { script: [say("ok")] });
    const events: string[] = [];
    const start = h.time.now();
    const result = answer(await h.run(dialogue({ onToken: t => events.push(t), onReset: () => events.push("<reset>") })));
    expect(h.time.now() - start).toBe(5000);
    expect(result.errors[0]).toMatchObject({ kind: "timeout" });
    stuck.requests[0]!.onToken?.("late");
    expect(events).toEqual(["ok"]);
  });

  it("takes the deadline from the task over the settings", async () => {
    const h = harness({ slots: { main: [local("slow.gguf")] }, defaults: { retries: { maxAttempts: 1 } } });
    h.provider("slow.gguf", { script: [say("too late", { delayMs: 2000 })] });
    const start = h.time.now();
    expect(await h.run(dialogue({ deadlineMs: 1000 }))).toMatchObject({ offline: true, errors: [{ kind: "timeout" }] });
    expect(h.time.now() - start).toBe(1000);
  });
});

describe("Router: ledger", () => {
  it("writes one row per attempt with the task, slot, model, tokens, cost and timings", async () => {
    const h = harness({ slots: { main: [cloud("c", 1, 2)] } });
    h.provider("c", { kind: "openrouter", script: [fail("server"), say("answer", { delayMs: 120, usage: { inputTokens: 1000, outputTokens: 500 } })] });
    await h.run(dialogue({ complexity: "critical" }));
    const rows = h.ledger.rows();
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({ taskType: "dialogue", complexity: "critical", slot: "main", provider: "openrouter", model: "c", outcome: "retried", errorKind: "server" });
    expect(rows[1]).toMatchObject({ outcome: "ok", inputTokens: 1000, outputTokens: 500, costUsd: (1000 * 1 + 500 * 2) / 1e6, latencyMs: 120 });
    expect(rows[0]!.request).toBe(rows[1]!.request);
    expect(rows[1]!.time).toBe(new Date(h.time.now()).toISOString());
  });

  it("never writes a secret from a provider's error message", async () => {
    const h = harness({ slots: { main: [cloud("c")] } });
    h.provider("c", { kind: "openrouter", script: [fail("auth", { message: "401: invalid key sk-or-v1-abcdef0123456789abcdef (Authorization: Bearer sk-or-v1-abcdef0123456789abcdef)" })] });
    const result = await h.run(dialogue());
    const written = JSON.stringify(h.ledger.rows());
    expect(written).not.toContain("abcdef0123456789");
    expect(JSON.stringify(result)).not.toContain("abcdef0123456789");
  });

  it("feeds a usage report: per slot, per task type, and the all-on-main counterfactual", async () => {
    const main = cloud("big", 10, 20);
    const h = harness({ slots: { main: [main], utility: [local("small.gguf")] } });
    h.provider("big", { kind: "openrouter", then: say("grand", { usage: { inputTokens: 100, outputTokens: 50 } }) });
    h.provider("small.gguf", { then: say("go", { usage: { inputTokens: 1000, outputTokens: 10 } }) });
    await h.run(dialogue());
    for (let i = 0; i < 3; i++) await h.run({ type: "intent-parsing", messages: ask(`go ${i}`) });
    const report = usageReport(h.ledger.rows(), { mainPrimary: main });
    expect(report.bySlot.find(s => s.slot === "utility")).toMatchObject({ calls: 3, inputTokens: 3000, costUsd: 0 });
    expect(report.bySlot.find(s => s.slot === "main")).toMatchObject({ calls: 1, costUsd: (100 * 10 + 50 * 20) / 1e6 });
    expect(report.byTaskType.find(t => t.taskType === "intent-parsing")).toMatchObject({ requests: 3, answered: 3 });
    expect(report.allMain.costUsd).toBeCloseTo((3100 * 10 + 80 * 20) / 1e6, 12);
    expect(report.allMain.actualCostUsd).toBeCloseTo(0.002, 12);
  });

  it("works without a ledger", async () => {
    const settings = AppSettings.parse({ version: 1, slots: { main: [local("a.gguf")] } });
    const router = new Router({ settings: () => settings, createProvider: () => new ScriptedProvider({ then: say("ok") }) });
    expect(answer(await router.run(dialogue())).text).toBe("ok");
  });
});
