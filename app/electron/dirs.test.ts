import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createAppDirs, resolveAppDirs } from "./dirs.js";

const REPO = path.resolve(import.meta.dirname, "../..");

let userData: string;
beforeEach(() => {
  userData = mkdtempSync(path.join(tmpdir(), "taleweave-userdata-"));
});
afterEach(() => rmSync(userData, { recursive: true, force: true }));

describe("resolveAppDirs", () => {
  it("puts everything in the user's data directory in the packaged app", () => {
    expect(resolveAppDirs({ userData, packaged: true, env: {} })).toEqual({
      savesDir: path.join(userData, "saves"),
      modelsDir: path.join(userData, "models"),
      dataDir: path.join(userData, "data"),
      shellDir: userData,
    });
  });

  it("uses the repository's folders when run from it", () => {
    expect(resolveAppDirs({ userData, packaged: false, env: {} })).toEqual({
      savesDir: path.join(REPO, "saves"),
      modelsDir: path.join(REPO, "models"),
      dataDir: path.join(REPO, ".taleweave-data"),
      shellDir: userData,
    });
  });

  it("lets TALEWEAVE_*_DIR move each folder, packaged or not", () => {
    const env = { TALEWEAVE_SAVES_DIR: "/x/saves", TALEWEAVE_MODELS_DIR: "/x/models", TALEWEAVE_DATA_DIR: "/x/data" };
    for (const packaged of [true, false]) {
      expect(resolveAppDirs({ userData, packaged, env })).toEqual({ savesDir: "/x/saves", modelsDir: "/x/models", dataDir: "/x/data", shellDir: userData });
    }
    expect(resolveAppDirs({ userData, packaged: true, env: { TALEWEAVE_MODELS_DIR: "" } }).modelsDir).toBe(path.join(userData, "models"));
  });
});

describe("createAppDirs", () => {
  it("creates the models folder (and the others) on first run", () => {
    const dirs = resolveAppDirs({ userData: path.join(userData, "fresh"), packaged: true, env: {} });
    createAppDirs(dirs);
    for (const dir of [dirs.modelsDir, dirs.savesDir, dirs.dataDir, dirs.shellDir]) expect(existsSync(dir), dir).toBe(true);
    // A second start finds them there.
    expect(() => createAppDirs(dirs)).not.toThrow();
  });
});
