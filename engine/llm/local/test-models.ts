import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

/**
 * Where the tests find the real GGUF files: `TALEWEAVE_TEST_MODELS_DIR`, else `../shared/models`
 * beside the repository. A missing file is a failure that says which file and where it was
 * looked for: a model test that skips itself silently proves nothing.
 */
export const TEST_MODELS = {
  stories: "stories260K.gguf",
  tinyRandom: "llama-2-tiny-random.gguf",
} as const;

export function testModelsDir(): string {
  const fromEnv = process.env.TALEWEAVE_TEST_MODELS_DIR;
  if (fromEnv !== undefined && fromEnv.length > 0) return path.resolve(fromEnv);
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../../shared/models");
}

export function testModelPath(name: string): string {
  const dir = testModelsDir();
  const file = path.join(dir, name);
  if (!fs.existsSync(file)) {
    throw new Error(`Test model file ${name} is missing: looked for ${file} (set TALEWEAVE_TEST_MODELS_DIR to the folder that holds it)`);
  }
  return file;
}

/** A fresh temporary folder; tests copy models into it and never write into the shared folder. */
export function makeTempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `taleweave-${prefix}-`));
}
