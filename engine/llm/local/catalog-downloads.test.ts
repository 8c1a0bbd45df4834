import fs from "node:fs";
import path from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { CatalogEntry } from "./catalog.js";
import { CatalogDownloads, type DownloadProgress } from "./catalog-downloads.js";
import { serveFile, type TestFileServer } from "./test-file-server.js";
import { makeTempDir, TEST_MODELS, testModelPath } from "./test-models.js";

const STORIES_SHA256 = "270cba1bd5109f42d03350f60406024560464db173c0e387d91f0426d3bd256d";

let server: TestFileServer;
let bytes: Buffer;
let dir: string;
let modelsDir: string;
let catalogFile: string;

function entry(overrides: Partial<CatalogEntry>): CatalogEntry {
  return {
    id: "stories", slot: "utility", name: "Stories", source: `${server.base}/stories.gguf`, file: "stories.gguf",
    sizeBytes: bytes.length, sha256: STORIES_SHA256, sha256Source: "../shared/models/SHA256SUMS", licence: "MIT", notes: "",
    ...overrides,
  };
}

function writeCatalog(...models: CatalogEntry[]): void {
  fs.writeFileSync(catalogFile, JSON.stringify({ version: 1, models }));
}

beforeAll(async () => {
  bytes = fs.readFileSync(testModelPath(TEST_MODELS.stories));
  server = await serveFile("stories.gguf", bytes);
});

afterAll(async () => {
  server.release();
  await server.close();
});

beforeEach(() => {
  dir = makeTempDir("catalog-downloads");
  modelsDir = path.join(dir, "models");
  fs.mkdirSync(modelsDir);
  catalogFile = path.join(dir, "catalog.json");
});

afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("catalog downloads", () => {
  it("lists each entry as absent, present, a different file, or downloading", async () => {
    writeCatalog(
      entry({ id: "slow", source: `${server.base}/slow/stories.gguf` }),
      entry({ id: "here", file: "here.gguf" }),
      entry({ id: "other", file: "other.gguf" }),
      entry({ id: "absent", file: "absent.gguf" }),
    );
    fs.writeFileSync(path.join(modelsDir, "here.gguf"), bytes);
    fs.writeFileSync(path.join(modelsDir, "other.gguf"), "something else");
    const downloads = new CatalogDownloads({ modelsDir, catalogFile });

    const seen: DownloadProgress[] = [];
    const under = downloads.download("slow", (p) => seen.push(p));
    await waitFor(() => seen.some((p) => p.progress > 0));
    const listed = await downloads.list();
    expect(listed.map((m) => [m.entry.id, m.status])).toEqual([["slow", "downloading"], ["here", "present"], ["other", "different"], ["absent", "absent"]]);
    expect(listed[0]?.progress).toBeGreaterThan(0);

    await expect(downloads.download("slow")).rejects.toMatchObject({ kind: "busy" });
    await expect(downloads.download("nothing")).rejects.toMatchObject({ kind: "not-in-catalog", message: expect.stringContaining("known: slow, here, other, absent") });

    server.release();
    expect(await under).toMatchObject({ status: "downloaded", verified: true });
    expect(seen[0]).toEqual({ id: "slow", file: "stories.gguf", progress: 0 });
    const fractions = seen.map((p) => p.progress);
    expect(fractions).toEqual([...fractions].sort((a, b) => a - b));
    // Reported in steps, never 1: the file is whole only once it is checked and moved.
    expect(seen.length).toBeLessThanOrEqual(102);
    expect(Math.max(...fractions)).toBeLessThan(1);
    expect((await downloads.list())[0]?.status).toBe("present");
  });

  it("cancels a download, leaving the folder as it was, and cancels the rest on close", async () => {
    writeCatalog(entry({ source: `${server.base}/slow/stories.gguf` }), entry({ id: "second", file: "second.gguf", source: `${server.base}/slow/stories.gguf` }));
    const downloads = new CatalogDownloads({ modelsDir, catalogFile });
    const progressed = new Set<string>();
    const first = downloads.download("stories", (p) => p.progress > 0 && progressed.add(p.id));
    const second = downloads.download("second", (p) => p.progress > 0 && progressed.add(p.id));
    await waitFor(() => progressed.size === 2);

    expect(downloads.cancel("stories")).toBe(true);
    expect(downloads.cancel("stories")).toBe(false);
    expect(downloads.cancel("never-started")).toBe(false);
    expect(await first).toEqual({ status: "cancelled" });

    await downloads.close();
    expect(await second).toEqual({ status: "cancelled" });
    expect(fs.readdirSync(modelsDir)).toEqual([]);
    await expect(downloads.download("stories")).rejects.toMatchObject({ kind: "cancelled" });
  });
});

describe("a cancel", () => {
  it("stops a download whenever it comes, even before the catalog has been read", async () => {
    writeCatalog(entry({ source: `${server.base}/slow/stories.gguf` }));
    const downloads = new CatalogDownloads({ modelsDir, catalogFile });
    for (const delayMs of [0, 1, 2, 5, 10, 20, 50]) {
      const downloading = downloads.download("stories");
      if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
      expect(downloads.cancel("stories")).toBe(true);
      const outcome = await Promise.race([downloading, new Promise((resolve) => setTimeout(() => resolve("still running"), 10_000))]);
      expect({ delayMs, outcome }).toEqual({ delayMs, outcome: { status: "cancelled" } });
    }
    expect(fs.readdirSync(modelsDir)).toEqual([]);
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error("timed out waiting");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
