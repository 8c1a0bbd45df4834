import Database from "better-sqlite3";
import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { canonicalJson, type WorldPack } from "../game/index.js";
import { taskFingerprint, type RouterResult, type TaskRequest } from "../llm/index.js";
import { SaveStore, type SaveFile } from "../store/index.js";
import type { TaskRunner } from "../story/index.js";
import { loadBuiltInWorld } from "../worlds/index.js";
import { formatDivergence, GameSession, replaySave, SessionError, type ReplayReport } from "./index.js";

/**
 * Replaying saves: games recorded with a scripted model, offline, and both by turns, replay to
 * the same state; saves changed behind the game's back diverge where they were changed, and say how.
 */

const world = loadBuiltInWorld();
let dir: string;
let store: SaveStore;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "taleweave-replay-"));
  store = new SaveStore(join(dir, "saves"));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** A small obedient model: every task type gets a sensible, deterministic answer. */
class ScriptedModel implements TaskRunner {
  readonly tasks: TaskRequest[] = [];
  async run(task: TaskRequest): Promise<RouterResult> {
    this.tasks.push(task);
    const words = /<<<PLAYER\n([\s\S]*?)\nPLAYER>>>/.exec(task.messages.at(-1)?.content ?? "")?.[1] ?? "";
    switch (task.type) {
      case "intent-parsing":
        return answer(task, words.includes("north") ? { verb: "go", direction: "north" } : { verb: "none" });
      case "rule-judging":
        return answer(task, { verdict: /fool/.test(words), reason: "From the player's words." });
      case "content-generation":
        return answer(task, "personality" in ((task.jsonSchema?.["properties"] ?? {}) as object)
          ? { name: "Tamsin", description: "A pedlar by the fire.", personality: "Wry.", greeting: "Evening.", topics: [], disposition: 10, hp: 10, attack: 1, defense: 1 }
          : { name: "The Sack Room", description: "A dusty side room.", features: [] });
      case "narration":
        // Some narration fails, as models do: the offline answer is in the record too.
        return task.messages.length % 3 === 0 ? OFFLINE : answer(task, `The fog thickens (${task.messages.length}).`);
      default:
        return answer(task, `Noted (${task.messages.at(-1)?.content.length ?? 0}).`);
    }
  }
}

const OFFLINE: RouterResult = {
  ok: false, offline: true, aborted: false, slot: "main", complexity: "routine",
  errors: [{ model: "local:broken.gguf", kind: "server", message: "HTTP 500", skipped: false }],
};

function answer(task: TaskRequest, value: unknown): RouterResult {
  const text = typeof value === "string" ? value : JSON.stringify(value);
  for (const piece of text.match(/[\s\S]{1,5}/g) ?? []) task.onToken?.(piece);
  return {
    ok: true, text, ...(typeof value === "string" ? {} : { json: value }), slot: "utility", complexity: task.complexity ?? "routine",
    provider: "local", model: "scripted", usage: { inputTokens: 3, outputTokens: 2 }, costUsd: 0, latencyMs: 1, firstTokenMs: 1,
    totalMs: 1, cached: false, attempts: 1, errors: [],
  };
}

/**
 * The walkthrough's first moves, with words for the model and the judge; the mill asks for a side
 * room, and the inn after 18:00 for a stranger, who then stands beside Hob.
 */
const MOVES = [
  "look", "I stroll north up the causeway", "talk to elder", "e", "talk to hob", "say Hob, you old fool", "ask hob about room",
  "xyzzy", "take", "", "w", "w", "w", "look", "e", "e", "se", "talk to mara", "nw", "e", "wait 2 hours", "look", "talk to tamsin",
];

async function play(name: string, moves: readonly string[], runner?: TaskRunner, resume = false): Promise<void> {
  const options = runner ? { runner } : {};
  const session = resume ? GameSession.resume(world, store, name, options) : GameSession.start(world, store, name, 7, options);
  for (const move of moves) await session.submit(move);
  session.close();
}

async function replay(name: string, w: WorldPack = world): Promise<ReplayReport> {
  const save = store.open(name);
  try {
    return await replaySave(w, save);
  } finally {
    save.close();
  }
}

/** Runs SQL on a save behind the store's back, as a damaged or doctored file would be. */
function doctor(name: string, change: (db: Database.Database) => void): void {
  const db = new Database(store.path(name));
  try {
    change(db);
  } finally {
    db.close();
  }
}

function reasoned(report: ReplayReport): string {
  return report.divergences.map(formatDivergence).join("\n");
}

describe("replaySave", () => {
  it("replays a game played with a model: every call answered from the record, every state the same", async () => {
    const model = new ScriptedModel();
    await play("story", MOVES, model);
    const report = await replay("story");
    expect(reasoned(report)).toBe("");
    expect(report).toMatchObject({ ok: true, turns: MOVES.length, replayed: MOVES.length, worldId: "greyhollow", seed: 7 });
    expect(report.modelCalls).toBe(model.tasks.length);
    expect(model.tasks.map((t) => t.type)).toEqual(expect.arrayContaining(["intent-parsing", "rule-judging", "content-generation", "narration", "dialogue"]));
  });

  it("replays an offline game, and a game played partly offline and partly with a model", async () => {
    await play("offline", MOVES);
    expect(await replay("offline")).toMatchObject({ ok: true, replayed: MOVES.length, modelCalls: 0 });

    await play("mixed", MOVES.slice(0, 6), new ScriptedModel());
    await play("mixed", MOVES.slice(6, 12), undefined, true);
    await play("mixed", MOVES.slice(12), new ScriptedModel(), true);
    const report = await replay("mixed");
    expect(reasoned(report)).toBe("");
    expect(report.replayed).toBe(MOVES.length);
  });

  it("a game resumed from its save plays on exactly as one played without a break", async () => {
    await play("whole", MOVES, new ScriptedModel());
    for (let i = 0; i < MOVES.length; i += 3) await play("broken", MOVES.slice(i, i + 3), new ScriptedModel(), i > 0);
    const hashes = (name: string): string[] => {
      const save = store.open(name);
      try {
        return [...save.turns()].map((t) => t.stateHash);
      } finally {
        save.close();
      }
    };
    expect(hashes("broken")).toEqual(hashes("whole"));
    expect((await replay("broken")).ok).toBe(true);
  });

  it("stops at the first turn whose state differs, with the fields that changed", async () => {
    await play("s", MOVES.slice(0, 8));
    // Turn 5 is stored as if the player had had 3 hit points: a consistent, hash-checked row.
    doctor("s", (db) => {
      const row = db.prepare("SELECT state FROM turns WHERE turn = 5").get() as { state: string };
      const state = JSON.parse(row.state) as { player: { hp: number } };
      state.player.hp = 3;
      const json = canonicalJson(state);
      db.prepare("UPDATE turns SET state = ?, state_hash = ? WHERE turn = 5").run(json, sha256(json));
    });
    const report = await replay("s");
    expect(report.ok).toBe(false);
    expect(report.replayed).toBe(4);
    const [divergence] = report.divergences;
    expect(divergence).toMatchObject({ kind: "state", turn: 5, input: MOVES[4] });
    if (divergence?.kind !== "state") return;
    expect(divergence.changes).toEqual([{ path: "player.hp", recorded: "3", replayed: expect.stringMatching(/^\d+$/) }]);
    expect(formatDivergence(divergence)).toMatch(/turn 5 \("talk to hob"\)[\s\S]*player\.hp: 3 → \d+/);
  });

  it("reports a model request that differs from the recorded one, as a line diff", async () => {
    await play("r", MOVES.slice(0, 5), new ScriptedModel());
    // The recorded narration of turn 4 was asked with other words (and its fingerprint to match).
    doctor("r", (db) => {
      const row = db.prepare("SELECT request FROM model_calls WHERE turn = 4 AND seq = 0").get() as { request: string };
      const request = JSON.parse(row.request) as { type: string; messages: { role: string; content: string }[] };
      const last = request.messages.at(-1)!;
      last.content = last.content.replace(/\n/, "\nA line the code does not write.\n");
      db.prepare("UPDATE model_calls SET request = ?, fingerprint = ? WHERE turn = 4 AND seq = 0").run(JSON.stringify(request), taskFingerprint(request as Parameters<typeof taskFingerprint>[0]));
    });
    const report = await replay("r");
    expect(report.replayed).toBe(3);
    const [divergence] = report.divergences;
    expect(divergence).toMatchObject({ kind: "request", turn: 4, problem: "different", seq: 0, task: "narration" });
    const text = formatDivergence(divergence!);
    expect(text).toContain("- A line the code does not write.");
    expect(text).toContain("(- recorded, + built now)");
  });

  it("a request with no recorded answer is a divergence, never a live call; so are recorded calls nobody asked for", async () => {
    await play("u", MOVES.slice(0, 7), new ScriptedModel());
    // "talk to hob" (turn 5) asked the judge, then for dialogue: forget the dialogue.
    doctor("u", (db) => db.prepare("DELETE FROM model_calls WHERE turn = 5 AND seq = 1").run());
    const unrecorded = await replay("u");
    expect(unrecorded.divergences[0]).toMatchObject({ kind: "request", turn: 5, problem: "unrecorded", seq: 1, task: "dialogue" });
    expect(formatDivergence(unrecorded.divergences[0]!)).toMatch(/asks for a dialogue task \(call 1\), and the record has no answer/);

    await play("x", MOVES.slice(0, 7), new ScriptedModel());
    doctor("x", (db) => db.prepare("INSERT INTO model_calls SELECT turn, 9, fingerprint, slot, provider, model, request, response, input_tokens, output_tokens, latency_ms, first_token_ms FROM model_calls WHERE turn = 3 AND seq = 0").run());
    const unasked = await replay("x");
    expect(unasked.divergences[0]).toMatchObject({ kind: "request", turn: 3, problem: "unasked", seq: 9 });
  });

  it("takes a turn with no recorded calls as played offline: with its calls gone, the next prompt shows what was told instead", async () => {
    await play("z", MOVES.slice(0, 7), new ScriptedModel());
    // "talk to hob" (turn 5): the judge's verdict and Hob's line, as if the turn had been played offline.
    doctor("z", (db) => db.prepare("DELETE FROM model_calls WHERE turn = 5").run());
    const report = await replay("z");
    expect(report.replayed).toBe(5);
    const [divergence] = report.divergences;
    expect(divergence).toMatchObject({ kind: "request", turn: 6, problem: "different", seq: 1, task: "narration" });
    expect(formatDivergence(divergence!)).toMatch(/- Hob Tallow: "[^"]*"\n\s*\+ Hob Tallow says, "/);
  });

  it("an input that is no longer a turn is a divergence", async () => {
    await play("m", ["look", "wait"]);
    doctor("m", (db) => db.prepare("UPDATE turns SET input = 'undo' WHERE turn = 2").run());
    const report = await replay("m");
    expect(report.divergences[0]).toMatchObject({ kind: "not-a-turn", turn: 2, input: "undo" });
  });

  it("checks the initial state, and refuses a save of another world", async () => {
    await play("w", ["look"]);
    const stronger: WorldPack = { ...world, player: { ...world.player, hp: world.player.hp + 5 } };
    const report = await replay("w", stronger);
    expect(report).toMatchObject({ ok: false, replayed: 0 });
    expect(report.divergences[0]).toMatchObject({ kind: "initial-state", turn: 0 });
    expect(formatDivergence(report.divergences[0]!)).toMatch(/player\.hp: \d+ → \d+/);
    await expect(replay("w", { ...world, id: "elsewhere" })).rejects.toThrow(SessionError);
  });

  it("leaves the save it reads as it was, and writes no file", async () => {
    await play("t", MOVES.slice(0, 4), new ScriptedModel());
    const save: SaveFile = store.open("t");
    const before = [...save.turns()];
    const saves = (): string[] => readdirSync(store.dir).filter((f) => f.endsWith(".sqlite"));
    const files = saves();
    const report = await replaySave(world, save);
    expect(report).toMatchObject({ ok: true, replayed: 4 });
    expect([...save.turns()]).toEqual(before);
    save.close();
    expect(saves()).toEqual(files);
  });
});

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}
