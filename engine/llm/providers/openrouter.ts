import type { OpenRouterModelSpec } from "../model-spec.js";
import type { ModelProvider } from "../provider.js";
import { readKey, type CloudOptions } from "./cloud.js";
import { createChatCompletionsProvider } from "./openai-compatible.js";

export type { CloudOptions } from "./cloud.js";

export const OPENROUTER_BASE_URL = "https://openrouter.ai/api/v1";
export const OPENROUTER_KEY_ENV = "OPENROUTER_API_KEY";

/** OpenRouter's app attribution: the site and name its dashboards and rankings show for these calls. */
export const OPENROUTER_ATTRIBUTION: Readonly<Record<string, string>> = {
  "HTTP-Referer": "https://github.com/taleweave/taleweave",
  "X-Title": "Taleweave",
};

/**
 * OpenRouter through the OpenAI adapter. Its differences are handled there: SSE comment lines
 * (": OPENROUTER PROCESSING") are skipped by the SDK's SSE parser, errors inside a 200 stream
 * arrive as {error:{code,message}} chunks with finish_reason "error", and usage accounting puts
 * the call's cost in the final usage chunk.
 */
export function createOpenRouterProvider(spec: OpenRouterModelSpec, options: CloudOptions): ModelProvider {
  return createChatCompletionsProvider({
    kind: "openrouter",
    id: `openrouter:${spec.model}`,
    label: "OpenRouter",
    model: spec.model,
    baseUrl: spec.baseUrl ?? OPENROUTER_BASE_URL,
    apiKey: readKey(options.env, OPENROUTER_KEY_ENV),
    authHint: `set ${OPENROUTER_KEY_ENV}`,
    headers: OPENROUTER_ATTRIBUTION,
    usageAccounting: true,
    contextSize: spec.contextSize,
    pricing: spec.pricing,
  }, options);
}
