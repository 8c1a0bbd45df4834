import fs from "node:fs";
import path from "node:path";
import { PassThrough } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeTempDir, TEST_MODELS, testModelPath } from "../../engine/llm/local/test-models.js";
import { runModelsCli } from "./models.js";

async function run(args: string[], modelsDir: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  stdout.on("data", (chunk: Buffer) => out.push(chunk));
  stderr.on("data", (chunk: Buffer) => err.push(chunk));
  const code = await runModelsCli(args, { stdout, stderr, env: { TALEWEAVE_MODELS_DIR: modelsDir } });
  return { code, stdout: Buffer.concat(out).toString("utf8"), stderr: Buffer.concat(err).toString("utf8") };
}

describe("npm run models", () => {
  let dir: string;

  beforeAll(() => {
    dir = makeTempDir("models-cli");
    fs.copyFileSync(testModelPath(TEST_MODELS.stories), path.join(dir, "stories.gguf"));
    fs.writeFileSync(path.join(dir, "broken.gguf"), "not a model at all");
  });

  afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("lists the folder, problems included, and the catalog", async () => {
    const { code, stdout } = await run(["list"], dir);
    expect(code).toBe(0);
    expect(stdout).toContain(`Models folder: ${dir}`);
    expect(stdout).toMatch(/stories\.gguf .* llama .* F32 .* ctx 2048/);
    expect(stdout).toMatch(/broken\.gguf .* PROBLEM: is not a GGUF file/);
    expect(stdout).toMatch(/qwen3-4b-q4km\s+\[cot\]/);

    const json = await run(["list", "--json"], dir);
    const parsed = JSON.parse(json.stdout) as { files: { name: string }[]; catalog: unknown[] };
    expect(parsed.files.map((file) => file.name)).toEqual(["broken.gguf", "stories.gguf"]);
    expect(parsed.catalog.length).toBeGreaterThanOrEqual(3);
  });

  it("shows one file's metadata, or what is wrong with it", async () => {
    const good = await run(["info", "stories.gguf"], dir);
    expect(good.code).toBe(0);
    expect(good.stdout).toContain("llama.context_length = 2048");
    expect(good.stdout).toContain("tokenizer.ggml.tokens = [512 items]");

    const bad = await run(["info", "broken.gguf"], dir);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain(`Model file ${path.join(dir, "broken.gguf")} is not a GGUF file`);
  });

  it("names the known ids for an unknown pull, and shows usage for a wrong command", async () => {
    const pull = await run(["pull", "no-such-model"], dir);
    expect(pull.code).toBe(1);
    expect(pull.stderr).toMatch(/No catalog entry "no-such-model"\. Known ids: .*qwen3-4b-q4km/);

    const wrong = await run(["frobnicate"], dir);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain("Usage: npm run models");
  });
});
