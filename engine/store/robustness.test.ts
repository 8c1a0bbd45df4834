import Database from "better-sqlite3";
import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, openSync, readFileSync, readdirSync, rmSync, statSync, truncateSync, writeFileSync, writeSync, closeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SaveStore, StoreError, type StoreErrorKind } from "./index.js";
import { tinyState, tinyWorld, waitTurn } from "./fixtures/tiny-world.js";

/**
 * Files that are not good saves. Each must be refused with a StoreError naming the file and the
 * problem, and neither it nor the good save beside it may change by a byte, nor gain a WAL file.
 */

let dir: string;
let store: SaveStore;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "taleweave-bad-"));
  store = new SaveStore(dir);
  play("neighbour", 20);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function play(name: string, turns: number): string {
  const save = store.create(name, { worldId: tinyWorld.id, seed: 7, state: tinyState() });
  for (let turn = 1; turn <= turns; turn++) save.commitTurn(waitTurn(tinyState(), turn, 1));
  save.close();
  return save.file;
}

/** Every file in the saves directory, with a hash of its bytes and its modification time. */
function snapshotDir(): Record<string, { sha: string; mtimeMs: number }> {
  const out: Record<string, { sha: string; mtimeMs: number }> = {};
  for (const entry of readdirSync(dir)) {
    const file = join(dir, entry);
    out[entry] = { sha: createHash("sha256").update(readFileSync(file)).digest("hex"), mtimeMs: statSync(file).mtimeMs };
  }
  return out;
}

function overwrite(file: string, offset: number, bytes: Buffer): void {
  const fd = openSync(file, "r+");
  try {
    writeSync(fd, bytes, 0, bytes.length, offset);
  } finally {
    closeSync(fd);
  }
}

/**
 * `listed`: whether list() shows the problem too. It reads only each save's header and newest
 * turn, so damage deep in a file is found by open's page-by-page check, not by the list.
 */
const cases: { what: string; kind: StoreErrorKind; problem: RegExp; listed: boolean; make: (file: string) => void }[] = [
  {
    what: "random bytes",
    kind: "foreign",
    problem: /not a SQLite database/,
    listed: true,
    make: (file) => writeFileSync(file, randomBytes(64 * 1024)),
  },
  {
    what: "a real save with bytes overwritten in the middle",
    kind: "corrupt",
    problem: /damaged|malformed|not a readable/,
    listed: false,
    make: (file) => {
      const source = play("victim", 200);
      const size = statSync(source).size;
      expect(size).toBeGreaterThan(64 * 1024);
      writeFileSync(file, readFileSync(source));
      store.delete("victim");
      overwrite(file, Math.floor(size / 2), randomBytes(8192));
    },
  },
  {
    what: "a truncated save",
    kind: "corrupt",
    problem: /damaged|malformed|not a readable/,
    listed: true,
    make: (file) => {
      const source = play("victim", 200);
      writeFileSync(file, readFileSync(source));
      store.delete("victim");
      truncateSync(file, Math.floor(statSync(file).size / 2));
    },
  },
  {
    what: "a SQLite database of another program",
    kind: "foreign",
    problem: /not a Taleweave save/,
    listed: true,
    make: (file) => {
      const db = new Database(file);
      db.exec("CREATE TABLE contacts (name TEXT); INSERT INTO contacts VALUES ('Ada')");
      db.close();
    },
  },
  {
    what: "a text file named .sqlite",
    kind: "foreign",
    problem: /not a SQLite database/,
    listed: true,
    make: (file) => writeFileSync(file, "Dear diary, today I saved the game.\n".repeat(50)),
  },
  {
    what: "an empty file",
    kind: "foreign",
    problem: /empty/,
    listed: true,
    make: (file) => writeFileSync(file, ""),
  },
  {
    what: "a save from a newer schema",
    kind: "too-new",
    problem: /newer Taleweave \(schema 99/,
    listed: true,
    make: (file) => {
      const source = play("victim", 3);
      const db = new Database(source);
      db.pragma("user_version = 99");
      db.close();
      writeFileSync(file, readFileSync(source));
      store.delete("victim");
    },
  },
];

describe("bad save files", () => {
  for (const { what, kind, problem, listed: seenByList, make } of cases) {
    it(`refuses ${what}, touching nothing`, () => {
      const bad = store.path("bad");
      make(bad);
      const before = snapshotDir();
      expect(Object.keys(before).sort()).toEqual(["bad.sqlite", "neighbour.sqlite"]);

      let error: unknown;
      try {
        store.open("bad").close();
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(StoreError);
      const refused = error as StoreError;
      expect(refused.kind).toBe(kind);
      expect(refused.file).toBe(bad);
      expect(refused.message.startsWith(`${bad}: `)).toBe(true);
      expect(refused.problem).toMatch(problem);

      const listed = store.list();
      expect(listed.map((s) => s.name)).toEqual(["bad", "neighbour"]);
      if (seenByList) expect(listed[0]!.problem).toBeDefined();
      expect(listed[1]).toMatchObject({ name: "neighbour", turn: 20, worldId: "tiny" });
      expect(listed[1]!.problem).toBeUndefined();

      expect(snapshotDir()).toEqual(before);
      const neighbour = store.open("neighbour");
      expect(neighbour.head().turn).toBe(20);
      neighbour.close();
    });
  }
});
