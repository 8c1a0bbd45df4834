import OpenAI from "openai";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { OpenAICompatibleModelSpec } from "../model-spec.js";
import type { ModelProvider } from "../provider.js";
import { ask, describeProviderContract, expectKind, TEST_KEY } from "./fixtures/provider-contract.js";
import { startOpenAIServer, type OpenAIScript } from "./fixtures/openai-server.js";
import type { ScriptedServer } from "./fixtures/scripted-server.js";
import { createOpenAICompatibleProvider, NO_KEY_PLACEHOLDER } from "./openai-compatible.js";

const KEY_ENV = "OPENAI_COMPATIBLE_API_KEY";

function spec(baseUrl: string, extra: Record<string, unknown> = {}): OpenAICompatibleModelSpec {
  return OpenAICompatibleModelSpec.parse({ provider: "openai-compatible", model: "qwen3:8b", baseUrl: `${baseUrl}/v1`, ...extra });
}

function bearer(headers: Record<string, unknown>): string | undefined {
  const value = headers["authorization"];
  return typeof value === "string" ? value.replace(/^Bearer /, "") : undefined;
}

describeProviderContract<OpenAIScript>("openai-compatible", {
  keyEnv: KEY_ENV,
  start: startOpenAIServer,
  provider: (baseUrl, env, options) => createOpenAICompatibleProvider(spec(baseUrl), { env, ...options }),
  reply: (chunks, extra) => ({ type: "reply", chunks, ...extra }),
  error: (status, message, extra) => ({ type: "error", status, message, ...extra }),
  malformed: () => ({ type: "malformed" }),
  reset: (extra) => ({ type: "reset", ...extra }),
  sentKey: (request) => bearer(request.headers),
});

describe("openai-compatible provider", () => {
  let server: ScriptedServer<OpenAIScript>;
  const env = { [KEY_ENV]: TEST_KEY };
  const make = (extra: Record<string, unknown> = {}, keys: Record<string, string | undefined> = env): ModelProvider =>
    createOpenAICompatibleProvider(spec(server.url, extra), { env: keys });

  beforeEach(async () => {
    server = await startOpenAIServer();
  });
  afterEach(async () => {
    vi.unstubAllEnvs();
    await server.close();
  });

  it("sends a streaming chat completion with usage, sampling settings and the key", async () => {
    server.enqueue({ type: "reply", chunks: ["Hello."] });
    await make().complete(ask("Greet me.", { temperature: 0.3, maxTokens: 99, seed: 42 }));
    const [request] = server.requests;
    expect(request?.method).toBe("POST");
    expect(request?.path).toBe("/v1/chat/completions");
    expect(request?.headers["authorization"]).toBe(`Bearer ${TEST_KEY}`);
    expect(request?.body).toEqual({
      model: "qwen3:8b",
      messages: [{ role: "system", content: "You are the narrator." }, { role: "user", content: "Greet me." }],
      stream: true,
      stream_options: { include_usage: true },
      temperature: 0.3,
      max_tokens: 99,
      seed: 42,
    });
  });

  it("asks for JSON through response_format json_schema, strict, named by the schema's title", async () => {
    const schema = {
      title: "intent",
      type: "object",
      properties: { verb: { type: "string" } },
      required: ["verb"],
      additionalProperties: false,
    };
    server.enqueue({ type: "reply", chunks: ['{"verb":', '"open"}'] });
    const result = await make().complete(ask("Open the door.", { jsonSchema: schema }));
    expect(JSON.parse(result.text)).toEqual({ verb: "open" });
    expect(server.requests[0]?.body).toMatchObject({
      response_format: { type: "json_schema", json_schema: { name: "intent", schema, strict: true } },
    });
  });

  it("names an untitled schema 'response'", async () => {
    server.enqueue({ type: "reply", chunks: ["{}"] });
    await make().complete(ask("Hi", { jsonSchema: { type: "object", title: "not a valid name!" } }));
    expect(server.requests[0]?.body).toMatchObject({ response_format: { json_schema: { name: "response" } } });
  });

  it("prices the call from the spec's price table", async () => {
    server.enqueue({ type: "reply", chunks: ["ok"], usage: { prompt_tokens: 1000, completion_tokens: 500 } });
    const result = await make({ pricing: { inputPerMillion: 1, outputPerMillion: 2 } }).complete(ask("Hi"));
    expect(result.usage).toEqual({ inputTokens: 1000, outputTokens: 500 });
    expect(result.costUsd).toBeCloseTo(0.002, 12);
  });

  it("reports no cost without a price table", async () => {
    server.enqueue({ type: "reply", chunks: ["ok"] });
    expect((await make().complete(ask("Hi"))).costUsd).toBeUndefined();
  });

  it("estimates usage when the server ignores include_usage", async () => {
    server.enqueue({ type: "reply", chunks: ["12345678"], noUsage: true });
    const result = await make().complete({ messages: [{ role: "user", content: "1234" }], temperature: 0, maxTokens: 8 });
    expect(result.usage).toEqual({ inputTokens: 1, outputTokens: 2 });
  });

  it("reports finish_reason length and the model the server names", async () => {
    server.enqueue({ type: "reply", chunks: ["cut"], finishReason: "length", model: "qwen3:8b-q4_K_M" });
    const result = await make().complete(ask("Hi"));
    expect(result.finishReason).toBe("length");
    expect(result.model).toBe("qwen3:8b-q4_K_M");
  });

  it("talks to keyless servers with a placeholder key, and names the variable when one is refused", async () => {
    server.enqueue({ type: "reply", chunks: ["no key needed"] }, { type: "error", status: 401, message: "key required" });
    const provider = make({}, {});
    expect((await provider.complete(ask("Hi"))).text).toBe("no key needed");
    expect(server.requests[0]?.headers["authorization"]).toBe(`Bearer ${NO_KEY_PLACEHOLDER}`);
    const error = await expectKind(provider.complete(ask("Hi")), "auth");
    expect(error.message).toContain(`set ${KEY_ENV}`);
  });

  it("reads the key from the spec's own variable", async () => {
    server.enqueue({ type: "reply", chunks: ["ok"] });
    await make({ apiKeyEnv: "VLLM_KEY" }, { VLLM_KEY: "vllm-secret-key" }).complete(ask("Hi"));
    expect(server.requests[0]?.headers["authorization"]).toBe("Bearer vllm-secret-key");
  });

  it("does not pass OPENAI_* settings from the process environment to the server", async () => {
    vi.stubEnv("OPENAI_ORG_ID", "org-leak");
    vi.stubEnv("OPENAI_PROJECT_ID", "proj-leak");
    vi.stubEnv("OPENAI_API_KEY", "sk-process-env");
    server.enqueue({ type: "reply", chunks: ["ok"] });
    await make().complete(ask("Hi"));
    const headers = server.requests[0]?.headers ?? {};
    expect(headers["openai-organization"]).toBeUndefined();
    expect(headers["openai-project"]).toBeUndefined();
    expect(headers["authorization"]).toBe(`Bearer ${TEST_KEY}`);
  });

  it("is identified by model and host, and reports the configured context size", () => {
    const provider = make({ contextSize: 32_768 });
    expect(provider.kind).toBe("openai-compatible");
    expect(provider.id).toBe(`openai-compatible:qwen3:8b@${new URL(server.url).host}`);
    expect(provider.contextSize()).toBe(32_768);
    expect(make().contextSize()).toBeUndefined();
  });

  it("fixture: answers non-streaming requests with a chat.completion", async () => {
    server.enqueue({ type: "reply", chunks: ["Hel", "lo"], usage: { prompt_tokens: 3, completion_tokens: 2 } });
    const sdk = new OpenAI({ apiKey: TEST_KEY, baseURL: `${server.url}/v1`, maxRetries: 0 });
    const completion = await sdk.chat.completions.create({ model: "m", messages: [{ role: "user", content: "Hi" }] });
    expect(completion.choices[0]?.message.content).toBe("Hello");
    expect(completion.usage).toMatchObject({ prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 });
  });
});
