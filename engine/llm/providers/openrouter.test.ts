import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { OpenRouterModelSpec } from "../model-spec.js";
import type { ModelProvider } from "../provider.js";
import { ask, describeProviderContract, expectKind, TEST_KEY } from "./fixtures/provider-contract.js";
import { startOpenAIServer, type OpenAIScript } from "./fixtures/openai-server.js";
import type { ScriptedServer } from "./fixtures/scripted-server.js";
import { createOpenRouterProvider, OPENROUTER_BASE_URL } from "./openrouter.js";

const KEY_ENV = "OPENROUTER_API_KEY";

function spec(baseUrl: string, extra: Record<string, unknown> = {}): OpenRouterModelSpec {
  return OpenRouterModelSpec.parse({ provider: "openrouter", model: "qwen/qwen3-8b", baseUrl: `${baseUrl}/api/v1`, ...extra });
}

describeProviderContract<OpenAIScript>("openrouter", {
  keyEnv: KEY_ENV,
  start: startOpenAIServer,
  provider: (baseUrl, env, options) => createOpenRouterProvider(spec(baseUrl), { env, ...options }),
  reply: (chunks, extra) => ({ type: "reply", chunks, comments: true, ...extra }),
  error: (status, message, extra) => ({ type: "error", status, message, ...extra }),
  malformed: () => ({ type: "malformed" }),
  reset: (extra) => ({ type: "reset", ...extra }),
  sentKey: (request) => {
    const value = request.headers["authorization"];
    return typeof value === "string" ? value.replace(/^Bearer /, "") : undefined;
  },
});

describe("openrouter provider", () => {
  let server: ScriptedServer<OpenAIScript>;
  const make = (extra: Record<string, unknown> = {}, env: Record<string, string | undefined> = { [KEY_ENV]: TEST_KEY }): ModelProvider =>
    createOpenRouterProvider(spec(server.url, extra), { env });

  beforeEach(async () => {
    server = await startOpenAIServer();
  });
  afterEach(async () => {
    await server.close();
  });

  it("sends OpenRouter's attribution headers and asks for usage accounting", async () => {
    server.enqueue({ type: "reply", chunks: ["Hi."] });
    await make().complete(ask("Hello"));
    const [request] = server.requests;
    expect(request?.path).toBe("/api/v1/chat/completions");
    expect(request?.headers["http-referer"]).toMatch(/^https:\/\//);
    expect(request?.headers["x-title"]).toBe("Taleweave");
    expect(request?.headers["authorization"]).toBe(`Bearer ${TEST_KEY}`);
    expect(request?.body).toMatchObject({
      model: "qwen/qwen3-8b",
      stream: true,
      stream_options: { include_usage: true },
      usage: { include: true },
    });
  });

  it("takes the cost from OpenRouter's usage accounting, over the price table", async () => {
    server.enqueue({ type: "reply", chunks: ["ok"], usage: { prompt_tokens: 194, completion_tokens: 2, cost: 0.000_95 } });
    const result = await make({ pricing: { inputPerMillion: 100, outputPerMillion: 100 } }).complete(ask("Hi"));
    expect(result.usage).toEqual({ inputTokens: 194, outputTokens: 2 });
    expect(result.costUsd).toBe(0.000_95);
  });

  it("falls back to the price table when no cost is reported", async () => {
    server.enqueue({ type: "reply", chunks: ["ok"], usage: { prompt_tokens: 2_000, completion_tokens: 1_000 } });
    const result = await make({ pricing: { inputPerMillion: 0.5, outputPerMillion: 1.5 } }).complete(ask("Hi"));
    expect(result.costUsd).toBeCloseTo(0.0025, 12);
  });

  it("skips the ': OPENROUTER PROCESSING' comment lines", async () => {
    server.enqueue({ type: "reply", chunks: ["a", "b"], comments: true });
    const deltas: string[] = [];
    const result = await make().complete(ask("Hi", { onToken: (d) => deltas.push(d) }));
    expect(result.text).toBe("ab");
    expect(deltas).toEqual(["a", "b"]);
  });

  it("fails with server on an error chunk inside a 200 stream", async () => {
    server.enqueue({ type: "reply", chunks: ["Once"], streamError: { code: "server_error", message: "Provider disconnected unexpectedly" } });
    const error = await expectKind(make().complete(ask("Hi")), "server");
    expect(error.message).toContain("Provider disconnected unexpectedly");
  });

  it("reads a numeric code in a mid-stream error chunk as an HTTP status", async () => {
    server.enqueue(
      { type: "reply", chunks: ["Once"], streamError: { code: 502, message: "upstream down" } },
      { type: "reply", chunks: ["Once"], streamError: { code: 429, message: "upstream rate limit" } },
    );
    const provider = make();
    expect((await expectKind(provider.complete(ask("Hi")), "server")).status).toBe(502);
    expect((await expectKind(provider.complete(ask("Hi")), "rate-limit")).status).toBe(429);
  });

  it("treats 402 (out of credits) as an account problem, not worth a retry", async () => {
    server.enqueue({ type: "error", status: 402, message: "Insufficient credits" });
    const error = await expectKind(make().complete(ask("Hi")), "auth");
    expect(error.retryable).toBe(false);
  });

  it("fails with auth before any request when OPENROUTER_API_KEY is missing or blank", async () => {
    for (const env of [{}, { [KEY_ENV]: "  " }]) {
      const error = await expectKind(make({}, env).complete(ask("Hi")), "auth");
      expect(error.message).toContain(KEY_ENV);
    }
    expect(server.requests).toHaveLength(0);
  });

  it("uses OpenRouter's API by default and is identified by its model", () => {
    expect(OPENROUTER_BASE_URL).toBe("https://openrouter.ai/api/v1");
    const provider = createOpenRouterProvider(
      OpenRouterModelSpec.parse({ provider: "openrouter", model: "qwen/qwen3-8b", contextSize: 40_960 }),
      { env: {} },
    );
    expect(provider.kind).toBe("openrouter");
    expect(provider.id).toBe("openrouter:qwen/qwen3-8b");
    expect(provider.contextSize()).toBe(40_960);
  });
});
