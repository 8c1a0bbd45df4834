import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isLlmError, type LlmError } from "../errors.js";
import { makeTempDir, TEST_MODELS, testModelPath, testModelsDir } from "../local/test-models.js";
import type { Slot } from "../model-spec.js";
import type { ChatMessage, CompletionRequest } from "../provider.js";
import { DEFAULT_CONTEXT_SIZE, defaultThreads, LocalModels, type LocalModelProvider } from "./local.js";

const STORY: readonly ChatMessage[] = [
  { role: "system", content: "You tell short stories for children." },
  { role: "user", content: "Once upon a time" },
];

function request(overrides: Partial<CompletionRequest> = {}): CompletionRequest {
  return { messages: STORY, temperature: 0, maxTokens: 16, ...overrides };
}

async function llmError(promise: Promise<unknown>): Promise<LlmError> {
  try {
    await promise;
  } catch (error) {
    if (isLlmError(error)) return error;
    throw error;
  }
  throw new Error("expected an LlmError, but the call succeeded");
}

const MOOD_SCHEMA = {
  type: "object",
  properties: {
    mood: { enum: ["calm", "angry", "afraid"] },
    ok: { type: "boolean" },
    name: { type: "string", maxLength: 12 },
  },
  required: ["mood", "ok", "name"],
  additionalProperties: false,
} as const;

describe("LocalModels with the real GGUF files", () => {
  let models: LocalModels;
  const loads: string[] = [];
  const providers = new Map<string, LocalModelProvider>();

  /** One provider per (file, slot), created once so the suite also exercises warm slots. */
  function slot(file: string, slotName: Slot, contextSize = 512): LocalModelProvider {
    const key = `${file}/${slotName}/${contextSize}`;
    let provider = providers.get(key);
    if (provider === undefined) {
      provider = models.provider({ provider: "local", file, contextSize, threads: 1 }, slotName);
      providers.set(key, provider);
    }
    return provider;
  }

  beforeAll(() => {
    testModelPath(TEST_MODELS.stories);
    testModelPath(TEST_MODELS.tinyRandom);
    models = new LocalModels({
      modelsDir: testModelsDir(),
      defaultThreads: 1,
      onLoadProgress: (event) => {
        if (event.progress === 1) loads.push(path.basename(event.file));
      },
    });
  });

  afterAll(async () => {
    await models.dispose();
  });

  it("loads a file once and shares the model across three slots", async () => {
    const slots = (["main", "cot", "utility"] as const).map((name) => slot(TEST_MODELS.stories, name));
    const results = await Promise.all(slots.map((provider) => provider.complete(request())));
    expect(loads.filter((file) => file === TEST_MODELS.stories)).toHaveLength(1);
    const [first, ...rest] = slots.map((provider) => provider.loadedModel);
    expect(first).toBeDefined();
    for (const model of rest) expect(model).toBe(first);
    for (const result of results) {
      expect(result.model).toBe(`local:${TEST_MODELS.stories}`);
      expect(result.text.length).toBeGreaterThan(0);
    }
  });

  it("streams deltas that join to the text, with usage and time to first token", async () => {
    const deltas: string[] = [];
    const result = await slot(TEST_MODELS.stories, "main").complete(request({ onToken: (delta) => deltas.push(delta) }));
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.join("")).toBe(result.text);
    expect(result.usage.inputTokens).toBeGreaterThan(5);
    expect(result.usage.outputTokens).toBeGreaterThan(0);
    expect(result.firstTokenMs).toBeGreaterThanOrEqual(0);
  });

  it("counts the prompt it read in inputTokens", async () => {
    const provider = slot(TEST_MODELS.stories, "main");
    const short = await provider.complete(request());
    const longer = await provider.complete(request({ messages: [...STORY, { role: "assistant", content: short.text }, { role: "user", content: "And then the dog ran home." }] }));
    expect(longer.usage.inputTokens).toBeGreaterThan(short.usage.inputTokens + provider.countTokens(short.text));
  });

  it("stops at maxTokens", async () => {
    const result = await slot(TEST_MODELS.stories, "cot").complete(request({ maxTokens: 4 }));
    expect(result.finishReason).toBe("length");
    expect(result.usage.outputTokens).toBeLessThanOrEqual(4);
  });

  it("aborts mid-generation, returns the partial text and keeps the slot usable", async () => {
    const provider = slot(TEST_MODELS.stories, "utility");
    const controller = new AbortController();
    const deltas: string[] = [];
    const result = await provider.complete(request({
      maxTokens: 400,
      signal: controller.signal,
      onToken: (delta) => {
        deltas.push(delta);
        if (deltas.length === 3) controller.abort();
      },
    }));
    expect(result.finishReason).toBe("aborted");
    expect(result.text).toBe(deltas.join(""));
    expect(result.usage.outputTokens).toBeLessThan(20);

    const already = await provider.complete(request({ signal: AbortSignal.abort() }));
    expect(already).toMatchObject({ text: "", finishReason: "aborted" });

    const after = await provider.complete(request());
    expect(after.finishReason).not.toBe("aborted");
    expect(after.text.length).toBeGreaterThan(0);
  });

  it("runs calls on one slot one after another, and answers an abort while queued at once", async () => {
    const provider = slot(TEST_MODELS.stories, "main");
    const order: string[] = [];
    let firstDone = 0;
    const first = provider.complete(request({ maxTokens: 200, onToken: () => order.push("first") })).then((result) => {
      firstDone = performance.now();
      return result;
    });
    const second = provider.complete(request({ maxTokens: 8, onToken: () => order.push("second") }));
    const controller = new AbortController();
    const queued = provider.complete(request({ signal: controller.signal }));
    controller.abort();
    const abortedResult = await queued;
    const abortedAt = performance.now();
    expect(abortedResult).toMatchObject({ text: "", finishReason: "aborted" });
    await Promise.all([first, second]);
    expect(abortedAt).toBeLessThan(firstDone);
    expect(order.indexOf("second")).toBeGreaterThan(order.lastIndexOf("first"));
  });

  it.each([TEST_MODELS.stories, TEST_MODELS.tinyRandom])("produces schema-valid JSON with %s", async (file) => {
    const result = await slot(file, "cot").complete(request({ jsonSchema: MOOD_SCHEMA, maxTokens: 96 }));
    const value: unknown = JSON.parse(result.text);
    expect(value).toEqual({ mood: expect.any(String), ok: expect.any(Boolean), name: expect.any(String) });
    const parsed = value as { mood: string; name: string };
    expect(MOOD_SCHEMA.properties.mood.enum).toContain(parsed.mood);
    expect([...parsed.name].length).toBeLessThanOrEqual(12);
  });

  it("reports JSON cut off by maxTokens as malformed-output", async () => {
    const error = await llmError(slot(TEST_MODELS.stories, "cot").complete(request({ jsonSchema: MOOD_SCHEMA, maxTokens: 3 })));
    expect(error.kind).toBe("malformed-output");
    expect(error.message).toMatch(/3-token limit/);
  });

  it("rejects a schema the grammar cannot express as invalid-request", async () => {
    const error = await llmError(slot(TEST_MODELS.stories, "cot").complete(request({ jsonSchema: { type: "no-such-type" } })));
    expect(error.kind).toBe("invalid-request");
  });

  it("is deterministic at temperature 0, across slots and with a warm cache", async () => {
    for (const file of [TEST_MODELS.stories, TEST_MODELS.tinyRandom]) {
      const texts = [];
      for (const name of ["main", "utility", "main"] as const) {
        texts.push((await slot(file, name).complete(request({ maxTokens: 24 }))).text);
      }
      expect(new Set(texts).size).toBe(1);
    }
  });

  it("continues a trailing assistant message instead of answering it", async () => {
    const result = await slot(TEST_MODELS.stories, "utility").complete(request({
      messages: [...STORY, { role: "assistant", content: "Once upon a time, there was a" }],
      maxTokens: 8,
    }));
    expect(result.text.length).toBeGreaterThan(0);
    expect(result.text.startsWith("Once upon a time")).toBe(false);
  });

  it("keeps the shared prefix in the KV cache, so a follow-up reaches its first token much sooner", async () => {
    const provider = models.provider({ provider: "local", file: TEST_MODELS.stories, contextSize: 1024, threads: 1 }, "main");
    const lore = Array.from({ length: 24 }, (_, index) => `Rule ${index}: the little dog keeps the red ball in the garden.`).join("\n");
    await provider.complete(request({ maxTokens: 2 }));
    const turn1: ChatMessage[] = [{ role: "system", content: lore }, { role: "user", content: "Tell me about the dog." }];
    const cold = await provider.complete(request({ messages: turn1, maxTokens: 8 }));
    const warm = await provider.complete(request({
      messages: [...turn1, { role: "assistant", content: cold.text }, { role: "user", content: "And the ball?" }],
      maxTokens: 8,
    }));
    expect(cold.usage.inputTokens).toBeGreaterThan(300);
    expect(warm.usage.inputTokens).toBeGreaterThan(cold.usage.inputTokens);
    expect(cold.firstTokenMs).toBeDefined();
    expect(warm.firstTokenMs).toBeDefined();
    expect(warm.firstTokenMs ?? Infinity).toBeLessThan((cold.firstTokenMs ?? 0) / 3);
    await provider.dispose();
  });

  it("refuses a prompt the context cannot hold, and ends the answer where the context ends instead of dropping messages", async () => {
    const measure = slot(TEST_MODELS.stories, "cot");
    const small = models.provider({ provider: "local", file: TEST_MODELS.stories, contextSize: 128, threads: 1 }, "utility");
    const promptOf = async (words: number): Promise<{ messages: ChatMessage[]; tokens: number }> => {
      const messages: ChatMessage[] = [{ role: "system", content: "dog ".repeat(words) }, { role: "user", content: "Go on." }];
      return { messages, tokens: (await measure.complete(request({ messages, maxTokens: 1 }))).usage.inputTokens };
    };
    let words = 10;
    let prompt = await promptOf(words);
    while (prompt.tokens < 120) prompt = await promptOf(++words);
    const room = 128 - prompt.tokens - 1;

    const capped = await small.complete(request({ messages: prompt.messages, maxTokens: 50 }));
    expect(capped.usage.inputTokens).toBe(prompt.tokens);
    expect(capped.finishReason).toBe("length");
    expect(capped.usage.outputTokens).toBeLessThanOrEqual(room);

    const tooLong = await promptOf(words + 20);
    const error = await llmError(small.complete(request({ messages: tooLong.messages })));
    expect(error.kind).toBe("context-overflow");
    expect(error.message).toContain(`The prompt is ${tooLong.tokens} tokens`);
    expect(error.message).toContain("128-token context");
    await small.dispose();
  });

  it("takes the context size from the spec, else the trained size capped at the default", async () => {
    expect(slot(TEST_MODELS.stories, "main").contextSize()).toBe(512);
    const stories = models.provider({ provider: "local", file: TEST_MODELS.stories }, "utility");
    const tiny = models.provider({ provider: "local", file: TEST_MODELS.tinyRandom }, "utility");
    await tiny.complete(request({ maxTokens: 2 }));
    await stories.complete(request({ maxTokens: 2 }));
    expect(stories.contextSize()).toBe(2048);
    expect(tiny.contextSize()).toBe(Math.min(4096, DEFAULT_CONTEXT_SIZE));
    await Promise.all([stories.dispose(), tiny.dispose()]);
  });

  it("counts tokens with the model's tokenizer once loaded, and estimates before", async () => {
    const text = "The little dog ran to the park.";
    const fresh = models.provider({ provider: "local", file: TEST_MODELS.tinyRandom, contextSize: 512 }, "main");
    expect(fresh.countTokens(text)).toBe(Math.ceil(text.length / 4));
    await fresh.complete(request({ maxTokens: 1 }));
    expect(fresh.countTokens(text)).toBe(fresh.loadedModel?.tokenize(text, false).length);
    await fresh.dispose();
  });

  it("defaults to one thread on a 2-core machine and never to node-llama-cpp's 4", async () => {
    const { threadsFor } = await import("../local/threads.js");
    expect(threadsFor(1)).toBe(1);
    expect(threadsFor(2)).toBe(1);
    expect(threadsFor(4)).toBe(2);
    expect(threadsFor(16)).toBe(8);
    expect(defaultThreads()).toBeGreaterThanOrEqual(1);
  });
});

describe("LocalModels with bad model files", () => {
  let dir: string;
  let models: LocalModels;

  function provider(file: string): LocalModelProvider {
    return models.provider({ provider: "local", file, contextSize: 512, threads: 1 }, "utility");
  }

  beforeAll(() => {
    const stories = fs.readFileSync(testModelPath(TEST_MODELS.stories));
    dir = makeTempDir("bad-models");
    fs.writeFileSync(path.join(dir, "notes.gguf"), "These are my notes, not a model.\n");
    fs.writeFileSync(path.join(dir, "cut.gguf"), stories.subarray(0, 600_000));
    fs.writeFileSync(path.join(dir, "cut-header.gguf"), stories.subarray(0, 3000));
    const garbage = Buffer.from(stories);
    for (let index = 8; index < 4096; index += 1) garbage[index] = (index * 7919) & 0xff;
    fs.writeFileSync(path.join(dir, "garbage.gguf"), garbage);
    // A valid header in front of a terabyte of holes: costs no disk, but no machine has that much memory free.
    fs.writeFileSync(path.join(dir, "huge.gguf"), stories);
    fs.truncateSync(path.join(dir, "huge.gguf"), 1024 ** 4);
    fs.copyFileSync(testModelPath(TEST_MODELS.stories), path.join(dir, "good.gguf"));
    models = new LocalModels({ modelsDir: dir, defaultThreads: 1 });
  });

  afterAll(async () => {
    await models.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it.each([
    ["missing.gguf", "model-file", /was not found/],
    ["notes.gguf", "model-file", /is not a GGUF file \(it starts with "Thes"/],
    ["cut.gguf", "model-file", /is truncated/],
    ["cut-header.gguf", "model-file", /is truncated/],
    ["garbage.gguf", "model-file", /corrupt GGUF header/],
    ["huge.gguf", "out-of-memory", /too large for this machine's memory/],
  ] as const)("%s fails with a typed error naming the file", async (file, kind, message) => {
    const error = await llmError(provider(file).complete(request()));
    expect(error.kind).toBe(kind);
    expect(error.file).toBe(path.join(dir, file));
    expect(error.message).toContain(path.join(dir, file));
    expect(error.message).toMatch(message);
    expect(error.retryable).toBe(false);
  });

  it("checks a model's size against the free memory before loading it", async () => {
    const tight = new LocalModels({ modelsDir: dir, defaultThreads: 1, freeMemory: () => 1_000_000 });
    const error = await llmError(tight.provider({ provider: "local", file: "good.gguf", contextSize: 512 }, "main").complete(request()));
    expect(error.kind).toBe("out-of-memory");
    expect(error.message).toMatch(/needs at least 0\.00 GiB but only 0\.00 GiB is free/);
    await tight.dispose();
  });

  it("still serves a good file after all of those", async () => {
    const result = await provider("good.gguf").complete(request());
    expect(result.text.length).toBeGreaterThan(0);
  });
});

describe("LocalModels when files change on disk", () => {
  let dir: string;
  let models: LocalModels;
  let loadCount = 0;

  beforeAll(() => {
    const stories = testModelPath(TEST_MODELS.stories);
    testModelPath(TEST_MODELS.tinyRandom);
    dir = makeTempDir("changing-models");
    fs.copyFileSync(stories, path.join(dir, "story.gguf"));
    models = new LocalModels({
      modelsDir: dir,
      defaultThreads: 1,
      onLoadProgress: (event) => {
        if (event.progress === 1) loadCount += 1;
      },
    });
  });

  afterAll(async () => {
    await models.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("reloads a replaced file, fails on a vanished one, and recovers when it returns", async () => {
    const main = models.provider({ provider: "local", file: "story.gguf", threads: 1 }, "main");
    const cot = models.provider({ provider: "local", file: "story.gguf", threads: 1 }, "cot");
    const before = await main.complete(request());
    await cot.complete(request());
    const storiesModel = main.loadedModel;
    expect(main.contextSize()).toBe(2048);
    expect(loadCount).toBe(1);

    const staging = path.join(dir, "incoming.tmp");
    fs.copyFileSync(testModelPath(TEST_MODELS.tinyRandom), staging);
    fs.renameSync(staging, path.join(dir, "story.gguf"));
    const after = await main.complete(request());
    expect(after.text).not.toBe(before.text);
    expect(main.loadedModel).not.toBe(storiesModel);
    expect(main.contextSize()).toBe(4096);
    await cot.complete(request());
    expect(cot.loadedModel).toBe(main.loadedModel);
    expect(storiesModel?.disposed).toBe(true);
    expect(loadCount).toBe(2);

    fs.rmSync(path.join(dir, "story.gguf"));
    const error = await llmError(main.complete(request()));
    expect(error.kind).toBe("model-file");
    expect(error.message).toMatch(/story\.gguf was not found/);

    fs.copyFileSync(testModelPath(TEST_MODELS.stories), path.join(dir, "story.gguf"));
    expect((await main.complete(request())).text).toBe(before.text);
    expect(loadCount).toBe(3);
  });

  it("reloads after invalidate() even when the file looks the same", async () => {
    const provider = models.provider({ provider: "local", file: "story.gguf", threads: 1 }, "utility");
    await provider.complete(request());
    const loadsBefore = loadCount;
    const model = provider.loadedModel;
    models.invalidate("story.gguf");
    await provider.complete(request());
    expect(provider.loadedModel).not.toBe(model);
    expect(loadCount).toBe(loadsBefore + 1);
  });
});
