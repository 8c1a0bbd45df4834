import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { RouterResult, TaskRequest } from "../llm/index.js";
import { SaveStore, StoreError } from "../store/index.js";
import { loadBuiltInWorld } from "../worlds/index.js";
import { GameSession, replaySave, SessionError } from "./index.js";

/** Rewind and branch: back to any turn of a save, playing on in a new save; the original kept as it was. */

const world = loadBuiltInWorld();
const MOVES = ["look", "n", "read notice", "talk to elder", "e", "talk to hob", "ask hob about room", "take bread", "w", "wait"];
let dir: string;
let store: SaveStore;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "taleweave-rewind-"));
  store = new SaveStore(join(dir, "saves"));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Narrates every turn with the prompt's last lines, so a test can see which turns a prompt holds. */
const narrator = {
  prompts: [] as string[],
  async run(task: TaskRequest): Promise<RouterResult> {
    const text = `Turn told (${task.messages.length} messages).`;
    this.prompts.push(task.messages.map((m) => m.content).join("\n"));
    task.onToken?.(text);
    return {
      ok: true, text, ...(task.jsonSchema ? { json: { verdict: false, reason: "no" } } : {}), slot: "utility", complexity: "routine",
      provider: "local", model: "narrator", usage: { inputTokens: 1, outputTokens: 1 }, costUsd: 0, latencyMs: 1, totalMs: 1,
      cached: false, attempts: 1, errors: [],
    };
  },
};

async function playOriginal(): Promise<{ sha: string; mtimeMs: number }> {
  const session = GameSession.start(world, store, "original", 7, { runner: narrator });
  for (const move of MOVES) await session.submit(move);
  session.close();
  return fileState();
}

function fileState(): { sha: string; mtimeMs: number } {
  const file = store.path("original");
  return { sha: createHash("sha256").update(readFileSync(file)).digest("hex"), mtimeMs: statSync(file).mtimeMs };
}

describe("GameSession.rewind", () => {
  it("continues from turn N in a new save, with the turns up to N as its memory; the original is untouched", async () => {
    const before = await playOriginal();
    const original = store.open("original");
    const at4 = original.stateAt(4);
    original.close();

    narrator.prompts.length = 0;
    const session = GameSession.rewind(world, store, "original", 4, "branch", { runner: narrator });
    expect(session.saveName).toBe("branch");
    expect(session.state).toEqual(at4.state);
    const outcome = await session.submit("e");
    expect(outcome).toMatchObject({ type: "turn", summary: { turn: 5 } });
    // The storyteller remembers the branch's past, not the original's future.
    const prompt = narrator.prompts.join("\n");
    expect(prompt).toContain("Turn 4.");
    expect(prompt).not.toContain("Turn 6.");
    session.close();

    expect(fileState()).toEqual(before);
    const reopened = store.open("original");
    expect(reopened.head().turn).toBe(MOVES.length);
    reopened.close();

    // The branch is a whole save: it replays from the start, its copied model calls included.
    const branch = store.open("branch");
    const report = await replaySave(world, branch);
    branch.close();
    expect(report).toMatchObject({ ok: true, replayed: 5 });
  });

  it("refuses a turn beyond the head, a name in use, a bad name, a missing save and another world's save", async () => {
    await playOriginal();
    const refused = (run: () => unknown): Error => {
      try {
        run();
      } catch (error) {
        return error as Error;
      }
      throw new Error("expected a refusal");
    };
    const beyond = refused(() => GameSession.rewind(world, store, "original", 11, "b"));
    expect(beyond).toBeInstanceOf(StoreError);
    expect(beyond.message).toMatch(/there is no turn 11 to branch from: this save's turns are 0 to 10/);
    expect(refused(() => GameSession.rewind(world, store, "original", 3, "original"))).toMatchObject({ kind: "exists" });
    expect(refused(() => GameSession.rewind(world, store, "original", 3, "a/b"))).toMatchObject({ kind: "invalid-name" });
    expect(refused(() => GameSession.rewind(world, store, "missing", 3, "b"))).toMatchObject({ kind: "not-found" });
    expect(refused(() => GameSession.rewind({ ...world, id: "elsewhere" }, store, "original", 3, "b"))).toBeInstanceOf(SessionError);
    expect(store.list().map((s) => s.name)).toEqual(["original"]);
  });
});
