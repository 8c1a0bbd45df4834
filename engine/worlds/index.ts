export { checkWorld, type WorldProblem } from "./check.js";
export { BUILT_IN_WORLD_ID, WorldLoadError, builtInWalkthroughPath, builtInWorldPath, loadBuiltInWorld, loadWorldFile, parseWorld } from "./load.js";
