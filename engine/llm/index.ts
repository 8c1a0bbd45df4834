/**
 * engine/llm's public surface: everything between "this task needs a model" and an answer.
 * Import from here, not from the files behind it.
 */

export * from "./provider.js";
export * from "./errors.js";
export * from "./model-spec.js";
export * from "./tasks.js";
export * from "./routes.js";
export * from "./complexity.js";
export * from "./router.js";
export * from "./circuit-breaker.js";
export * from "./budget.js";
export * from "./retry.js";
export * from "./cache.js";
export * from "./fingerprint.js";
export * from "./ledger.js";
export * from "./usage-report.js";
export * from "./settings.js";
export * from "./scripted-provider.js";
export { ModelHost, type ModelHostOptions } from "./model-host.js";
export { createProviderFactory, LocalModels, defaultThreads, type LocalModelsOptions, type CloudOptions } from "./providers/index.js";
export * from "./local/index.js";
export type { SlotTest } from "./model-host.js";
export { estimateTokens } from "./tokens.js";
