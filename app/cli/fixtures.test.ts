import Database from "better-sqlite3";
import { closeSync, copyFileSync, existsSync, mkdtempSync, openSync, readdirSync, readSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatDivergence, replaySave } from "../../engine/session/index.js";
import { openDatabase, SAVE_KIND, SaveFile, type StoredTurn } from "../../engine/store/index.js";
import { loadBuiltInWorld } from "../../engine/worlds/index.js";
import { FIXTURES, FIXTURES_DIR, makeFixture } from "./make-fixtures.js";

/**
 * The saves in saves/fixtures/ are how the game is tested: every one must replay, turn by turn,
 * to the states it recorded. Each is replayed from a copy, so a fixture from an older schema is
 * migrated in the copy and stays old in git (see saves/fixtures/README.md).
 */

const world = loadBuiltInWorld();
const FILES = readdirSync(FIXTURES_DIR).filter((f) => f.endsWith(".sqlite")).sort();
const MAX_BYTES = 4 * 1024 * 1024;
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "taleweave-fixtures-"));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** A fixture's schema version and file kind, read from the SQLite header without opening it. */
function header(file: string): { userVersion: number; applicationId: number } {
  const bytes = Buffer.alloc(100);
  const fd = openSync(file, "r");
  try {
    readSync(fd, bytes, 0, 100, 0);
  } finally {
    closeSync(fd);
  }
  return { userVersion: bytes.readUInt32BE(60), applicationId: bytes.readUInt32BE(68) };
}

function openCopy(name: string): SaveFile {
  const copy = join(dir, `${Math.random().toString(36).slice(2)}-${name}`);
  copyFileSync(join(FIXTURES_DIR, name), copy);
  return new SaveFile(copy);
}

function turnsOf(name: string): StoredTurn[] {
  const save = openCopy(name);
  try {
    return [...save.turns()];
  } finally {
    save.close();
  }
}

describe.each(FILES)("fixture %s", (name) => {
  it("replays turn by turn to the recorded states", async () => {
    const save = openCopy(name);
    try {
      const report = await replaySave(world, save);
      if (!report.ok) throw new Error(`${name} does not replay:\n${report.divergences.map(formatDivergence).join("\n")}`);
      expect(report.replayed).toBe(report.turns);
    } finally {
      save.close();
    }
  });

  it("is a save of this schema or an earlier one, and opens (migrated) from a copy", () => {
    const file = join(FIXTURES_DIR, name);
    const { userVersion, applicationId } = header(file);
    expect(applicationId).toBe(SAVE_KIND.applicationId);
    expect(userVersion).toBeGreaterThanOrEqual(1);
    expect(userVersion).toBeLessThanOrEqual(SAVE_KIND.migrations.length);
    const save = openCopy(name);
    expect(save.meta.schemaVersion).toBe(SAVE_KIND.migrations.length);
    expect(header(save.file).userVersion).toBe(SAVE_KIND.migrations.length);
    save.close();
  });

  it("is ready to commit: small, with no -wal or -shm beside it", () => {
    const file = join(FIXTURES_DIR, name);
    expect(statSync(file).size).toBeLessThan(MAX_BYTES);
    expect(existsSync(`${file}-wal`)).toBe(false);
    expect(existsSync(`${file}-shm`)).toBe(false);
  });
});

describe("the fixtures", () => {
  it("are the ones the script makes", () => {
    expect(FILES).toEqual(FIXTURES.map((f) => `${f.name}.sqlite`).sort());
  });

  it("include a game of 200+ turns with movement, combat, quests, judged rules, invented content and summaries", () => {
    const turns = turnsOf("greyhollow-story.sqlite");
    expect(turns.length).toBeGreaterThanOrEqual(200);
    const events = turns.flatMap((t) => t.events);
    const kinds = new Set(events.map((e) => e.kind));
    for (const kind of ["moved", "attacked", "npc-died", "quest-started", "quest-advanced", "quest-completed", "content-added", "player-said"]) {
      expect(kinds, kind).toContain(kind);
    }
    const fired = events.flatMap((e) => (e.kind === "rule-fired" ? [e.rule] : []));
    // Both judged rules fired on a model's yes; the stranger and the mill's side room were invented.
    expect(fired).toEqual(expect.arrayContaining(["hob_offended", "mara_comforted", "stranger_at_the_inn"]));
    expect(events.filter((e) => e.kind === "content-added").map((e) => (e.kind === "content-added" ? e.content : ""))).toEqual(expect.arrayContaining(["npc", "location"]));

    const calls = turns.flatMap((t) => t.modelCalls);
    const types = calls.map((c) => (c.request as { type: string }).type);
    for (const type of ["intent-parsing", "rule-judging", "content-generation", "narration", "dialogue", "summarization"]) {
      expect(types, type).toContain(type);
    }
    expect(types.filter((t) => t === "summarization").length).toBeGreaterThanOrEqual(20);
    // A refused proposal and its repair, and narration that failed over to the engine, are in the record too.
    expect(calls.filter((c) => (c.request as { messages: unknown[] }).messages.length > 2 && (c.request as { type: string }).type === "content-generation")).not.toHaveLength(0);
    expect(calls.some((c) => (c.response as { ok: boolean }).ok === false)).toBe(true);
  });

  it("can be made again by the script: the same inputs reach the same states with the same requests", async () => {
    const out = join(dir, "again");
    for (const script of FIXTURES) {
      await makeFixture(script, out);
      const made = new SaveFile(join(out, `${script.name}.sqlite`));
      try {
        const shape = (t: StoredTurn) => ({ turn: t.turn, input: t.input, stateHash: t.stateHash, calls: t.modelCalls.map((c) => c.fingerprint) });
        expect([...made.turns()].map(shape), script.name).toEqual(turnsOf(`${script.name}.sqlite`).map(shape));
      } finally {
        made.close();
      }
    }
  });

  it("openDatabase takes a save from user_version 0 through every migration", () => {
    const file = join(dir, "fresh.sqlite");
    new Database(file).close();
    expect(header(file).userVersion).toBe(0);
    openDatabase(file, SAVE_KIND, { create: true }).close();
    expect(header(file)).toEqual({ userVersion: SAVE_KIND.migrations.length, applicationId: SAVE_KIND.applicationId });
    const db = new Database(file, { readonly: true });
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map((t) => t.name);
    db.close();
    expect(tables).toEqual(["meta", "model_calls", "turns"]);
  });
});
