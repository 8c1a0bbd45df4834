import { resolve } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * Where things live when run from the repository. Each can be moved with an environment
 * variable so tests, benchmarks and packaged apps can point anywhere.
 */
const repoRoot = resolve(fileURLToPath(new URL(".", import.meta.url)), "../..");

export const savesDir = (): string => process.env["TALEWEAVE_SAVES_DIR"] ?? resolve(repoRoot, "saves");
export const modelsDir = (): string => process.env["TALEWEAVE_MODELS_DIR"] ?? resolve(repoRoot, "models");
export const dataDir = (): string => process.env["TALEWEAVE_DATA_DIR"] ?? resolve(repoRoot, ".taleweave-data");
