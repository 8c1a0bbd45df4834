import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GgufFileError, inspectGguf } from "./gguf-info.js";
import { makeTempDir, TEST_MODELS, testModelPath } from "./test-models.js";

async function problem(file: string): Promise<GgufFileError> {
  try {
    await inspectGguf(file);
  } catch (error) {
    if (error instanceof GgufFileError) return error;
    throw error;
  }
  throw new Error(`expected ${file} to be rejected`);
}

describe("inspectGguf", () => {
  let dir: string;

  beforeAll(() => {
    dir = makeTempDir("gguf-info");
  });

  afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("reads the metadata of stories260K.gguf", async () => {
    const summary = await inspectGguf(testModelPath(TEST_MODELS.stories));
    expect(summary).toMatchObject({
      sizeBytes: 1_185_376,
      ggufVersion: 3,
      architecture: "llama",
      quantization: "F32",
      contextLength: 2048,
      hasChatTemplate: false,
      tensorCount: 48,
      vocabularySize: 512,
    });
    // 260K parameters, as the model's name says.
    expect(summary.parameterCount).toBeGreaterThan(250_000);
    expect(summary.parameterCount).toBeLessThan(300_000);
  });

  it("reads the metadata of llama-2-tiny-random.gguf", async () => {
    const summary = await inspectGguf(testModelPath(TEST_MODELS.tinyRandom));
    expect(summary).toMatchObject({
      sizeBytes: 1_750_560,
      architecture: "llama",
      modelName: "LLaMA v2",
      quantization: "F16",
      contextLength: 4096,
      hasChatTemplate: false,
      vocabularySize: 32_000,
    });
  });

  it("names each kind of bad file", async () => {
    const stories = fs.readFileSync(testModelPath(TEST_MODELS.stories));
    const write = (name: string, data: Buffer | string): string => {
      const file = path.join(dir, name);
      fs.writeFileSync(file, data);
      return file;
    };
    const versionOne = Buffer.from(stories.subarray(0, 4096));
    versionOne.writeUInt32LE(1, 4);

    const cases: [string, GgufFileError["kind"], RegExp][] = [
      [path.join(dir, "absent.gguf"), "missing", /was not found/],
      [write("empty.gguf", ""), "not-gguf", /is empty/],
      [write("tiny.gguf", "GGU"), "truncated", /only 3 bytes long/],
      [write("text.gguf", "hello world, not a model"), "not-gguf", /not a GGUF file \(it starts with "hell"/],
      [write("binary.gguf", Buffer.from([0x00, 0xff, 0x10, 0x20, 1, 2, 3, 4])), "not-gguf", /starts with bytes 00ff1020/],
      [write("v1.gguf", versionOne), "unsupported", /GGUF version 1/],
      [write("cut.gguf", stories.subarray(0, 700_000)), "truncated", /header describes 1185376 bytes but the file has only 700000/],
      [write("cut-header.gguf", stories.subarray(0, 2_000)), "truncated", /is truncated/],
    ];
    const garbage = Buffer.from(stories);
    for (let index = 8; index < 2048; index += 1) garbage[index] = (index * 31) & 0xff;
    cases.push([write("garbage.gguf", garbage), "corrupt", /corrupt GGUF header/]);
    fs.mkdirSync(path.join(dir, "folder.gguf"));
    cases.push([path.join(dir, "folder.gguf"), "unreadable", /is a directory|not a regular file/]);

    for (const [file, kind, message] of cases) {
      const error = await problem(file);
      expect({ file: error.file, kind: error.kind }).toEqual({ file, kind });
      expect(error.message).toContain(file);
      expect(error.message).toMatch(message);
    }
  });
});
