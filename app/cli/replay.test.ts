import Database from "better-sqlite3";
import { createHash } from "node:crypto";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { GameSession } from "../../engine/session/index.js";
import { SaveStore } from "../../engine/store/index.js";
import { FIXTURES_DIR } from "./make-fixtures.js";
import { runReplayCli } from "./replay.js";

/** `npm run replay`, run in-process: exit codes, the report, and clear errors for bad files. */

const OFFLINE_FIXTURE = join(FIXTURES_DIR, "greyhollow-offline.sqlite");
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "taleweave-replay-cli-"));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function capture(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  return { stream: new Writable({ write(c, _e, cb) { chunks.push(String(c)); cb(); } }), text: () => chunks.join("") };
}

async function replay(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = capture();
  const err = capture();
  const code = await runReplayCli(args, { stdout: out.stream, stderr: err.stream, env });
  return { code, stdout: out.text(), stderr: err.text() };
}

function copyFixture(name: string): string {
  const file = join(dir, name);
  copyFileSync(OFFLINE_FIXTURE, file);
  return file;
}

describe("npm run replay", () => {
  it("replays a save given by path, prints the report and exits 0; the file is not touched", async () => {
    const before = { sha: sha256(readFileSync(OFFLINE_FIXTURE)), mtimeMs: statSync(OFFLINE_FIXTURE).mtimeMs };
    const { code, stdout, stderr } = await replay([OFFLINE_FIXTURE]);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(stdout).toContain(OFFLINE_FIXTURE);
    expect(stdout).toMatch(/replayed (\d+) of \1 turns/);
    expect(stdout).toContain("OK: every turn reached the recorded state.");
    expect({ sha: sha256(readFileSync(OFFLINE_FIXTURE)), mtimeMs: statSync(OFFLINE_FIXTURE).mtimeMs }).toEqual(before);
  });

  it("finds a save by name in TALEWEAVE_SAVES_DIR, and prints JSON with --json", async () => {
    const saves = join(dir, "saves");
    mkdirSync(saves);
    copyFileSync(OFFLINE_FIXTURE, join(saves, "walk.sqlite"));
    const { code, stdout } = await replay(["walk", "--json"], { TALEWEAVE_SAVES_DIR: saves });
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as { ok: boolean; file: string; turns: number; replayed: number; divergences: unknown[] };
    expect(report).toMatchObject({ ok: true, file: join(saves, "walk.sqlite"), divergences: [] });
    expect(report.replayed).toBe(report.turns);
  });

  it("exits 1 on the first divergence and prints it", async () => {
    const file = copyFixture("doctored.sqlite");
    const db = new Database(file);
    db.prepare("UPDATE turns SET input = 'xyzzy' WHERE turn = 3").run();
    db.close();
    const { code, stdout } = await replay([file]);
    expect(code).toBe(1);
    expect(stdout).toContain('Divergence at turn 3 ("xyzzy")');
    expect(stdout).toContain("replayed 2 of");
    expect(stdout).toContain("FAILED");
  });

  it("names the file when it is not a save, is damaged, or is missing", async () => {
    const text = join(dir, "notes.sqlite");
    writeFileSync(text, "these are my notes, not a save\n");
    const notSave = await replay([text]);
    expect(notSave.code).toBe(1);
    expect(notSave.stderr).toContain(`${text}: this is not a SQLite database`);

    const other = join(dir, "other.sqlite");
    const db = new Database(other);
    db.exec("CREATE TABLE t (x)");
    db.close();
    expect((await replay([other])).stderr).toContain(`${other}: this SQLite file is not a Taleweave save`);

    const damaged = copyFixture("damaged.sqlite");
    const bytes = readFileSync(damaged);
    bytes.fill(0x5a, 8192, 16384);
    writeFileSync(damaged, bytes);
    const broken = await replay([damaged]);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toContain(damaged);
    expect(broken.stderr).toMatch(/damaged|not a readable save/);
    expect(broken.stderr).not.toContain("taleweave-replay-copy-");

    const missing = await replay([join(dir, "gone.sqlite")]);
    expect(missing).toMatchObject({ code: 1 });
    expect(missing.stderr).toContain("gone.sqlite: no save file here");
  });

  it("needs the world of a save played in another world pack", async () => {
    const worldFile = join(dir, "tiny.json");
    writeFileSync(worldFile, JSON.stringify({
      format: 1, id: "tiny", title: "Tiny", intro: "A room.",
      player: { name: "Tester", location: "room", hp: 10, stats: { strength: 5, agility: 5, wits: 5 } },
      locations: { room: { name: "Room", description: "A bare room." } }, items: {}, npcs: {},
    }));
    const { loadWorldFile } = await import("../../engine/worlds/index.js");
    const store = new SaveStore(join(dir, "saves"));
    const session = GameSession.start(loadWorldFile(worldFile), store, "tiny", 3);
    for (const move of ["look", "wait", "xyzzy"]) await session.submit(move);
    session.close();
    const file = store.path("tiny");

    const without = await replay([file]);
    expect(without.code).toBe(1);
    expect(without.stderr).toContain(`${file}: this save is a game of "tiny"; give its world with --world PATH`);
    expect(await replay([file, "--world", worldFile])).toMatchObject({ code: 0 });
  });

  it("exits 2 on usage errors", async () => {
    for (const args of [[], ["a", "b"], ["--bogus", "x"], ["bad:name"]]) {
      const { code, stderr } = await replay(args);
      expect(code, args.join(" ")).toBe(2);
      expect(stderr).toContain("Usage: npm run replay");
    }
    expect((await replay(["--help"])).code).toBe(0);
  });
});

function sha256(bytes: Buffer): string {
  return createHash("sha256").update(bytes).digest("hex");
}
