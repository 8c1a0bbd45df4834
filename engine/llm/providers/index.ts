import type { ProviderFactory } from "../router.js";
import type { LocalModels } from "./local.js";
import type { CloudOptions } from "./cloud.js";
import { createOpenAICompatibleProvider } from "./openai-compatible.js";
import { createOpenRouterProvider } from "./openrouter.js";
import { createGeminiProvider } from "./gemini.js";

export { LocalModels, defaultThreads, type LocalModelsOptions } from "./local.js";
export type { CloudOptions } from "./cloud.js";
export { createOpenAICompatibleProvider, createOpenRouterProvider, createGeminiProvider };

/** Builds any provider a ModelSpec names: local files share `local`; cloud ones read keys from `cloud.env`. */
export function createProviderFactory(local: LocalModels, cloud: CloudOptions): ProviderFactory {
  return (spec, slot) => {
    switch (spec.provider) {
      case "local": return local.provider(spec, slot);
      case "openrouter": return createOpenRouterProvider(spec, cloud);
      case "openai-compatible": return createOpenAICompatibleProvider(spec, cloud);
      case "gemini": return createGeminiProvider(spec, cloud);
    }
  };
}
