export * from "./world.js";
export * from "./state.js";
export * from "./actions.js";
export * from "./events.js";
export * from "./rng.js";
export * from "./scope.js";
export { canonicalJson } from "./canonical.js";
