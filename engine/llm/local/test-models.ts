import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Router } from "../router.js";
import type { RouteOverrides } from "../routes.js";
import { defaultSettings, parseSettings } from "../settings.js";
import { LocalModels } from "../providers/local.js";

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

/**
 * The real router with every slot on the real test GGUF (stories260K), for tests of the layers
 * above: the model ignores instructions, so such tests check the pipeline, not the prose.
 */
export function localTestRouter(options: { readonly contextSize?: number; readonly routes?: RouteOverrides } = {}): { readonly router: Router; dispose(): Promise<void> } {
  testModelPath(TEST_MODELS.stories);
  const models = new LocalModels({ modelsDir: testModelsDir(), defaultThreads: 1 });
  // The model's own trained context by default: its 512-token vocabulary spends about one token
  // per 1.6 characters, so prompts need more room than a real tokenizer would.
  const spec = { provider: "local" as const, file: TEST_MODELS.stories, contextSize: options.contextSize ?? 2048, threads: 1 };
  const settings = parseSettings({
    ...defaultSettings([TEST_MODELS.stories]),
    slots: { main: [spec], cot: [spec], utility: [spec] },
    ...(options.routes ? { routes: options.routes } : {}),
  }, "local test settings");
  const router = new Router({
    settings: () => settings,
    createProvider: (model, slot) => {
      if (model.provider !== "local") throw new Error(`only local models here, not ${model.provider}`);
      return models.provider(model, slot);
    },
  });
  return {
    router,
    dispose: async () => {
      await router.dispose();
      await models.dispose();
    },
  };
}
