import { afterAll, describe, expect, it } from "vitest";
import { narrate } from "../../game/index.js";
import type { Router } from "../../llm/index.js";
import { localTestRouter } from "../../llm/local/test-models.js";
import { summarize } from "../memory/summary.js";
import { narrateTurn, type Narration } from "./narrate.js";
import { play, walkthrough, walkthroughTurn, type PlayedTurn } from "./testing.js";

/**
 * The narrator with a real GGUF model in process. stories260K does not follow instructions, so
 * this checks the pipeline, not the prose: deltas stream, the final text is what was streamed,
 * and it is never empty.
 */

const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;
/** Small, so the test is fast; the answers are nonsense at any length. */
const MAX_TOKENS = 24;

const locals: { dispose(): Promise<void> }[] = [];

afterAll(async () => {
  for (const local of locals) await local.dispose();
});

function routerFor(contextSize: number): Router {
  const local = localTestRouter({ contextSize });
  locals.push(local);
  return local.router;
}

async function narrateStreaming(router: Router, turn: PlayedTurn): Promise<{ result: Narration; deltas: string[]; held: string }> {
  const deltas: string[] = [];
  let held = "";
  const result = await narrateTurn({
    world: turn.world, state: turn.state, input: turn.input, events: turn.events, recent: [], runner: router, maxTokens: MAX_TOKENS,
    onText: (delta) => {
      deltas.push(delta);
      held += delta;
    },
    onReset: () => {
      held = "";
    },
  });
  return { result, deltas, held };
}

describe("narration with stories260K.gguf", () => {
  // The model's own trained context. The built-in world's prompts are 1,400-1,900 tokens in its
  // 512-entry vocabulary, so a smaller context cannot hold them (see the next test).
  const router = routerFor(2048);
  afterAll(() => router.dispose());

  it("streams a turn's narration and a character's line, and keeps exactly what was streamed", async () => {
    for (const turn of [walkthroughTurn("look"), walkthroughTurn("talk to hob")]) {
      const { result, deltas, held } = await narrateStreaming(router, turn);
      expect(deltas.length).toBeGreaterThan(1);
      expect(result.text.trim()).not.toBe("");
      expect(held).toBe(result.text);
      expect(CONTROL.test(result.text)).toBe(false);
      expect(result.modelCalls).toBe(1);
      // The model may say nothing usable; then, and only then, the engine's text stands.
      if (result.source === "engine") expect(result.text).toBe(narrate(turn.world, turn.state, turn.events));
    }
  });

  it("summarizes the first turns, or keeps the old summary", async () => {
    const turns = play(walkthrough().slice(0, 4));
    const last = turns.at(-1)!;
    const recent = turns.map((t) => ({ turn: t.state.turn, input: t.input, narration: narrate(t.world, t.state, t.events) }));
    const result = await summarize({ world: last.world, state: last.state, turns: recent, runner: router, maxTokens: MAX_TOKENS });
    if (result.outcome === "summarized") {
      expect(result.memory.summary).not.toBe("");
      expect(result.memory.summaryTurn).toBe(4);
    } else {
      expect(result.memory).toBe(last.state.story);
    }
  });
});

describe("narration with a context too small for the prompt", () => {
  const router = routerFor(1024);
  afterAll(() => router.dispose());

  it("tells the engine's text, streamed, when the model cannot take the prompt", async () => {
    const turn = walkthroughTurn("look");
    const { result, held } = await narrateStreaming(router, turn);
    expect(result).toMatchObject({ source: "engine", text: narrate(turn.world, turn.state, turn.events) });
    expect(held).toBe(result.text);
  });
});
