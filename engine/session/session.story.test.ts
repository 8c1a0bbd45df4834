import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { effectiveWorld, narrate, type GameState } from "../game/index.js";
import type { RouterResult, TaskRequest } from "../llm/index.js";
import { SaveStore } from "../store/index.js";
import type { TaskRunner } from "../story/index.js";
import { loadBuiltInWorld } from "../worlds/index.js";
import { GameSession, type SessionEvent } from "./index.js";

/** The turn pipeline with models in it, answered by a scripted runner so every step is checkable. */

const world = loadBuiltInWorld();
let dir: string;
let store: SaveStore;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "taleweave-story-session-"));
  store = new SaveStore(dir);
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

type Answer = (task: TaskRequest) => RouterResult | Promise<RouterResult>;

class ScriptedRunner implements TaskRunner {
  readonly tasks: TaskRequest[] = [];
  constructor(private readonly answer: Answer) {}
  async run(task: TaskRequest): Promise<RouterResult> {
    this.tasks.push(task);
    return this.answer(task);
  }
}

function answered(task: TaskRequest, text: string): RouterResult {
  for (const piece of text.match(/.{1,7}/gs) ?? []) task.onToken?.(piece);
  let json: unknown;
  if (task.jsonSchema) json = JSON.parse(text);
  return {
    ok: true, text, ...(json === undefined ? {} : { json }), slot: "utility", complexity: task.complexity ?? "routine",
    provider: "local", model: "scripted", usage: { inputTokens: 10, outputTokens: 5 }, costUsd: 0,
    latencyMs: 1, totalMs: 1, cached: false, attempts: 1, errors: [],
  };
}

function offline(task: TaskRequest): RouterResult {
  return {
    ok: false, offline: true, aborted: false, slot: "main", complexity: task.complexity ?? "routine",
    errors: [{ model: "local:broken.gguf", kind: "server", message: "HTTP 500 upstream exploded", skipped: false }],
  };
}

const byType = (answers: Partial<Record<TaskRequest["type"], string>>): Answer => (task) => {
  const text = answers[task.type];
  return text === undefined ? offline(task) : answered(task, text);
};

describe("GameSession with a story runner", () => {
  it("lets a model understand what the parser cannot, narrates by stream, and records every call in the turn", async () => {
    const runner = new ScriptedRunner(byType({ "intent-parsing": '{"verb":"look"}', narration: "Grey water laps at the causeway stones." }));
    const session = GameSession.start(world, store, "s", 7, { runner });
    const seen: SessionEvent[] = [];
    session.on((e) => seen.push(e));

    const outcome = await session.submit("I creep along the wall and lift his keys");
    expect(outcome.type).toBe("turn");
    if (outcome.type !== "turn") return;
    expect(outcome.summary.action).toEqual({ kind: "look" });
    expect(outcome.summary.narration).toBe("Grey water laps at the causeway stones.");
    expect(outcome.summary.modelCalls).toBe(2);

    const deltas = seen.filter((e) => e.type === "narration-delta").map((e) => (e as { text: string }).text).join("");
    expect(deltas).toBe(outcome.summary.narration);
    expect(seen[0]?.type).toBe("turn-started");
    expect(seen.at(-2)?.type).toBe("turn-completed");

    const [stored] = [...store.open("s").turns(1, 1)];
    expect(stored?.modelCalls.map((c) => (c.request as { type: string }).type)).toEqual(["intent-parsing", "narration"]);
    expect(stored?.modelCalls.every((c) => /^[0-9a-f]{64}$/.test(c.fingerprint))).toBe(true);
    session.close();
  });

  it("asks no model when the parser understands, and none at all offline", async () => {
    const runner = new ScriptedRunner(byType({ narration: "You look about you." }));
    const session = GameSession.start(world, store, "p", 7, { runner });
    await session.submit("look");
    expect(runner.tasks.map((t) => t.type)).toEqual(["narration"]);
    session.close();

    const offlineSession = GameSession.start(world, store, "o", 7);
    const outcome = await offlineSession.submit("look");
    expect(outcome.type === "turn" && outcome.summary.modelCalls).toBe(0);
    offlineSession.close();
  });

  it("falls back to the engine's narration when every model fails, and never shows the error", async () => {
    const runner = new ScriptedRunner(offline);
    const session = GameSession.start(world, store, "f", 7, { runner });
    const before: GameState = session.state;
    const outcome = await session.submit("north");
    if (outcome.type !== "turn") throw new Error("expected a turn");
    const engine = narrate(effectiveWorld(world, session.state), session.state, outcome.summary.events);
    expect(outcome.summary.narration).toBe(engine);
    expect(outcome.summary.narration).not.toMatch(/500|exploded|upstream/);
    expect(session.state.player.location).not.toBe(before.player.location);
    session.close();
  });

  it("cancelling mid-narration leaves the game and the save exactly as they were", async () => {
    const controller = new AbortController();
    const runner = new ScriptedRunner((task) => {
      if (task.type === "narration") {
        task.onToken?.("The mist ");
        controller.abort();
        return { ok: false, offline: false, aborted: true, slot: "utility", complexity: "routine", errors: [] };
      }
      return offline(task);
    });
    const session = GameSession.start(world, store, "c", 7, { runner });
    const before = session.state;
    const outcome = await session.submit("north", { signal: controller.signal });
    expect(outcome).toEqual({ type: "cancelled", turn: 1 });
    expect(session.state).toBe(before);
    session.close();
    const reopened = store.open("c");
    expect(reopened.head().turn).toBe(0);
    reopened.close();
  });

  it("plays one turn at a time", async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => { release = resolve; });
    const runner = new ScriptedRunner(async (task) => {
      await gate;
      return answered(task, "Slowly.");
    });
    const session = GameSession.start(world, store, "b", 7, { runner });
    const first = session.submit("look");
    await expect(session.submit("look")).rejects.toThrow(/already in progress/);
    release();
    await first;
    session.close();
  });

  it("invents what the world asks for: offline from the fallback tables, and the new place can be walked into", async () => {
    const session = GameSession.start(world, store, "mill", 7);
    for (const input of ["n", "w"]) await session.submit(input);
    const outcome = await session.submit("w");
    if (outcome.type !== "turn") throw new Error("expected a turn");
    const added = outcome.summary.events.find((e) => e.kind === "content-added");
    expect(added).toMatchObject({ content: "location", at: "mill" });
    const into = await session.submit("north");
    expect(into.type === "turn" && session.state.player.location).toBe(added && "id" in added ? added.id : undefined);
    session.close();
  });
});
