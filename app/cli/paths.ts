import { dataDir as defaultDataDir, defaultModelsDir } from "../../engine/llm/index.js";
import { defaultSavesDir } from "../../engine/store/index.js";

/** The folders terminal play uses; each moves with its TALEWEAVE_*_DIR variable. */
export const savesDir = (): string => defaultSavesDir();
export const modelsDir = (): string => defaultModelsDir();
export const dataDir = (): string => defaultDataDir();
