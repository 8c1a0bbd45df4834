import { GoogleGenAI } from "@google/genai";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { GeminiModelSpec } from "../model-spec.js";
import type { ModelProvider } from "../provider.js";
import { ask, describeProviderContract, expectKind, TEST_KEY } from "./fixtures/provider-contract.js";
import { startGeminiServer, type GeminiScript } from "./fixtures/gemini-server.js";
import type { ScriptedServer } from "./fixtures/scripted-server.js";
import { createGeminiProvider } from "./gemini.js";

const KEY_ENV = "GEMINI_API_KEY";
const MODEL = "gemini-2.5-flash";

function spec(baseUrl: string, extra: Record<string, unknown> = {}): GeminiModelSpec {
  return GeminiModelSpec.parse({ provider: "gemini", model: MODEL, baseUrl, ...extra });
}

describeProviderContract<GeminiScript>("gemini", {
  keyEnv: KEY_ENV,
  start: startGeminiServer,
  provider: (baseUrl, env, options) => createGeminiProvider(spec(baseUrl), { env, ...options }),
  reply: (chunks, extra) => ({ type: "reply", chunks, ...extra }),
  error: (status, message, extra) => ({ type: "error", status, message, ...extra }),
  malformed: () => ({ type: "malformed" }),
  reset: (extra) => ({ type: "reset", ...extra }),
  sentKey: (request) => {
    const value = request.headers["x-goog-api-key"];
    return typeof value === "string" ? value : undefined;
  },
});

describe("gemini provider", () => {
  let server: ScriptedServer<GeminiScript>;
  const make = (extra: Record<string, unknown> = {}, env: Record<string, string | undefined> = { [KEY_ENV]: TEST_KEY }): ModelProvider =>
    createGeminiProvider(spec(server.url, extra), { env });

  beforeEach(async () => {
    server = await startGeminiServer();
  });
  afterEach(async () => {
    vi.unstubAllEnvs();
    await server.close();
  });

  it("streams with alt=sse, the key in x-goog-api-key, and system messages as the system instruction", async () => {
    server.enqueue({ type: "reply", chunks: ["Hello."] });
    await make().complete({
      messages: [
        { role: "system", content: "You are the narrator." },
        { role: "system", content: "The hero is Ana." },
        { role: "user", content: "Look around." },
        { role: "assistant", content: "A cave." },
        { role: "user", content: "Go north." },
      ],
      temperature: 0.6,
      maxTokens: 512,
      seed: 7,
    });
    const [request] = server.requests;
    expect(request?.method).toBe("POST");
    expect(request?.path).toBe(`/v1beta/models/${MODEL}:streamGenerateContent?alt=sse`);
    expect(request?.headers["x-goog-api-key"]).toBe(TEST_KEY);
    expect(request?.path).not.toContain(TEST_KEY);
    expect(request?.body).toEqual({
      contents: [
        { role: "user", parts: [{ text: "Look around." }] },
        { role: "model", parts: [{ text: "A cave." }] },
        { role: "user", parts: [{ text: "Go north." }] },
      ],
      systemInstruction: { parts: [{ text: "You are the narrator.\n\nThe hero is Ana." }] },
      generationConfig: { temperature: 0.6, maxOutputTokens: 512, seed: 7 },
    });
  });

  it("asks for JSON with responseMimeType and responseJsonSchema", async () => {
    const schema = { type: "object", properties: { verdict: { type: "boolean" } }, required: ["verdict"] };
    server.enqueue({ type: "reply", chunks: ['{"verdict":', "true}"] });
    const result = await make().complete(ask("Did the player insult the king?", { jsonSchema: schema }));
    expect(JSON.parse(result.text)).toEqual({ verdict: true });
    expect(server.requests[0]?.body).toMatchObject({
      generationConfig: { responseMimeType: "application/json", responseJsonSchema: schema },
    });
  });

  it("counts usage from usageMetadata, thinking tokens as output, and prices it from the table", async () => {
    server.enqueue({
      type: "reply",
      chunks: ["The answer."],
      thoughts: ["Let me think about the cave."],
      usage: { promptTokenCount: 1_000, candidatesTokenCount: 300, thoughtsTokenCount: 200 },
      modelVersion: "gemini-2.5-flash-001",
    });
    const deltas: string[] = [];
    const result = await make({ pricing: { inputPerMillion: 0.3, outputPerMillion: 2.5 } })
      .complete(ask("Hi", { onToken: (d) => deltas.push(d) }));
    expect(result.text).toBe("The answer.");
    expect(deltas).toEqual(["The answer."]);
    expect(result.usage).toEqual({ inputTokens: 1_000, outputTokens: 500 });
    expect(result.costUsd).toBeCloseTo((1_000 * 0.3 + 500 * 2.5) / 1e6, 12);
    expect(result.model).toBe("gemini-2.5-flash-001");
  });

  it("takes the retry delay from RetryInfo when there is no Retry-After header", async () => {
    server.enqueue({ type: "error", status: 429, message: "Resource has been exhausted", retryDelay: "7s" });
    expect((await expectKind(make().complete(ask("Hi")), "rate-limit")).retryAfterMs).toBe(7_000);
  });

  it("prefers the Retry-After header to RetryInfo", async () => {
    server.enqueue({ type: "error", status: 429, message: "slow down", retryDelay: "7s", retryAfter: "2" });
    expect((await expectKind(make().complete(ask("Hi")), "rate-limit")).retryAfterMs).toBe(2_000);
  });

  it("treats Gemini's 400 for a bad key as auth", async () => {
    server.enqueue({ type: "error", status: 400, message: "API key not valid. Please pass a valid API key." });
    const error = await expectKind(make().complete(ask("Hi")), "auth");
    expect(error.status).toBe(400);
  });

  it("maps an error envelope inside the 200 stream by its code", async () => {
    server.enqueue(
      { type: "reply", chunks: ["Once"], streamError: { code: 503, message: "The model is overloaded.", status: "UNAVAILABLE" } },
      { type: "reply", chunks: ["Once"], streamError: { code: 429, message: "Quota exceeded", status: "RESOURCE_EXHAUSTED" } },
    );
    const provider = make();
    const error = await expectKind(provider.complete(ask("Hi")), "server");
    expect(error.message).toContain("The model is overloaded.");
    await expectKind(provider.complete(ask("Hi")), "rate-limit");
  });

  it("maps the input token limit message to context-overflow", async () => {
    server.enqueue({ type: "error", status: 400, message: "The input token count (1200000) exceeds the maximum number of tokens allowed (1048576)." });
    await expectKind(make().complete(ask("Hi")), "context-overflow");
  });

  it("fails with malformed-output when the stream ends inside an event", async () => {
    server.enqueue({ type: "malformed", unterminated: true });
    await expectKind(make().complete(ask("Hi")), "malformed-output");
  });

  it("reports MAX_TOKENS as finish reason length", async () => {
    server.enqueue({ type: "reply", chunks: ["cut sh"], finishReason: "MAX_TOKENS" });
    expect((await make().complete(ask("Hi"))).finishReason).toBe("length");
  });

  it("fails with malformed-output when the answer is stopped for safety", async () => {
    server.enqueue({ type: "reply", chunks: ["The"], finishReason: "SAFETY" });
    const error = await expectKind(make().complete(ask("Hi")), "malformed-output");
    expect(error.message).toContain("SAFETY");
  });

  it("fails with invalid-request when the prompt itself is blocked", async () => {
    server.enqueue({ type: "reply", chunks: [], blockReason: "PROHIBITED_CONTENT" });
    await expectKind(make().complete(ask("Hi")), "invalid-request");
  });

  it("fails with auth before any request when GEMINI_API_KEY is missing", async () => {
    const error = await expectKind(make({}, {}).complete(ask("Hi")), "auth");
    expect(error.message).toContain(KEY_ENV);
    expect(server.requests).toHaveLength(0);
  });

  it("stays on the Gemini API whatever GOOGLE_GENAI_USE_VERTEXAI says", async () => {
    vi.stubEnv("GOOGLE_GENAI_USE_VERTEXAI", "true");
    server.enqueue({ type: "reply", chunks: ["ok"] });
    expect((await make().complete(ask("Hi"))).text).toBe("ok");
    expect(server.requests[0]?.path).toMatch(/^\/v1beta\/models\//);
  });

  it("is identified by its model and reports the configured context size", () => {
    const provider = make({ contextSize: 1_048_576 });
    expect(provider.kind).toBe("gemini");
    expect(provider.id).toBe(`gemini:${MODEL}`);
    expect(provider.contextSize()).toBe(1_048_576);
  });

  it("fixture: answers :generateContent with one GenerateContentResponse", async () => {
    server.enqueue({ type: "reply", chunks: ["Hel", "lo"], usage: { promptTokenCount: 4, candidatesTokenCount: 2 } });
    const sdk = new GoogleGenAI({ apiKey: TEST_KEY, vertexai: false, httpOptions: { baseUrl: server.url } });
    const response = await sdk.models.generateContent({ model: MODEL, contents: "Hi" });
    expect(response.text).toBe("Hello");
    expect(response.usageMetadata).toMatchObject({ promptTokenCount: 4, candidatesTokenCount: 2, totalTokenCount: 6 });
    expect(server.requests[0]?.path).toBe(`/v1beta/models/${MODEL}:generateContent`);
  });
});
