import { z } from "zod";

/**
 * The one interface every model provider implements. The router talks only to this; a new
 * provider is one file in providers/ that returns a ModelProvider.
 */

export const ChatMessage = z.object({
  role: z.enum(["system", "user", "assistant"]),
  content: z.string(),
});
export type ChatMessage = z.infer<typeof ChatMessage>;

/** A JSON Schema (draft 2020-12 subset) the output must follow. */
export type JsonSchema = { readonly [key: string]: unknown };

export interface CompletionRequest {
  readonly messages: readonly ChatMessage[];
  readonly temperature: number;
  readonly maxTokens: number;
  /** Constrain the output to JSON following this schema (grammar, response_format, responseSchema). */
  readonly jsonSchema?: JsonSchema;
  readonly seed?: number;
  readonly signal?: AbortSignal;
  /** Called with each piece of text as it is generated. */
  readonly onToken?: (delta: string) => void;
}

export type FinishReason = "stop" | "length" | "aborted";

export interface Usage {
  readonly inputTokens: number;
  readonly outputTokens: number;
}

export interface CompletionResult {
  readonly text: string;
  readonly finishReason: FinishReason;
  readonly usage: Usage;
  /** What the provider says the call cost, when it says (OpenRouter's usage accounting). */
  readonly costUsd?: number;
  /** Milliseconds from the call to its first generated text, when streamed. */
  readonly firstTokenMs?: number;
  /** The model id as the provider reports it. */
  readonly model: string;
}

export const PROVIDER_KINDS = ["local", "openrouter", "openai-compatible", "gemini"] as const;
export type ProviderKind = (typeof PROVIDER_KINDS)[number];

export interface ModelProvider {
  readonly kind: ProviderKind;
  /** A stable, human-readable id for the ledger: "local:stories260K.gguf", "openrouter:qwen/qwen3-8b". */
  readonly id: string;
  /** The context window in tokens, when known. */
  contextSize(): number | undefined;
  /** Tokens this text takes for this model: exact where the tokenizer is at hand, else an estimate. */
  countTokens(text: string): number;
  complete(request: CompletionRequest): Promise<CompletionResult>;
  dispose(): Promise<void>;
}
