export type { TaskRunner } from "./task-runner.js";
export { PromptTemplate } from "./prompt-template.js";
export { sceneFacts, sceneText, mood, type SceneFacts } from "./scene.js";
export * from "./understand/index.js";
export * from "./judge/index.js";
export * from "./narrate/index.js";
export * from "./memory/index.js";
export * from "./content/index.js";
