import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError } from "openai";
import type { ChatCompletionCreateParamsStreaming } from "openai/resources/chat/completions";
import { z } from "zod";
import type { OpenAICompatibleModelSpec, Pricing } from "../model-spec.js";
import type { CompletionRequest, CompletionResult, FinishReason, JsonSchema, ModelProvider } from "../provider.js";
import { CallRunner, estimateTokens, priceCost, readKey, type CallControl, type CloudOptions } from "./cloud.js";
import { errorFromFailure, llmError, type ErrorContext, type Halt, type HttpFailure } from "./http-errors.js";

export type { CloudOptions } from "./cloud.js";

/**
 * Chat completions over the OpenAI wire format, shared by every server that speaks it: Ollama,
 * LM Studio, vLLM, llama.cpp's server, and OpenRouter (see openrouter.ts).
 */

export interface ChatCompletionsConfig {
  readonly kind: "openai-compatible" | "openrouter";
  readonly id: string;
  /** How messages name the server to the player. */
  readonly label: string;
  readonly model: string;
  readonly baseUrl: string;
  /** Undefined when the server needs a key and none is set: calls then fail with "auth" before any request. */
  readonly apiKey: string | undefined;
  /** What the player should do about a missing or refused key: "set OPENROUTER_API_KEY". */
  readonly authHint: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** Ask for OpenRouter's usage accounting, which puts the call's cost in the final usage chunk. */
  readonly usageAccounting?: boolean;
  readonly contextSize: number | undefined;
  readonly pricing: Pricing | undefined;
}

/** OpenRouter's usage-accounting switch, which the OpenAI request type does not know. */
type ChatRequestBody = ChatCompletionCreateParamsStreaming & { usage?: { include: boolean } };

// The SDK does not check chunks at all; anything a server sends is checked here.
const StreamChunk = z.object({
  model: z.string().nullish(),
  choices: z.array(z.object({
    delta: z.object({ content: z.string().nullish() }).nullish(),
    finish_reason: z.string().nullish(),
  })).nullish(),
  usage: z.object({
    prompt_tokens: z.number().int().nonnegative(),
    completion_tokens: z.number().int().nonnegative(),
    cost: z.number().nonnegative().nullish(),
  }).nullish(),
});

const ErrorBody = z.object({
  message: z.string().optional(),
  code: z.union([z.string(), z.number()]).nullish(),
});

/** OpenAI's rule for json_schema names; a schema's own title is used when it fits. */
function schemaName(schema: JsonSchema): string {
  const title = schema["title"];
  return typeof title === "string" && /^[A-Za-z0-9_-]{1,64}$/.test(title) ? title : "response";
}

function httpFailureOf(error: unknown): HttpFailure | undefined {
  if (!(error instanceof APIError) || error instanceof APIConnectionError) return undefined;
  const body = ErrorBody.safeParse(error.error);
  const message = (body.success ? body.data.message : undefined) ?? error.message;
  const code = body.success ? body.data.code : undefined;
  if (error.status !== undefined) {
    return { status: error.status, message, headers: error.headers, code: typeof code === "string" ? code : undefined };
  }
  // An error chunk inside a 200 stream (OpenRouter's mid-generation failures): a numeric code is an HTTP status.
  if (typeof code === "number" && code >= 400 && code < 600) return { status: code, message };
  return undefined;
}

export function createChatCompletionsProvider(config: ChatCompletionsConfig, options: CloudOptions): ModelProvider {
  const runner = new CallRunner(options);
  const ctx: ErrorContext = {
    provider: config.id,
    label: config.label,
    secrets: config.apiKey === undefined ? [] : [config.apiKey],
    timeoutMs: runner.timeoutMs,
    authHint: config.authHint,
  };
  const client = config.apiKey === undefined ? undefined : new OpenAI({
    apiKey: config.apiKey,
    baseURL: config.baseUrl,
    // Retries, backoff and fallback are the router's job; a retrying SDK would hide failures from it.
    maxRetries: 0,
    timeout: runner.timeoutMs,
    defaultHeaders: config.headers,
    // Explicit nulls, or the SDK picks these up from OPENAI_* variables and sends them to any server.
    organization: null,
    project: null,
    adminAPIKey: null,
    webhookSecret: null,
    // Failures come back as LlmErrors for the ledger; the SDK's console output would only duplicate them.
    logLevel: "off",
  });

  function classify(error: unknown, halt: Halt | undefined) {
    if (halt === undefined && error instanceof APIConnectionTimeoutError) {
      return llmError("timeout", `no answer began within ${runner.timeoutMs} ms`, ctx);
    }
    const http = halt === undefined ? httpFailureOf(error) : undefined;
    if (http === undefined && halt === undefined && error instanceof APIError && error.status === undefined && error.error !== undefined) {
      const body = ErrorBody.safeParse(error.error);
      const said = body.success && body.data.message !== undefined ? `: ${body.data.message}` : "";
      return llmError("server", `the model failed mid-answer${said}`, ctx);
    }
    return errorFromFailure(error, halt, ctx, http);
  }

  async function stream(sdk: OpenAI, request: CompletionRequest, control: CallControl): Promise<CompletionResult> {
    const body: ChatRequestBody = {
      model: config.model,
      messages: request.messages.map((m) => ({ role: m.role, content: m.content })),
      stream: true,
      stream_options: { include_usage: true },
      temperature: request.temperature,
      // max_tokens rather than max_completion_tokens: every compatible server (Ollama, llama.cpp,
      // vLLM, LM Studio, OpenRouter) reads it, while the newer name is not universally known.
      max_tokens: request.maxTokens,
      ...(request.seed === undefined ? {} : { seed: request.seed }),
      ...(request.jsonSchema === undefined ? {} : {
        response_format: {
          type: "json_schema",
          json_schema: { name: schemaName(request.jsonSchema), schema: { ...request.jsonSchema }, strict: true },
        },
      }),
      // Documented as always on now, but older deployments and proxies only report cost when asked.
      ...(config.usageAccounting === true ? { usage: { include: true } } : {}),
    };
    const chunks = await sdk.chat.completions.create(body, { signal: control.signal });

    let text = "";
    let finish: string | undefined;
    let model: string | undefined;
    let firstTokenMs: number | undefined;
    let reported: z.infer<typeof StreamChunk>["usage"];
    for await (const raw of chunks) {
      const parsed = StreamChunk.safeParse(raw);
      if (!parsed.success) throw llmError("malformed-output", "sent a stream chunk that is not a chat completion chunk", ctx);
      const chunk = parsed.data;
      if (chunk.model) model = chunk.model;
      if (chunk.usage) reported = chunk.usage;
      const choice = chunk.choices?.[0];
      const delta = choice?.delta?.content;
      if (delta) {
        firstTokenMs ??= Math.round(performance.now() - control.startedAt);
        text += delta;
        request.onToken?.(delta);
      }
      if (choice?.finish_reason) finish = choice.finish_reason;
    }
    // The SDK ends the iteration quietly when its signal fires; the deadline or the caller's abort must still fail the call.
    control.signal.throwIfAborted();
    if (finish === "error") throw llmError("server", "the model stopped with an error mid-answer", ctx);
    if (text === "") throw llmError("malformed-output", "the answer was empty", ctx);
    if (finish === undefined) throw llmError("network", "the stream ended before the answer was complete", ctx);

    const finishReason: FinishReason = finish === "length" ? "length" : "stop";
    // Some compatible servers ignore include_usage; an estimate keeps budgets and the ledger meaningful.
    const usage = reported
      ? { inputTokens: reported.prompt_tokens, outputTokens: reported.completion_tokens }
      : { inputTokens: estimateTokens(request.messages.map((m) => m.content).join("")), outputTokens: estimateTokens(text) };
    const costUsd = reported?.cost ?? (config.pricing === undefined ? undefined : priceCost(config.pricing, usage));
    return { text, finishReason, usage, costUsd, firstTokenMs, model: model ?? config.model };
  }

  return {
    kind: config.kind,
    id: config.id,
    contextSize: () => config.contextSize,
    countTokens: estimateTokens,
    async complete(request) {
      if (client === undefined) throw llmError("auth", `an API key is needed: ${config.authHint}`, ctx);
      return runner.run(request.signal, (control) => stream(client, request, control), classify);
    },
    async dispose() {
      runner.dispose();
    },
  };
}

/** Sent when no key is set: local servers want none, but the SDK will not send a request without one. */
export const NO_KEY_PLACEHOLDER = "no-key-configured";

export function createOpenAICompatibleProvider(spec: OpenAICompatibleModelSpec, options: CloudOptions): ModelProvider {
  const key = readKey(options.env, spec.apiKeyEnv);
  const host = new URL(spec.baseUrl).host;
  return createChatCompletionsProvider({
    kind: "openai-compatible",
    // The host is part of the id: the same model on two servers must not share a circuit breaker or ledger line.
    id: `openai-compatible:${spec.model}@${host}`,
    label: `The model server at ${host}`,
    model: spec.model,
    baseUrl: spec.baseUrl,
    apiKey: key ?? NO_KEY_PLACEHOLDER,
    authHint: key === undefined ? `set ${spec.apiKeyEnv} if this server needs a key` : `check ${spec.apiKeyEnv}`,
    contextSize: spec.contextSize,
    pricing: spec.pricing,
  }, options);
}
