import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { CatalogEntry } from "../llm/index.js";
import { serveFile, type TestFileServer } from "../llm/local/test-file-server.js";
import { TEST_MODELS, testModelPath } from "../llm/local/test-models.js";
import { HostEvent, METHODS, Response, type Method, type Params, type Result } from "./protocol.js";
import { GameService } from "./service.js";

/**
 * Catalog models downloaded through the API, from a real HTTP server on 127.0.0.1 into a real
 * models folder: progress events, the end of each download, and the errors a player sees.
 */

const STORIES_SHA256 = "270cba1bd5109f42d03350f60406024560464db173c0e387d91f0426d3bd256d";

let server: TestFileServer;
let bytes: Buffer;
let dir: string;
let modelsDir: string;
let service: GameService;
let events: HostEvent[];
let nextId = 1;

function entry(overrides: Partial<CatalogEntry> = {}): CatalogEntry {
  return {
    id: "stories", slot: "utility", name: "Stories 260K", source: `${server.base}/stories.gguf`, file: "stories.gguf",
    sizeBytes: bytes.length, sha256: STORIES_SHA256, sha256Source: "../shared/models/SHA256SUMS", licence: "MIT",
    licenceUrl: "https://opensource.org/license/mit", notes: "A tiny model for tests.", ...overrides,
  };
}

async function start(...models: CatalogEntry[]): Promise<void> {
  const catalogFile = join(dir, "catalog.json");
  writeFileSync(catalogFile, JSON.stringify({ version: 1, models }));
  service = await GameService.open({
    savesDir: join(dir, "saves"), dataDir: join(dir, "data"), modelsDir, offline: true, watchModels: false, env: {}, catalogFile,
  });
  events = [];
  service.onEvent((event) => events.push(HostEvent.parse(event)));
}

async function answer(method: Method, params: unknown): Promise<Response> {
  return Response.parse(await service.handle({ id: nextId++, method, params }));
}

async function call<M extends Method>(method: M, params: Params<M>): Promise<Result<M>> {
  const response = await answer(method, params);
  if (!response.ok) throw new Error(`${method} failed: ${response.error.kind}: ${response.error.message}`);
  return METHODS[method].result.parse(response.result) as Result<M>;
}

async function fail(method: Method, params: unknown): Promise<{ kind: string; message: string }> {
  const response = await answer(method, params);
  if (response.ok) throw new Error(`${method} should have failed`);
  return response.error;
}

function downloadProgress(): number[] {
  return events.flatMap((e) => (e.type === "progress" && e.progress.kind === "download" ? [e.progress.progress] : []));
}

async function waitFor(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error("timed out waiting");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

beforeAll(async () => {
  bytes = readFileSync(testModelPath(TEST_MODELS.stories));
  server = await serveFile("stories.gguf", bytes);
});

afterAll(async () => {
  server.release();
  await server.close();
});

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "taleweave-service-downloads-"));
  modelsDir = join(dir, "models");
});

afterEach(async () => {
  await service?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("catalog models through the API", () => {
  it("lists the catalog, downloads a model with progress, and tells the slot pickers", async () => {
    await start(entry());
    const before = await call("models.catalog", {});
    expect(before).toEqual({
      dir: modelsDir,
      models: [{
        id: "stories", slot: "utility", name: "Stories 260K", file: "stories.gguf", sizeBytes: bytes.length, licence: "MIT",
        licenceUrl: "https://opensource.org/license/mit", notes: "A tiny model for tests.", verified: true, status: "absent",
      }],
    });

    expect(await call("models.download", { id: "stories" })).toEqual({ status: "downloaded", file: "stories.gguf", verified: true });
    expect(readFileSync(join(modelsDir, "stories.gguf")).equals(bytes)).toBe(true);

    const progress = downloadProgress();
    expect(progress[0]).toBe(0);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(progress.at(-1)).toBeGreaterThan(0.9);
    expect(events.filter((e) => e.type === "progress").every((e) => e.type === "progress" && e.progress.file === "stories.gguf")).toBe(true);
    const tail = events.filter((e) => e.type !== "progress");
    expect(tail).toEqual([{ type: "download-ended", id: "stories", file: "stories.gguf", outcome: "downloaded" }, { type: "models-changed" }]);

    expect((await call("models.catalog", {})).models[0]?.status).toBe("present");
    expect((await call("models.list", {})).files.map((f) => f.name)).toEqual(["stories.gguf"]);
    // Asked again, it is already there: nothing is fetched and the folder is not touched.
    const requests = server.requests.length;
    expect(await call("models.download", { id: "stories" })).toEqual({ status: "already-present", file: "stories.gguf", verified: true });
    expect(server.requests.length).toBe(requests);
  });

  it("deletes a download whose sha256 is wrong and says what to do", async () => {
    const wrong = "0".repeat(64);
    await start(entry({ sha256: wrong }));
    const error = await fail("models.download", { id: "stories" });
    expect(error.kind).toBe("download-mismatch");
    expect(error.message).toBe(
      `Download of stories has sha256 ${STORIES_SHA256}, not the ${wrong} the catalog expects; it was deleted. ` +
      "The download was damaged on the way or the file has changed upstream. Try again; if it happens again, update Taleweave.",
    );
    expect(readdirSync(modelsDir)).toEqual([]);
    expect(events.at(-1)).toEqual({ type: "download-ended", id: "stories", file: "stories.gguf", outcome: "failed" });
    expect(events.some((e) => e.type === "models-changed")).toBe(false);
    expect((await call("models.catalog", {})).models[0]?.status).toBe("absent");
  });

  it("cancels a download under way and keeps nothing of it", async () => {
    await start(entry({ source: `${server.base}/slow/stories.gguf` }));
    expect(await call("models.cancelDownload", { id: "stories" })).toEqual({ cancelled: false });

    const downloading = call("models.download", { id: "stories" });
    await waitFor(() => downloadProgress().some((p) => p > 0));
    const listed = await call("models.catalog", {});
    expect(listed.models[0]).toMatchObject({ status: "downloading", progress: expect.any(Number) });
    expect((await fail("models.download", { id: "stories" })).kind).toBe("download-busy");

    expect(await call("models.cancelDownload", { id: "stories" })).toEqual({ cancelled: true });
    expect(await downloading).toEqual({ status: "cancelled" });
    expect(events.at(-1)).toEqual({ type: "download-ended", id: "stories", file: "stories.gguf", outcome: "cancelled" });
    expect(readdirSync(modelsDir)).toEqual([]);
    expect((await call("models.catalog", {})).models[0]?.status).toBe("absent");

    // A Cancel pressed the moment the download was asked for, before the host has read the catalog.
    const quick = call("models.download", { id: "stories" });
    expect(await call("models.cancelDownload", { id: "stories" })).toEqual({ cancelled: true });
    expect(await quick).toEqual({ status: "cancelled" });
  });

  it("refuses what is not in the catalog, a file the server does not have, and a file in the way", async () => {
    await start(entry(), entry({ id: "gone", file: "gone.gguf", source: `${server.base}/gone.gguf` }));
    expect(await fail("models.download", { id: "nothing" })).toEqual({
      kind: "download-not-in-catalog", message: 'The catalog has no model "nothing"; known: stories, gone. Choose a model from the list.',
    });
    expect((await fail("models.download", { id: "../../etc" })).kind).toBe("invalid-request");
    expect(await fail("models.download", { id: "gone" })).toMatchObject({
      kind: "download-not-found", message: expect.stringMatching(/was not found \(HTTP 404\); the catalog entry may be out of date\. Update Taleweave, or download the file yourself/),
    });

    mkdirSync(modelsDir);
    writeFileSync(join(modelsDir, "stories.gguf"), "a file of the player's own");
    expect((await call("models.catalog", {})).models[0]?.status).toBe("different");
    expect(await fail("models.download", { id: "stories" })).toMatchObject({
      kind: "download-exists", message: expect.stringMatching(/stories\.gguf already exists but is 26 bytes, not the \d+ of stories; move or delete it first \(it was left untouched\)\.$/),
    });
    expect(readFileSync(join(modelsDir, "stories.gguf"), "utf8")).toBe("a file of the player's own");
  });

  it("stops a download when the game closes, leaving no partial file", async () => {
    await start(entry({ source: `${server.base}/slow/stories.gguf` }));
    const downloading = call("models.download", { id: "stories" });
    await waitFor(() => downloadProgress().some((p) => p > 0));
    await service.close();
    expect(await downloading).toEqual({ status: "cancelled" });
    expect(existsSync(join(modelsDir, "stories.gguf"))).toBe(false);
    expect(readdirSync(modelsDir)).toEqual([]);
  });

  it("says what is wrong with a catalog it cannot read", async () => {
    await start(entry());
    writeFileSync(join(dir, "catalog.json"), "{ not json");
    const error = await fail("models.catalog", {});
    expect(error.kind).toBe("catalog");
    expect(error.message).toMatch(/catalog\.json is not valid JSON .*\. Fix the file or reinstall Taleweave/);
  });
});
