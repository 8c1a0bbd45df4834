import { z } from "zod";

/**
 * How settings name a model: which provider, which model, and its per-model options. API keys
 * are never part of a spec; providers read them from the environment or the OS keychain.
 */

export const Pricing = z.object({
  /** USD per million input and output tokens. */
  inputPerMillion: z.number().min(0),
  outputPerMillion: z.number().min(0),
});
export type Pricing = z.infer<typeof Pricing>;

export const LocalModelSpec = z.object({
  provider: z.literal("local"),
  /** A GGUF file name inside the models folder (or an absolute path). */
  file: z.string().min(1),
  contextSize: z.number().int().min(128).max(1 << 20).optional(),
  gpuLayers: z.number().int().min(0).optional(),
  /** Defaults from the machine's cores; node-llama-cpp's own default of 4 is ruinous on 2 cores. */
  threads: z.number().int().min(1).max(256).optional(),
});

export const OpenRouterModelSpec = z.object({
  provider: z.literal("openrouter"),
  model: z.string().min(1),
  baseUrl: z.string().url().optional(),
  contextSize: z.number().int().min(128).optional(),
  pricing: Pricing.optional(),
});

export const OpenAICompatibleModelSpec = z.object({
  provider: z.literal("openai-compatible"),
  model: z.string().min(1),
  baseUrl: z.string().url(),
  /** Environment variable holding the key, if the server wants one. */
  apiKeyEnv: z.string().regex(/^[A-Z_][A-Z0-9_]*$/).default("OPENAI_COMPATIBLE_API_KEY"),
  contextSize: z.number().int().min(128).optional(),
  pricing: Pricing.optional(),
});

export const GeminiModelSpec = z.object({
  provider: z.literal("gemini"),
  model: z.string().min(1),
  baseUrl: z.string().url().optional(),
  contextSize: z.number().int().min(128).optional(),
  pricing: Pricing.optional(),
});

export const ModelSpec = z.discriminatedUnion("provider", [
  LocalModelSpec, OpenRouterModelSpec, OpenAICompatibleModelSpec, GeminiModelSpec,
]);
export type ModelSpec = z.infer<typeof ModelSpec>;
export type LocalModelSpec = z.infer<typeof LocalModelSpec>;
export type OpenRouterModelSpec = z.infer<typeof OpenRouterModelSpec>;
export type OpenAICompatibleModelSpec = z.infer<typeof OpenAICompatibleModelSpec>;
export type GeminiModelSpec = z.infer<typeof GeminiModelSpec>;

export const SLOTS = ["main", "cot", "utility"] as const;
export const Slot = z.enum(SLOTS);
export type Slot = z.infer<typeof Slot>;
