import Database from "better-sqlite3";
import { copyFileSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SAVE_KIND, SaveStore, StoreError, saveNameProblem, stateHash } from "./index.js";
import { stateAfter, tinyState, tinyWorld, waitTurn } from "./fixtures/tiny-world.js";

let dir: string;
let store: SaveStore;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "taleweave-store-"));
  store = new SaveStore(join(dir, "saves", "nested"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const init = { worldId: tinyWorld.id, seed: 7, state: tinyState() };

function storeError(run: () => unknown): StoreError {
  try {
    run();
  } catch (error) {
    if (error instanceof StoreError) return error;
    throw error;
  }
  throw new Error("expected a StoreError");
}

function play(name: string, turns: number): void {
  const save = store.create(name, init);
  for (let turn = 1; turn <= turns; turn++) save.commitTurn(waitTurn(tinyState(), turn));
  save.close();
}

describe("save names", () => {
  it("accepts letters, digits, spaces, '-', '_' and '.'", () => {
    for (const name of ["game", "Game 2", "my_save-1.bak", "Élise", "_x", "a".repeat(64)]) expect(saveNameProblem(name)).toBeUndefined();
  });

  it("refuses path separators, dot names, empty, long and Windows-hostile names", () => {
    for (const name of ["", "../x", "a/b", "a\\b", ".", "..", ".hidden", "-x", " x", "x ", "x.", "a".repeat(65), "con", "NUL.txt", "a:b", "a\0b"]) {
      expect(saveNameProblem(name), name).toBeDefined();
      const error = storeError(() => store.path(name));
      expect(error.kind).toBe("invalid-name");
      expect(storeError(() => store.create(name, init)).kind).toBe("invalid-name");
    }
    expect(readdirSync(store.dir)).toEqual([]);
  });
});

describe("SaveStore", () => {
  it("creates the directory, and a save as <dir>/<name>.sqlite", () => {
    const save = store.create("first", init);
    expect(save.file).toBe(join(store.dir, "first.sqlite"));
    expect(store.path("first")).toBe(save.file);
    save.close();
    expect(readdirSync(store.dir)).toEqual(["first.sqlite"]);
  });

  it("refuses a name that exists, leaving the save as it was", () => {
    play("taken", 3);
    const error = storeError(() => store.create("taken", init));
    expect(error.kind).toBe("exists");
    expect(error.file).toBe(store.path("taken"));
    const save = store.open("taken");
    expect(save.head().turn).toBe(3);
    save.close();
  });

  it("refuses an invalid initial state and leaves no file behind", () => {
    const error = storeError(() => store.create("bad", { ...init, state: { ...tinyState(), turn: -1 } }));
    expect(error.kind).toBe("invalid-data");
    expect(storeError(() => store.create("bad", { ...init, worldId: "other" })).kind).toBe("invalid-data");
    expect(readdirSync(store.dir)).toEqual([]);
  });

  it("lists saves by name with their world, turn and times", () => {
    play("beta", 4);
    play("alpha", 0);
    const list = store.list();
    expect(list.map((s) => s.name)).toEqual(["alpha", "beta"]);
    const beta = list[1]!;
    if (beta.problem !== undefined) throw new Error(beta.problem);
    expect(beta).toMatchObject({ name: "beta", file: store.path("beta"), worldId: "tiny", worldVersion: null, turn: 4 });
    expect(beta.updatedAt >= beta.createdAt).toBe(true);
    expect(list[0]).toMatchObject({ name: "alpha", turn: 0 });
  });

  it("lists an unreadable file with its problem, next to the good saves", () => {
    play("good", 2);
    writeFileSync(join(store.dir, "broken.sqlite"), "this is not a database");
    writeFileSync(join(store.dir, "bad$name.sqlite"), "");
    writeFileSync(join(store.dir, "notes.txt"), "ignored");
    const list = store.list();
    expect(list.map((s) => [s.name, s.problem === undefined])).toEqual([["bad$name", false], ["broken", false], ["good", true]]);
    expect(list[1]!.problem).toContain("not a SQLite database");
  });

  it("copies a save with save-as, from an open save or by name, leaving the original alone", () => {
    play("original", 4);
    const original = store.open("original");
    original.commitTurn(waitTurn(tinyState(), 5, 1)); // still in the WAL: the copy must have it
    const copy = store.saveAs(original, "copy");
    expect(copy.name).toBe("copy");
    expect(copy.head()).toEqual(original.head());
    expect(copy.head().turn).toBe(5);
    expect([...copy.turns()]).toEqual([...original.turns()]);
    expect(copy.meta).toEqual(original.meta);

    copy.commitTurn(waitTurn(tinyState(), 6));
    expect(copy.truncateAfter(2).turn).toBe(2);
    expect(original.head().turn).toBe(5);
    copy.close();

    const byName = store.saveAs("original", "copy 2");
    expect(byName.head().stateHash).toBe(stateHash(stateAfter(tinyState(), 5)));
    byName.close();
    expect(storeError(() => store.saveAs(original, "copy")).kind).toBe("exists");
    original.close();
    expect(readdirSync(store.dir).sort()).toEqual(["copy 2.sqlite", "copy.sqlite", "original.sqlite"]);
  });

  it("deletes a save with its WAL files, and refuses a missing one", () => {
    play("doomed", 2);
    const open = store.open("doomed");
    store.delete("doomed");
    open.close();
    expect(readdirSync(store.dir)).toEqual([]);
    expect(storeError(() => store.delete("doomed")).kind).toBe("not-found");
    expect(storeError(() => store.open("doomed")).kind).toBe("not-found");
  });

  it("drops WAL files left without their save before creating one of that name", () => {
    play("donor", 0);
    const donor = store.open("donor");
    for (let turn = 1; turn <= 5; turn++) donor.commitTurn(waitTurn(tinyState(), turn));
    // A crash can leave a WAL whose database is gone; SQLite would replay it into a new file.
    copyFileSync(donor.file + "-wal", store.path("ghost") + "-wal");
    donor.close();
    const fresh = store.create("ghost", init);
    expect(fresh.head()).toEqual({ turn: 0, state: tinyState(), stateHash: stateHash(tinyState()) });
    fresh.close();
  });

  it("uses the saves application id", () => {
    play("id", 0);
    const db = new Database(store.path("id"), { readonly: true });
    expect(db.pragma("application_id", { simple: true })).toBe(SAVE_KIND.applicationId);
    expect(db.pragma("user_version", { simple: true })).toBe(1);
    db.close();
  });
});

describe("journal", () => {
  it("is a write-ahead log for a save in play", () => {
    play("game", 1);
    const db = new Database(store.path("game"), { readonly: true });
    expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
    db.close();
  });
});

describe("page size", () => {
  const pageSize = (name: string): unknown => {
    const db = new Database(store.path(name), { readonly: true });
    try {
      return db.pragma("page_size", { simple: true });
    } finally {
      db.close();
    }
  };

  it("is 16 KB for new saves and branches, so a turn's state fits in its page", () => {
    play("game", 3);
    store.branch("game", 2, "branch").close();
    expect(pageSize("game")).toBe(SAVE_KIND.pageSize);
    expect(pageSize("branch")).toBe(16_384);
  });

  it("stays what it was in a save written with SQLite's default, which still plays and branches", () => {
    store.create("fresh", init).close();
    // An existing 4 KB save: a new one's content rewritten with the old page size.
    const db = new Database(store.path("fresh"));
    db.pragma("journal_mode = DELETE");
    db.prepare("VACUUM INTO ?").run(join(store.dir, "small.sqlite"));
    db.close();
    const small = new Database(join(store.dir, "small.sqlite"));
    small.pragma("page_size = 4096");
    small.exec("VACUUM");
    small.close();
    expect(pageSize("small")).toBe(4096);
    const opened = store.open("small");
    opened.commitTurn(waitTurn(tinyState(), 1));
    opened.close();
    expect(pageSize("small")).toBe(4096);
    const branch = store.branch("small", 1, "small-branch");
    expect(branch.head().turn).toBe(1);
    branch.close();
  });
});
