import { mkdirSync } from "node:fs";
import path from "node:path";
import { dataDir as repoDataDir, defaultModelsDir } from "../../engine/llm/index.js";
import { defaultSavesDir } from "../../engine/store/index.js";

/**
 * Where the desktop app keeps things (DESIGN.md, "Conventions"): the packaged app in the user's
 * data directory, since its own files are read-only inside the installation; run from the
 * repository, the repository's own folders, so `npm run desktop` sees the same models and saves
 * as terminal play. TALEWEAVE_SAVES_DIR, TALEWEAVE_MODELS_DIR and TALEWEAVE_DATA_DIR override both.
 */
export interface AppDirs {
  savesDir: string;
  modelsDir: string;
  dataDir: string;
  /** The desktop shell's own files: the window state and the encrypted keys. */
  shellDir: string;
}

function fromEnv(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value === "" ? undefined : path.resolve(value);
}

export function resolveAppDirs(options: { userData: string; packaged: boolean; env: NodeJS.ProcessEnv }): AppDirs {
  const { userData, packaged, env } = options;
  if (!packaged) {
    return { savesDir: defaultSavesDir(env), modelsDir: defaultModelsDir(env), dataDir: repoDataDir(env), shellDir: userData };
  }
  return {
    savesDir: fromEnv(env, "TALEWEAVE_SAVES_DIR") ?? path.join(userData, "saves"),
    modelsDir: fromEnv(env, "TALEWEAVE_MODELS_DIR") ?? path.join(userData, "models"),
    dataDir: fromEnv(env, "TALEWEAVE_DATA_DIR") ?? path.join(userData, "data"),
    shellDir: userData,
  };
}

/** On first run the folders do not exist; the models folder especially must, so "Open models folder" has somewhere to open. */
export function createAppDirs(dirs: AppDirs): void {
  for (const dir of [dirs.savesDir, dirs.modelsDir, dirs.dataDir, dirs.shellDir]) mkdirSync(dir, { recursive: true });
}
