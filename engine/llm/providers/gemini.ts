import { ApiError, GoogleGenAI, type Content, type GenerateContentConfig } from "@google/genai";
import { z } from "zod";
import type { GeminiModelSpec } from "../model-spec.js";
import type { CompletionRequest, CompletionResult, ModelProvider } from "../provider.js";
import { CallRunner, estimateTokens, priceCost, readKey, type CallControl, type CloudOptions } from "./cloud.js";
import { errorFromFailure, llmError, parseDuration, type ErrorContext, type Halt, type HttpFailure } from "./http-errors.js";

export type { CloudOptions } from "./cloud.js";

export const GEMINI_KEY_ENV = "GEMINI_API_KEY";

// The SDK maps fields without checking them; anything the server sends is checked here.
const StreamChunk = z.object({
  candidates: z.array(z.object({
    content: z.object({
      parts: z.array(z.object({ text: z.string().nullish(), thought: z.boolean().nullish() })).nullish(),
    }).nullish(),
    finishReason: z.string().nullish(),
  })).nullish(),
  usageMetadata: z.object({
    promptTokenCount: z.number().int().nonnegative().nullish(),
    candidatesTokenCount: z.number().int().nonnegative().nullish(),
    thoughtsTokenCount: z.number().int().nonnegative().nullish(),
  }).nullish(),
  modelVersion: z.string().nullish(),
  promptFeedback: z.object({ blockReason: z.string().nullish() }).nullish(),
});

/** Google's error envelope, with google.rpc details such as RetryInfo. */
const ErrorEnvelope = z.object({
  error: z.object({
    code: z.number().optional(),
    message: z.string().optional(),
    status: z.string().optional(),
    details: z.array(z.object({
      "@type": z.string().optional(),
      retryDelay: z.string().optional(),
      reason: z.string().optional(),
    })).optional(),
  }),
});

/**
 * The SDK's ApiError carries only the status and the body as text (after "got status: …. " for
 * errors inside a stream); the body is read back here for its message and RetryInfo.
 */
function readEnvelope(text: string): z.infer<typeof ErrorEnvelope> | undefined {
  const start = text.indexOf("{");
  if (start < 0) return undefined;
  try {
    const parsed = ErrorEnvelope.safeParse(JSON.parse(text.slice(start)));
    return parsed.success ? parsed.data : undefined;
  } catch {
    // A brace inside plain text, not a JSON body: the SDK's own text is all there is.
    return undefined;
  }
}

function httpFailureOf(error: unknown, headers: Headers | undefined): HttpFailure | undefined {
  if (!(error instanceof ApiError)) return undefined;
  const envelope = readEnvelope(error.message);
  const details = envelope?.error.details ?? [];
  const retryDelay = details.find((d) => d["@type"]?.endsWith("google.rpc.RetryInfo") === true && d.retryDelay !== undefined)?.retryDelay;
  // Gemini answers a bad key with 400 INVALID_ARGUMENT, not 401; it is still the key's fault.
  const badKey = details.some((d) => d.reason === "API_KEY_INVALID") || /API key not valid/i.test(error.message);
  return {
    status: error.status,
    credentialsRejected: badKey,
    message: envelope?.error.message ?? error.message,
    headers,
    retryDelayMs: retryDelay === undefined ? undefined : parseDuration(retryDelay),
  };
}

// What the SDK's own SSE parser throws when the stream ends inside an event.
const SDK_PARSE_FAILURE = /Incomplete JSON segment/;

function classify(error: unknown, halt: Halt | undefined, headers: Headers | undefined, ctx: ErrorContext) {
  if (halt === undefined && error instanceof Error && !(error instanceof ApiError) && SDK_PARSE_FAILURE.test(error.message)) {
    return llmError("malformed-output", "sent a stream that could not be parsed", ctx);
  }
  return errorFromFailure(error, halt, ctx, halt === undefined ? httpFailureOf(error, headers) : undefined);
}

function toContents(request: CompletionRequest): { system: string | undefined; contents: Content[] } {
  const system = request.messages.filter((m) => m.role === "system").map((m) => m.content);
  const contents = request.messages
    .filter((m) => m.role !== "system")
    .map((m): Content => ({ role: m.role === "assistant" ? "model" : "user", parts: [{ text: m.content }] }));
  // Gemini takes one system instruction; several system messages become its paragraphs.
  return { system: system.length === 0 ? undefined : system.join("\n\n"), contents };
}

export function createGeminiProvider(spec: GeminiModelSpec, options: CloudOptions): ModelProvider {
  const runner = new CallRunner(options);
  const key = readKey(options.env, GEMINI_KEY_ENV);
  const id = `gemini:${spec.model}`;
  const ctx: ErrorContext = {
    provider: id,
    label: "Gemini",
    secrets: key === undefined ? [] : [key],
    timeoutMs: runner.timeoutMs,
    authHint: `set ${GEMINI_KEY_ENV}`,
  };
  const client = key === undefined ? undefined : new GoogleGenAI({
    apiKey: key,
    // Explicit, or GOOGLE_GENAI_USE_VERTEXAI in the environment would switch backends behind our back.
    vertexai: false,
    ...(spec.baseUrl === undefined ? {} : { httpOptions: { baseUrl: spec.baseUrl } }),
  });

  async function stream(sdk: GoogleGenAI, request: CompletionRequest, control: CallControl, onFailure: (headers: Headers) => void): Promise<CompletionResult> {
    const { system, contents } = toContents(request);
    const config: GenerateContentConfig = {
      temperature: request.temperature,
      maxOutputTokens: request.maxTokens,
      ...(request.seed === undefined ? {} : { seed: request.seed }),
      ...(system === undefined ? {} : { systemInstruction: { parts: [{ text: system }] } }),
      ...(request.jsonSchema === undefined ? {} : { responseMimeType: "application/json", responseJsonSchema: request.jsonSchema }),
      abortSignal: control.signal,
      // Resuming a dropped stream is a retry, and retries are the router's job.
      automaticContinuation: false,
      httpOptions: {
        // The SDK's ApiError drops the response headers, and with them Retry-After.
        fetch: async (input, init) => {
          const response = await fetch(input, init);
          if (!response.ok) onFailure(response.headers);
          return response;
        },
      },
    };
    const chunks = await sdk.models.generateContentStream({ model: spec.model, contents, config });

    let text = "";
    let finish: string | undefined;
    let model: string | undefined;
    let blocked: string | undefined;
    let firstTokenMs: number | undefined;
    let usage: z.infer<typeof StreamChunk>["usageMetadata"];
    for await (const raw of chunks) {
      const parsed = StreamChunk.safeParse(raw);
      if (!parsed.success) throw llmError("malformed-output", "sent a stream chunk that is not a GenerateContentResponse", ctx);
      const chunk = parsed.data;
      if (chunk.modelVersion) model = chunk.modelVersion;
      if (chunk.usageMetadata) usage = chunk.usageMetadata;
      if (chunk.promptFeedback?.blockReason) blocked = chunk.promptFeedback.blockReason;
      const candidate = chunk.candidates?.[0];
      for (const part of candidate?.content?.parts ?? []) {
        // Thought summaries are the model's reasoning, not its answer.
        if (!part.text || part.thought === true) continue;
        firstTokenMs ??= Math.round(performance.now() - control.startedAt);
        text += part.text;
        request.onToken?.(part.text);
      }
      if (candidate?.finishReason) finish = candidate.finishReason;
    }
    control.signal.throwIfAborted();
    if (blocked !== undefined) throw llmError("invalid-request", `refused the prompt (${blocked})`, ctx);
    if (finish !== undefined && finish !== "STOP" && finish !== "MAX_TOKENS") {
      throw llmError("malformed-output", `stopped without a usable answer (${finish})`, ctx);
    }
    if (text === "") throw llmError("malformed-output", "the answer was empty", ctx);
    if (finish === undefined) throw llmError("network", "the stream ended before the answer was complete", ctx);

    const counted = {
      inputTokens: usage?.promptTokenCount ?? estimateTokens(request.messages.map((m) => m.content).join("")),
      // Thinking tokens are billed as output.
      outputTokens: usage?.candidatesTokenCount == null
        ? estimateTokens(text)
        : usage.candidatesTokenCount + (usage.thoughtsTokenCount ?? 0),
    };
    return {
      text,
      finishReason: finish === "MAX_TOKENS" ? "length" : "stop",
      usage: counted,
      costUsd: spec.pricing === undefined ? undefined : priceCost(spec.pricing, counted),
      firstTokenMs,
      model: model ?? spec.model,
    };
  }

  return {
    kind: "gemini",
    id,
    contextSize: () => spec.contextSize,
    countTokens: estimateTokens,
    async complete(request) {
      if (client === undefined) throw llmError("auth", `an API key is needed: set ${GEMINI_KEY_ENV}`, ctx);
      let failedHeaders: Headers | undefined;
      return runner.run(
        request.signal,
        (control) => stream(client, request, control, (headers) => { failedHeaders = headers; }),
        (error, halt) => classify(error, halt, failedHeaders, ctx),
      );
    },
    async dispose() {
      runner.dispose();
    },
  };
}
