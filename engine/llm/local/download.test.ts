import fs from "node:fs";
import path from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { Catalog, CatalogError, loadCatalog, type CatalogEntry } from "./catalog.js";
import { pullModel, PullError, sha256File, sourceUrl } from "./download.js";
import { scanModels } from "./models-folder.js";
import { closedPort, serveFile, type TestFileServer } from "./test-file-server.js";
import { makeTempDir, TEST_MODELS, testModelPath } from "./test-models.js";

const STORIES_SHA256 = "270cba1bd5109f42d03350f60406024560464db173c0e387d91f0426d3bd256d";

describe("the model catalog", () => {
  it("models/catalog.json is valid and recommends a model for every slot", async () => {
    const catalog = await loadCatalog();
    expect(new Set(catalog.models.map((entry) => entry.slot))).toEqual(new Set(["utility", "main", "cot"]));
    for (const entry of catalog.models) {
      expect(entry.source).toMatch(/^hf:/);
      expect(sourceUrl(entry.source)).toMatch(/^https:\/\/huggingface\.co\/[^/]+\/[^/]+\/resolve\/[0-9a-f]{40}\/.+\.gguf$/);
    }
  });

  it("rejects an entry with a made-up hash format, an uncited hash, or a duplicate id, saying where", async () => {
    const entry = {
      id: "x", slot: "main", name: "X", source: "hf:a/b/x.gguf", file: "x.gguf", sizeBytes: 1,
      licence: "MIT", notes: "",
    };
    expect(Catalog.safeParse({ version: 1, models: [entry] }).success).toBe(true);
    expect(Catalog.safeParse({ version: 1, models: [{ ...entry, sha256: "abc", sha256Source: "me" }] }).success).toBe(false);
    expect(Catalog.safeParse({ version: 1, models: [{ ...entry, sha256: STORIES_SHA256 }] }).success).toBe(false);
    expect(Catalog.safeParse({ version: 1, models: [entry, entry] }).success).toBe(false);
    expect(Catalog.safeParse({ version: 1, models: [{ ...entry, source: "ftp://x/y.gguf" }] }).success).toBe(false);

    const dir = makeTempDir("catalog");
    const file = path.join(dir, "catalog.json");
    fs.writeFileSync(file, JSON.stringify({ version: 1, models: [{ ...entry, slot: "boss" }] }));
    await expect(loadCatalog(file)).rejects.toThrow(CatalogError);
    await expect(loadCatalog(file)).rejects.toThrow(/models\.0\.slot/);
    fs.writeFileSync(file, "{ not json");
    await expect(loadCatalog(file)).rejects.toThrow(/is not valid JSON/);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("resolves hf: sources to Hugging Face download URLs", () => {
    expect(sourceUrl("hf:user/repo/model.gguf")).toBe("https://huggingface.co/user/repo/resolve/main/model.gguf");
    expect(sourceUrl("hf:user/repo/sub/model.gguf#abc123")).toBe("https://huggingface.co/user/repo/resolve/abc123/sub/model.gguf");
    expect(sourceUrl("https://example.org/m.gguf")).toBe("https://example.org/m.gguf");
  });
});

describe("pullModel against a server on 127.0.0.1", () => {
  let server: TestFileServer;
  let base: string;
  let refusedPort: number;
  let modelBytes: Buffer;
  let dir: string;

  function entry(overrides: Partial<CatalogEntry> = {}): CatalogEntry {
    return {
      id: "stories", slot: "utility", name: "Stories", source: `${base}/stories.gguf`, file: "stories.gguf",
      sizeBytes: modelBytes.length, sha256: STORIES_SHA256, sha256Source: "../shared/models/SHA256SUMS",
      licence: "MIT", notes: "", ...overrides,
    };
  }

  beforeAll(async () => {
    modelBytes = fs.readFileSync(testModelPath(TEST_MODELS.stories));
    server = await serveFile("stories.gguf", modelBytes);
    base = server.base;
    refusedPort = await closedPort();
  });

  afterAll(async () => {
    server.release();
    await server.close();
  });

  beforeEach(() => {
    dir = makeTempDir("pull");
  });

  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("downloads, verifies the sha256 and moves the file into the models folder", async () => {
    const progress: number[] = [];
    const result = await pullModel(entry(), { modelsDir: dir, onProgress: (p) => progress.push(p.downloadedBytes) });
    expect(result).toEqual({ path: path.join(dir, "stories.gguf"), status: "downloaded", verified: true });
    expect(await sha256File(result.path)).toBe(STORIES_SHA256);
    expect(progress.at(-1)).toBe(modelBytes.length);
    expect(fs.readdirSync(dir)).toEqual(["stories.gguf"]);
    expect((await scanModels(dir))[0]?.metadata?.architecture).toBe("llama");

    const again = await pullModel(entry(), { modelsDir: dir });
    expect(again.status).toBe("already-present");
  });

  it("deletes a download whose sha256 does not match and leaves the folder as it was", async () => {
    const wrong = "0".repeat(64);
    await expect(pullModel(entry({ sha256: wrong }), { modelsDir: dir })).rejects.toThrow(
      new RegExp(`has sha256 ${STORIES_SHA256}, not the ${wrong} the catalog expects; it was deleted`));
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it("refuses to touch a different file already in the models folder", async () => {
    const target = path.join(dir, "stories.gguf");
    fs.writeFileSync(target, Buffer.alloc(modelBytes.length, 1));
    await expect(pullModel(entry(), { modelsDir: dir })).rejects.toThrow(/already exists but its sha256 is [0-9a-f]{64}, not the .*\(it was left untouched\)/);
    expect(fs.readFileSync(target)[0]).toBe(1);
  });

  it("fails clearly on a missing file, a size the catalog does not expect and a refused connection", async () => {
    await expect(pullModel(entry({ source: `${base}/gone.gguf` }), { modelsDir: dir })).rejects.toThrow(/gone\.gguf was not found \(HTTP 404\)/);
    await expect(pullModel(entry({ sizeBytes: 5 }), { modelsDir: dir })).rejects.toThrow(/server offers 1185376 bytes but the catalog expects 5/);
    await expect(pullModel(entry({ source: `http://127.0.0.1:${refusedPort}/stories.gguf` }), { modelsDir: dir })).rejects.toThrow(/refused the connection/);
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it("stops when its signal is aborted mid-download, keeping nothing", async () => {
    const controller = new AbortController();
    let received = 0;
    const pulling = pullModel(entry({ source: `${base}/slow/stories.gguf` }), {
      modelsDir: dir,
      signal: controller.signal,
      onProgress: (p) => {
        received = p.downloadedBytes;
        if (received > 0) controller.abort();
      },
    });
    const error = await pulling.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(PullError);
    expect(error).toMatchObject({ kind: "cancelled", message: "Download of stories was cancelled; nothing was kept" });
    expect(received).toBeGreaterThan(0);
    expect(received).toBeLessThan(modelBytes.length);
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it("gives up on a server that stops sending, keeping nothing", async () => {
    const error = await pullModel(entry({ source: `${base}/slow/stories.gguf` }), { modelsDir: dir, stallTimeoutMs: 600 }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ kind: "network", message: "Download of stories stalled: no data for 1 s" });
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it("says so when the models folder cannot be written", async () => {
    // A file where a folder should be: the download has nowhere to go.
    const blocker = path.join(dir, "not-a-folder");
    fs.writeFileSync(blocker, "");
    const error = await pullModel(entry(), { modelsDir: path.join(blocker, "models") }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ kind: "disk", message: expect.stringMatching(/^Cannot save stories in .*not-a-folder\/models: a file is in the way of the folder \(ENOTDIR\)$/) });
  });

  it("gives each failure a kind a UI can act on", async () => {
    await expect(pullModel(entry({ sha256: "0".repeat(64) }), { modelsDir: dir })).rejects.toMatchObject({ kind: "mismatch" });
    await expect(pullModel(entry({ source: `${base}/gone.gguf` }), { modelsDir: dir })).rejects.toMatchObject({ kind: "not-found" });
    await expect(pullModel(entry({ sizeBytes: 5 }), { modelsDir: dir })).rejects.toMatchObject({ kind: "changed-upstream" });
    await expect(pullModel(entry({ source: `http://127.0.0.1:${refusedPort}/stories.gguf` }), { modelsDir: dir })).rejects.toMatchObject({ kind: "network" });
  });
});
