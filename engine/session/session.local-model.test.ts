import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { localTestRouter } from "../llm/local/test-models.js";
import { SaveStore } from "../store/index.js";
import { builtInWalkthroughPath, loadBuiltInWorld } from "../worlds/index.js";
import { GameSession } from "./index.js";

/**
 * The promise, for real: fifty turns of the built-in world with every slot on a real GGUF
 * model run in-process. The model does not follow instructions, so this checks the pipeline —
 * every turn completes, commits, and narrates something — not the prose.
 */

let dir: string;
let local: ReturnType<typeof localTestRouter>;

beforeAll(() => {
  // Short answers keep fifty turns quick.
  const short = { maxTokens: 24 };
  local = localTestRouter({
    routes: {
      narration: { routine: short, moderate: short, critical: short },
      dialogue: { routine: short, moderate: short, critical: short },
      summarization: { routine: { maxTokens: 48 } },
      "content-generation": { routine: { maxTokens: 128 }, moderate: { maxTokens: 256 }, critical: { maxTokens: 384 } },
    },
  });
  dir = mkdtempSync(join(tmpdir(), "taleweave-local-session-"));
});

afterAll(async () => {
  await local?.dispose();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("a 50-turn session on a local model", () => {
  it("completes and commits every turn", async () => {
    const world = loadBuiltInWorld();
    const commands = readFileSync(builtInWalkthroughPath(), "utf8").split("\n").filter((l) => l.trim() && !l.startsWith("#"));
    const inputs = [...commands.slice(0, 45), "I sing a song to the sky", "hmm", "look", "wait", "inventory"];
    const store = new SaveStore(dir);
    const session = GameSession.start(world, store, "fifty", 7, { runner: local.router });
    let calls = 0;
    for (const input of inputs) {
      const outcome = await session.submit(input);
      expect(outcome.type).toBe("turn");
      if (outcome.type === "turn") calls += outcome.summary.modelCalls;
    }
    expect(session.state.turn).toBe(50);
    session.close();

    const save = store.open("fifty");
    const turns = [...save.turns()];
    expect(turns).toHaveLength(50);
    expect(turns.map((t) => t.turn)).toEqual(inputs.map((_, i) => i + 1));
    expect(turns.filter((t) => t.modelCalls.length > 0).length).toBeGreaterThan(25);
    expect(calls).toBe(turns.reduce((n, t) => n + t.modelCalls.length, 0));
    save.close();
  }, 600_000);
});
