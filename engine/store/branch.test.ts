import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SaveStore, StoreError } from "./index.js";
import { tinyState, tinyWorld, waitTurn } from "./fixtures/tiny-world.js";

/** SaveStore.branch: a new save holding a save's start and its first N turns; the original only read. */

let dir: string;
let store: SaveStore;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "taleweave-branch-"));
  store = new SaveStore(dir);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function play(name: string, turns: number): void {
  const save = store.create(name, { worldId: tinyWorld.id, worldVersion: "1.2", seed: 7, state: tinyState() });
  for (let turn = 1; turn <= turns; turn++) save.commitTurn(waitTurn(tinyState(), turn, turn % 3));
  save.close();
}

/** The file's bytes and modification time: what "untouched" means. */
function fingerprintOf(file: string): { sha: string; mtimeMs: number; sidecars: boolean } {
  return {
    sha: createHash("sha256").update(readFileSync(file)).digest("hex"),
    mtimeMs: statSync(file).mtimeMs,
    sidecars: existsSync(`${file}-wal`) || existsSync(`${file}-shm`),
  };
}

function storeError(run: () => unknown): StoreError {
  try {
    run();
  } catch (error) {
    if (error instanceof StoreError) return error;
    throw error;
  }
  throw new Error("expected a StoreError");
}

describe("SaveStore.branch", () => {
  it("copies the start and turns 1..N with their model calls, and leaves the original's file untouched", () => {
    play("original", 12);
    const before = fingerprintOf(store.path("original"));

    const branch = store.branch("original", 7, "branch");
    const source = store.open("original");
    try {
      expect(branch.meta).toEqual(source.meta);
      expect(branch.head().turn).toBe(7);
      expect(branch.stateAt(0)).toEqual(source.stateAt(0));
      expect(branch.head()).toEqual(source.stateAt(7));
      const kept = [...branch.turns()];
      expect(kept).toEqual([...source.turns(1, 7)]);
      expect(kept.flatMap((t) => t.modelCalls)).toHaveLength(7);
      // The branch is a save like any other: it plays on from turn 8.
      branch.commitTurn(waitTurn(tinyState(), 8));
      expect(branch.head().turn).toBe(8);
      expect(source.head().turn).toBe(12);
    } finally {
      branch.close();
      source.close();
    }
    expect(fingerprintOf(store.path("original"))).toEqual(before);
  });

  it("branches at the start and at the head, and from a save that is open", () => {
    play("g", 3);
    const atStart = store.branch("g", 0, "start");
    expect(atStart.head().turn).toBe(0);
    expect([...atStart.turns()]).toEqual([]);
    atStart.close();
    const open = store.open("g");
    const atHead = store.branch(open, 3, "head");
    expect(atHead.head()).toEqual(open.head());
    atHead.close();
    // An open save handed in stays open for its owner.
    expect(open.head().turn).toBe(3);
    open.close();
  });

  it("refuses a turn beyond the head, a name in use, a bad name and a missing save, and writes nothing", () => {
    play("g", 4);
    play("taken", 1);
    const before = { g: fingerprintOf(store.path("g")), taken: fingerprintOf(store.path("taken")) };
    const files = readdirSync(dir).sort();

    const beyond = storeError(() => store.branch("g", 5, "new"));
    expect(beyond.kind).toBe("invalid-data");
    expect(beyond.message).toContain("there is no turn 5 to branch from: this save's turns are 0 to 4");
    for (const turn of [-1, 1.5, Number.NaN]) expect(storeError(() => store.branch("g", turn, "new")).kind).toBe("invalid-data");
    expect(storeError(() => store.branch("g", 2, "taken")).kind).toBe("exists");
    expect(storeError(() => store.branch("g", 2, "../escape")).kind).toBe("invalid-name");
    expect(storeError(() => store.branch("nowhere", 2, "new")).kind).toBe("not-found");

    expect(readdirSync(dir).sort()).toEqual(files);
    expect({ g: fingerprintOf(store.path("g")), taken: fingerprintOf(store.path("taken")) }).toEqual(before);
  });
});
