import Database from "better-sqlite3";
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { canonicalJson, type GameState } from "../game/index.js";
import { SaveFile, SaveStore, StoreError, stateHash } from "./index.js";
import { stateAfter, tinyState, tinyWorld, waitTurn } from "./fixtures/tiny-world.js";

let dir: string;
let store: SaveStore;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "taleweave-save-"));
  store = new SaveStore(dir);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function newSave(name = "game"): SaveFile {
  return store.create(name, { worldId: tinyWorld.id, worldVersion: "1.0", seed: 7, state: tinyState() });
}

function commitTurns(save: SaveFile, count: number, modelCalls = 0): void {
  for (let turn = save.head().turn + 1, end = turn + count; turn < end; turn++) save.commitTurn(waitTurn(tinyState(), turn, modelCalls));
}

function rawDb(save: SaveFile): Database.Database {
  return new Database(save.file);
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

describe("stateHash", () => {
  it("is the sha256 of the canonical JSON, whatever the key order", () => {
    const state = tinyState();
    const reordered = Object.fromEntries(Object.entries(state).reverse()) as GameState;
    expect(stateHash(state)).toBe(createHash("sha256").update(canonicalJson(state)).digest("hex"));
    expect(stateHash(reordered)).toBe(stateHash(state));
    expect(stateHash(stateAfter(state, 1))).not.toBe(stateHash(state));
  });
});

describe("SaveFile", () => {
  it("starts at turn 0 with the initial state and its metadata", () => {
    const save = newSave();
    const head = save.head();
    expect(head).toEqual({ turn: 0, state: tinyState(), stateHash: stateHash(tinyState()) });
    expect(save.name).toBe("game");
    expect(save.meta).toMatchObject({ worldId: "tiny", worldVersion: "1.0", seed: 7, schemaVersion: 1 });
    expect(Date.parse(save.meta.createdAt)).not.toBeNaN();
    save.close();
  });

  it("commits turns, and reads them back with their model calls and exact states", () => {
    const save = newSave();
    commitTurns(save, 30, 2);
    expect(save.head().turn).toBe(30);
    expect(save.head().state).toEqual(stateAfter(tinyState(), 30));

    const turns = [...save.turns()];
    expect(turns.map((t) => t.turn)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    const expected = waitTurn(tinyState(), 7, 2);
    const seventh = turns[6]!;
    expect(seventh).toMatchObject({ turn: 7, input: expected.input, action: expected.action, events: expected.events, narration: expected.narration });
    expect(seventh.modelCalls).toEqual(expected.modelCalls);
    expect(seventh.stateHash).toBe(stateHash(expected.state));
    expect(Date.parse(seventh.committedAt)).not.toBeNaN();

    for (let turn = 0; turn <= 30; turn++) {
      const at = save.stateAt(turn);
      expect(at.state).toEqual(turn === 0 ? tinyState() : stateAfter(tinyState(), turn));
      expect(at.stateHash).toBe(stateHash(at.state));
    }
    save.close();
  });

  it("returns the turn as stored, and keeps everything across close and open", () => {
    const save = newSave();
    const committed = save.commitTurn(waitTurn(tinyState(), 1));
    expect(committed.stateHash).toBe(stateHash(stateAfter(tinyState(), 1)));
    save.close();
    const again = store.open("game");
    expect(again.head()).toEqual({ turn: 1, state: committed.state, stateHash: committed.stateHash });
    again.close();
  });

  it("stores a turn whose input was not understood, with a null action", () => {
    const save = newSave();
    save.commitTurn({ ...waitTurn(tinyState(), 1), input: "xyzzy", action: null, events: [] });
    expect([...save.turns()][0]).toMatchObject({ input: "xyzzy", action: null, events: [], modelCalls: [] });
    save.close();
  });

  it("reads turn ranges, across pages", () => {
    const save = newSave();
    commitTurns(save, 600);
    expect([...save.turns()].length).toBe(600);
    expect([...save.turns(250, 520)].map((t) => t.turn)).toEqual(Array.from({ length: 271 }, (_, i) => 250 + i));
    expect([...save.turns(0, 2)].map((t) => t.turn)).toEqual([1, 2]);
    expect([...save.turns(601)]).toEqual([]);
    save.close();
  });

  it("reads for a replay the input, hash and model calls of each turn, as turns() does", () => {
    const save = newSave();
    commitTurns(save, 300, 2);
    const full = [...save.turns(3, 290)].map(({ turn, input, stateHash, modelCalls }) => ({ turn, input, stateHash, modelCalls }));
    expect([...save.recordedTurns(3, 290)]).toEqual(full);
    expect(full[0]?.modelCalls).toHaveLength(2);
    save.close();
  });

  it("refuses a model call whose request or response is not plain JSON, storing nothing", () => {
    const save = newSave();
    const record = waitTurn(tinyState(), 1, 1);
    const call = record.modelCalls![0]!;
    const refused = storeError(() => save.commitTurn({ ...record, modelCalls: [{ ...call, response: { ok: true, score: Number.POSITIVE_INFINITY } }] }));
    expect(refused.kind).toBe("invalid-data");
    expect(refused.message).toMatch(/modelCalls\.0\.response: not plain JSON/);
    expect(save.head().turn).toBe(0);
    save.close();
  });

  it("refuses a turn out of order, a state the schema refuses, and a wrong stateHash, storing nothing", () => {
    const save = newSave();
    commitTurns(save, 2);
    expect(storeError(() => save.commitTurn(waitTurn(tinyState(), 4))).kind).toBe("invalid-data");
    expect(storeError(() => save.commitTurn(waitTurn(tinyState(), 2))).kind).toBe("invalid-data");

    const bad = waitTurn(tinyState(), 3);
    bad.state = { ...bad.state, player: { ...bad.state.player, hp: Number.NaN } };
    const refused = storeError(() => save.commitTurn(bad));
    expect(refused.kind).toBe("invalid-data");
    expect(refused.message).toContain("player.hp");

    const wrongHash = { ...waitTurn(tinyState(), 3), stateHash: "0".repeat(64) };
    expect(storeError(() => save.commitTurn(wrongHash)).kind).toBe("invalid-data");
    expect(save.head().turn).toBe(2);
    save.commitTurn({ ...waitTurn(tinyState(), 3), stateHash: stateHash(stateAfter(tinyState(), 3)) });
    expect(save.head().turn).toBe(3);
    save.close();
  });

  it("commits a turn whole or not at all", () => {
    const save = newSave();
    const record = waitTurn(tinyState(), 1, 2);
    record.modelCalls![1]!.seq = 0; // two calls with one seq: the second insert fails inside the transaction
    expect(storeError(() => save.commitTurn(record)).kind).toBe("invalid-data");
    expect(save.head().turn).toBe(0);
    const db = rawDb(save);
    expect(db.prepare("SELECT count(*) AS n FROM turns").get()).toEqual({ n: 0 });
    expect(db.prepare("SELECT count(*) AS n FROM model_calls").get()).toEqual({ n: 0 });
    db.close();
    save.commitTurn(waitTurn(tinyState(), 1, 2));
    expect(save.head().turn).toBe(1);
    save.close();
  });

  it("undoes to any turn, dropping later turns and their model calls", () => {
    const save = newSave();
    commitTurns(save, 40, 1);
    const head = save.truncateAfter(39);
    expect(head).toEqual({ turn: 39, state: stateAfter(tinyState(), 39), stateHash: stateHash(stateAfter(tinyState(), 39)) });
    expect(save.head()).toEqual(head);
    expect(save.truncateAfter(12).turn).toBe(12);
    expect([...save.turns()].length).toBe(12);
    const db = rawDb(save);
    expect(db.prepare("SELECT max(turn) AS n FROM model_calls").get()).toEqual({ n: 12 });
    db.close();

    save.commitTurn(waitTurn(tinyState(), 13));
    expect(save.head().turn).toBe(13);
    expect(save.truncateAfter(0)).toEqual({ turn: 0, state: tinyState(), stateHash: stateHash(tinyState()) });
    expect([...save.turns()]).toEqual([]);
    save.close();
    expect(store.open("game").head().turn).toBe(0);
  });

  it("refuses a turn another connection has already stored", () => {
    const first = newSave();
    const second = store.open("game");
    first.commitTurn(waitTurn(tinyState(), 1));
    const error = storeError(() => second.commitTurn(waitTurn(tinyState(), 1)));
    expect(error.kind).toBe("invalid-data");
    expect(error.problem).toContain("another program");
    first.close();
    second.close();
  });

  it("refuses turns that are not stored", () => {
    const save = newSave();
    commitTurns(save, 3);
    expect(() => save.stateAt(4)).toThrow(RangeError);
    expect(() => save.stateAt(-1)).toThrow(RangeError);
    expect(() => save.truncateAfter(1.5)).toThrow(RangeError);
    save.close();
  });

  it("refuses to open a save whose head state fails the schema", () => {
    const save = newSave();
    commitTurns(save, 3);
    save.close();
    const db = new Database(store.path("game"));
    const broken = JSON.stringify({ schema: 1, worldId: "tiny" });
    db.prepare("UPDATE turns SET state = ?, state_hash = ? WHERE turn = 3").run(broken, createHash("sha256").update(broken).digest("hex"));
    db.close();
    const error = storeError(() => store.open("game"));
    expect(error.kind).toBe("corrupt");
    expect(error.file).toBe(store.path("game"));
    expect(error.message).toContain("turn 3");
  });

  it("refuses to open a save whose head state does not match its hash", () => {
    const save = newSave();
    commitTurns(save, 1);
    save.close();
    const db = new Database(store.path("game"));
    db.prepare("UPDATE turns SET state = replace(state, '\"waited\":1', '\"waited\":2')").run();
    db.close();
    const error = storeError(() => store.open("game"));
    expect(error.kind).toBe("corrupt");
    expect(error.message).toContain("does not match its hash");
  });

  it("reads a model-call request when it is asked for: a damaged one is corrupt only then, and a closed save has none to give", () => {
    const save = newSave();
    commitTurns(save, 2, 1);
    const db = rawDb(save);
    db.prepare("UPDATE model_calls SET request = '{not json' WHERE turn = 2").run();
    db.close();
    const [, second] = [...save.recordedTurns()];
    const call = second!.modelCalls[0]!;
    expect(call.fingerprint).not.toBe("");
    const error = storeError(() => call.request);
    expect(error.kind).toBe("corrupt");
    expect(error.message).toContain("the request of model call 0 of turn 2");

    // A request read stays with its call; one not read before the save was closed cannot be read.
    const read = [...save.recordedTurns(1, 1)][0]!.modelCalls[0]!;
    const request = read.request;
    const unread = [...save.recordedTurns(1, 1)][0]!.modelCalls[0]!;
    save.close();
    expect(read.request).toBe(request);
    const closed = storeError(() => unread.request);
    expect(closed.kind).toBe("io");
    expect(closed.message).toContain("the request of model call 0 of turn 1 is read from the save, which has been closed");
  });

  it("reports a damaged turn row as corrupt when it is read", () => {
    const save = newSave();
    commitTurns(save, 2);
    const db = rawDb(save);
    db.prepare("UPDATE turns SET events = '[{\"kind\":\"nonsense\"}]' WHERE turn = 2").run();
    db.close();
    const error = storeError(() => [...save.turns()]);
    expect(error.kind).toBe("corrupt");
    expect(error.message).toContain("the events of turn 2");
    save.close();
  });

  it("refuses a save whose header row is missing", () => {
    newSave().close();
    const db = new Database(store.path("game"));
    db.prepare("DELETE FROM meta").run();
    db.close();
    expect(storeError(() => store.open("game")).kind).toBe("corrupt");
  });
});
