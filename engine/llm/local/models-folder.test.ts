import fs from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { defaultModelsDir, scanModels, watchModels, type ModelsChange } from "./models-folder.js";
import { makeTempDir, TEST_MODELS, testModelPath } from "./test-models.js";

describe("the models folder", () => {
  let dir: string;

  beforeEach(() => {
    dir = makeTempDir("models-folder");
  });

  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("defaults to TALEWEAVE_MODELS_DIR, else models/ in the repository", () => {
    expect(defaultModelsDir({ TALEWEAVE_MODELS_DIR: dir })).toBe(dir);
    const repoModels = defaultModelsDir({});
    expect(path.basename(repoModels)).toBe("models");
    expect(fs.existsSync(path.join(repoModels, "README.md"))).toBe(true);
  });

  it("lists every GGUF file with metadata, and a problem for the bad ones without hiding the rest", async () => {
    fs.copyFileSync(testModelPath(TEST_MODELS.stories), path.join(dir, "b-stories.gguf"));
    fs.copyFileSync(testModelPath(TEST_MODELS.tinyRandom), path.join(dir, "c-tiny.GGUF"));
    fs.writeFileSync(path.join(dir, "a-notes.gguf"), "not a model");
    fs.writeFileSync(path.join(dir, "d-cut.gguf"), fs.readFileSync(testModelPath(TEST_MODELS.stories)).subarray(0, 500_000));
    fs.writeFileSync(path.join(dir, "readme.txt"), "ignored");
    fs.mkdirSync(path.join(dir, ".downloading"));

    const models = await scanModels(dir);
    expect(models.map((model) => model.name)).toEqual(["a-notes.gguf", "b-stories.gguf", "c-tiny.GGUF", "d-cut.gguf"]);
    const [notes, stories, tiny, cut] = models;
    expect(notes).toMatchObject({ size: 11, problem: expect.stringMatching(/not a GGUF file/) });
    expect(notes?.metadata).toBeUndefined();
    expect(stories).toMatchObject({ path: path.join(dir, "b-stories.gguf"), size: 1_185_376, metadata: { architecture: "llama", contextLength: 2048 } });
    expect(stories?.problem).toBeUndefined();
    expect(tiny?.metadata?.quantization).toBe("F16");
    expect(cut?.problem).toMatch(/is truncated/);
  });

  it("has no models in a folder that does not exist, and does not fail to watch it", async () => {
    expect(await scanModels(path.join(dir, "nowhere"))).toEqual([]);
    const stop = watchModels(path.join(dir, "nowhere"), () => undefined);
    stop();
  });

  it("reports files added, replaced and removed, once per burst of events", async () => {
    const changes: ModelsChange[] = [];
    let notify: (() => void) | undefined;
    const next = (): Promise<void> => new Promise((resolve) => {
      notify = resolve;
    });
    const stop = watchModels(dir, (change) => {
      changes.push(change);
      notify?.();
    }, { debounceMs: 60 });
    try {
      const file = path.join(dir, "story.gguf");
      let seen = next();
      fs.copyFileSync(testModelPath(TEST_MODELS.stories), file);
      fs.writeFileSync(path.join(dir, "ignored.txt"), "not a model");
      await seen;
      expect(changes.at(-1)).toEqual({ added: [file], removed: [], changed: [] });

      seen = next();
      const staging = path.join(dir, "story.partial");
      fs.copyFileSync(testModelPath(TEST_MODELS.tinyRandom), staging);
      fs.renameSync(staging, file);
      await seen;
      expect(changes.at(-1)).toEqual({ added: [], removed: [], changed: [file] });

      seen = next();
      fs.rmSync(file);
      await seen;
      expect(changes.at(-1)).toEqual({ added: [], removed: [file], changed: [] });
      expect(changes).toHaveLength(3);
    } finally {
      stop();
    }
  });

  it("stops reporting once stopped", async () => {
    const changes: ModelsChange[] = [];
    const stop = watchModels(dir, (change) => changes.push(change), { debounceMs: 20 });
    stop();
    fs.copyFileSync(testModelPath(TEST_MODELS.stories), path.join(dir, "late.gguf"));
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(changes).toEqual([]);
  });
});
