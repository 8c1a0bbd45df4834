import { z } from "zod";
import { Complexity, Slot, TaskType } from "../../../engine/api/index.js";

/**
 * The settings document (AppSettings) as far as the settings screen edits it. The host validates
 * the whole document on `settings.update`; here the shape is read loosely, keeping every field it
 * does not know (router defaults, cache policy, per-model options) so that saving never drops them.
 */

export const PROVIDERS = ["local", "openrouter", "openai-compatible", "gemini"] as const;
export type Provider = (typeof PROVIDERS)[number];

export const PROVIDER_LABELS: Readonly<Record<Provider, string>> = {
  local: "Local GGUF file",
  openrouter: "OpenRouter",
  "openai-compatible": "OpenAI-compatible server",
  gemini: "Gemini",
};

const Pricing = z.looseObject({ inputPerMillion: z.number(), outputPerMillion: z.number() });

const ModelEntrySchema = z.looseObject({
  provider: z.enum(PROVIDERS),
  file: z.string().optional(),
  model: z.string().optional(),
  baseUrl: z.string().optional(),
  apiKeyEnv: z.string().optional(),
  contextSize: z.number().optional(),
  threads: z.number().optional(),
  gpuLayers: z.number().optional(),
  pricing: Pricing.optional(),
});
export type ModelEntry = z.infer<typeof ModelEntrySchema>;

const RouteCellSchema = z.looseObject({
  slot: Slot.optional(),
  temperature: z.number().optional(),
  maxTokens: z.number().optional(),
});
export type RouteCell = z.infer<typeof RouteCellSchema>;

const Chain = z.array(ModelEntrySchema).default([]);

const SettingsDocSchema = z.looseObject({
  version: z.number(),
  slots: z.looseObject({ main: Chain, cot: Chain, utility: Chain }).prefault({}),
  routes: z.partialRecord(TaskType, z.partialRecord(Complexity, RouteCellSchema)).default({}),
  budgets: z.looseObject({ dailyUsd: z.number().optional(), sessionUsd: z.number().optional() }).prefault({}),
});
export type SettingsDoc = z.infer<typeof SettingsDocSchema>;
export type RouteOverrides = SettingsDoc["routes"];

export type ReadResult = { readonly ok: true; readonly doc: SettingsDoc } | { readonly ok: false; readonly message: string };

export function readSettings(raw: unknown): ReadResult {
  const parsed = SettingsDocSchema.safeParse(raw);
  if (parsed.success) return { ok: true, doc: parsed.data };
  return { ok: false, message: `The game's settings could not be read by this screen:\n${z.prettifyError(parsed.error)}` };
}

/** The environment variable (or keychain entry) holding the key a model entry needs; none for local files. */
export function keyEnvOf(entry: ModelEntry): string | undefined {
  switch (entry.provider) {
    case "local":
      return undefined;
    case "openrouter":
      return "OPENROUTER_API_KEY";
    case "gemini":
      return "GEMINI_API_KEY";
    case "openai-compatible":
      return entry.apiKeyEnv ?? "OPENAI_COMPATIBLE_API_KEY";
  }
}

/** The variables `settings.setKey` can store. */
export const STORABLE_KEYS = ["OPENROUTER_API_KEY", "GEMINI_API_KEY", "OPENAI_COMPATIBLE_API_KEY"] as const;
export type StorableKey = (typeof STORABLE_KEYS)[number];

export function isStorableKey(env: string): env is StorableKey {
  return (STORABLE_KEYS as readonly string[]).includes(env);
}
