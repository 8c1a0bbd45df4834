import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { TurnSummary } from "../../engine/session/index.js";
import { builtInWalkthroughPath } from "../../engine/worlds/index.js";

/** Terminal play as a player (or CI) runs it: a real child process, a real save directory. */

const run = promisify(execFile);
const root = resolve(import.meta.dirname, "../..");
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "taleweave-cli-"));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function play(args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ["--import", "tsx", "app/cli/play.ts", ...args], {
      cwd: root,
      env: { ...process.env, TALEWEAVE_SAVES_DIR: join(dir, "saves"), TALEWEAVE_DATA_DIR: join(dir, "data"), TALEWEAVE_MODELS_DIR: join(dir, "models"), NO_COLOR: "1" },
      maxBuffer: 64 * 1024 * 1024,
    });
    return { stdout, stderr, code: 0 };
  } catch (error) {
    const e = error as { stdout: string; stderr: string; code: number };
    return { stdout: e.stdout, stderr: e.stderr, code: e.code };
  }
}

function transcript(stdout: string): TurnSummary[] {
  return stdout.trim().split("\n").filter((l) => l.startsWith("{\"turn\"")).map((l) => TurnSummary.parse(JSON.parse(l)));
}

describe("terminal play", () => {
  it("plays the built-in walkthrough to a completed quest, one JSON object per turn", async () => {
    const { stdout, stderr, code } = await play(["--save", "walk", "--seed", "7", "--script", builtInWalkthroughPath(), "--transcript", "jsonl", "--offline"]);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    const turns = transcript(stdout);
    expect(turns.length).toBeGreaterThan(20);
    expect(turns.map((t) => t.turn)).toEqual(turns.map((_, i) => i + 1));
    const kinds = turns.flatMap((t) => t.events.map((e) => e.kind));
    expect(kinds).toContain("quest-completed");
    expect(turns.every((t) => t.action.kind !== "unknown")).toBe(true);
  });

  it("gives the same state hashes for the same seed and inputs", async () => {
    const script = join(dir, "moves.txt");
    writeFileSync(script, "look\nn\ns\ntake all\ni\nsearch\nwait\nattack everyone\nz\nx me\n");
    const a = transcript((await play(["--save", "a", "--seed", "99", "--script", script, "--transcript", "jsonl", "--offline"])).stdout);
    const b = transcript((await play(["--save", "b", "--seed", "99", "--script", script, "--transcript", "jsonl", "--offline"])).stdout);
    expect(a.length).toBe(10);
    expect(a.map((t) => t.stateHash)).toEqual(b.map((t) => t.stateHash));
  });

  it("continues a save where it stopped", async () => {
    const script = join(dir, "moves.txt");
    writeFileSync(script, "look\nwait\n");
    await play(["--save", "again", "--seed", "3", "--script", script, "--transcript", "jsonl"]);
    const second = transcript((await play(["--save", "again", "--script", script, "--transcript", "jsonl"])).stdout);
    expect(second.map((t) => t.turn)).toEqual([3, 4]);
  });

  it("reports unknown commands as turns with an unknown action, and prose without --transcript", async () => {
    const script = join(dir, "moves.txt");
    writeFileSync(script, "xyzzy frobnicate\n");
    const turns = transcript((await play(["--save", "u", "--seed", "1", "--script", script, "--transcript", "jsonl"])).stdout);
    expect(turns[0]?.action).toMatchObject({ kind: "unknown", reason: "unknown" });
    const prose = await play(["--save", "p", "--seed", "1", "--script", script]);
    expect(prose.code).toBe(0);
    expect(prose.stdout.length).toBeGreaterThan(50);
  });

  it("refuses bad options and a malformed world file with a clear message", async () => {
    const bad = await play(["--seed", "many"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--seed must be a whole number/);
    const world = join(dir, "broken.json");
    writeFileSync(world, "{ not json");
    const broken = await play(["--world", world, "--script", world]);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toContain("broken.json");
  });
});
