import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { TurnSummary } from "../../engine/session/index.js";

/** `npm run play -- --save X --from-turn N --save-as Y`, as a player runs it: a child process, a real saves folder. */

const run = promisify(execFile);
const root = resolve(import.meta.dirname, "../..");
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "taleweave-rewind-cli-"));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function play(args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ["--import", "tsx", "app/cli/play.ts", "--offline", "--transcript", "jsonl", ...args], {
      cwd: root,
      env: { ...process.env, TALEWEAVE_SAVES_DIR: join(dir, "saves"), TALEWEAVE_DATA_DIR: join(dir, "data"), TALEWEAVE_MODELS_DIR: join(dir, "models"), NO_COLOR: "1" },
    });
    return { stdout, stderr, code: 0 };
  } catch (error) {
    const e = error as { stdout: string; stderr: string; code: number };
    return { stdout: e.stdout, stderr: e.stderr, code: e.code };
  }
}

function turns(stdout: string): TurnSummary[] {
  return stdout.trim().split("\n").filter((l) => l.startsWith('{"turn"')).map((l) => TurnSummary.parse(JSON.parse(l)));
}

function script(name: string, lines: string[]): string {
  const file = join(dir, name);
  writeFileSync(file, lines.join("\n") + "\n");
  return file;
}

describe("terminal play from an earlier turn", () => {
  it("plays on from turn N in a new save, the same game as it was then; the original is untouched", async () => {
    const moves = ["look", "n", "e", "wait", "w", "w"];
    const original = turns((await play(["--save", "hero", "--seed", "7", "--script", script("moves.txt", moves)])).stdout);
    expect(original).toHaveLength(6);
    const file = join(dir, "saves", "hero.sqlite");
    const bytes = createHash("sha256").update(readFileSync(file)).digest("hex");

    // From turn 2, the same third move gives the same state as it did the first time.
    const { stdout, stderr, code } = await play(["--save", "hero", "--from-turn", "2", "--save-as", "hero-again", "--script", script("next.txt", ["e", "look"])]);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    const branched = turns(stdout);
    expect(branched.map((t) => t.turn)).toEqual([3, 4]);
    expect(branched[0]?.stateHash).toBe(original[2]?.stateHash);

    expect(createHash("sha256").update(readFileSync(file)).digest("hex")).toBe(bytes);
    const continued = turns((await play(["--save", "hero-again", "--script", script("more.txt", ["wait"])])).stdout);
    expect(continued.map((t) => t.turn)).toEqual([5]);
  });

  // Nine processes, each compiling the CLI with tsx: the eight refusals run side by side.
  it("says clearly what is wrong: a turn beyond the last, a name in use, a bad name, a missing save, missing options", async () => {
    await play(["--save", "hero", "--seed", "7", "--script", script("moves.txt", ["look", "n"])]);
    const empty = script("empty.txt", []);
    const refusals: { args: string[]; code: number; says: string }[] = [
      { args: ["--save", "hero", "--from-turn", "9", "--save-as", "b"], code: 1, says: "there is no turn 9 to branch from: this save's turns are 0 to 2" },
      { args: ["--save", "hero", "--from-turn", "1", "--save-as", "hero"], code: 1, says: 'a save called "hero" already exists' },
      { args: ["--save", "hero", "--from-turn", "1", "--save-as", "../b"], code: 1, says: "a save name is 1 to 64 letters" },
      { args: ["--save", "nobody", "--from-turn", "1", "--save-as", "b"], code: 1, says: 'there is no save called "nobody" to go back in' },
      ...[["--save", "hero", "--from-turn", "1"], ["--from-turn", "1", "--save-as", "b"], ["--save", "hero", "--save-as", "b"], ["--save", "hero", "--from-turn", "one", "--save-as", "b"]]
        .map((args) => ({ args, code: 2, says: "Usage: npm run play" })),
    ];
    const answers = await Promise.all(refusals.map(({ args }) => play([...args, "--script", empty])));
    refusals.forEach(({ args, code, says }, i) => {
      expect(answers[i]?.code, args.join(" ")).toBe(code);
      expect(answers[i]?.stderr, args.join(" ")).toContain(says);
    });
  }, 180_000);
});
