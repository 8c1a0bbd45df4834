import { describe, expect, it } from "vitest";
import { initialState, narrate, type GameState } from "../../game/index.js";
import { fail, say } from "../../llm/index.js";
import { loadBuiltInWorld } from "../../worlds/index.js";
import { deepFreeze, golden, play, RecordingRunner, renderTask, scriptedRouter, walkthrough } from "../narrate/testing.js";
import type { RecentTurn } from "./context.js";
import { shouldSummarize, summarize, summaryRequest, SUMMARY_MAX_CHARS } from "./summary.js";

const world = loadBuiltInWorld();

function at(turn: number, summaryTurn = 0, summary = ""): GameState {
  const state = initialState(world, 1);
  return { ...state, turn, story: { summary, summaryTurn, npcNotes: { hob: ["Turn 1: the player spoke to me."] } } };
}

/** The walkthrough's first turns, told by the engine, as the session would remember them. */
function history(count: number): RecentTurn[] {
  return play(walkthrough().slice(0, count)).map((t) => ({ turn: t.state.turn, input: t.input, narration: narrate(t.world, t.state, t.events) }));
}

describe("shouldSummarize", () => {
  it("asks for a summary every N turns since the last one", () => {
    expect(shouldSummarize(at(9), 100)).toBe(false);
    expect(shouldSummarize(at(10), 100)).toBe(true);
    expect(shouldSummarize(at(19, 10), 100)).toBe(false);
    expect(shouldSummarize(at(20, 10), 100)).toBe(true);
    expect(shouldSummarize(at(3), 100, { every: 3 })).toBe(true);
  });

  it("asks sooner when turns since the summary no longer fit the context", () => {
    expect(shouldSummarize(at(5), 5)).toBe(false);
    expect(shouldSummarize(at(5), 4)).toBe(true);
    expect(shouldSummarize(at(12, 10), 1)).toBe(true);
  });

  it("never asks when nothing is new", () => {
    expect(shouldSummarize(at(0), 0)).toBe(false);
    expect(shouldSummarize(at(10, 10), 0)).toBe(false);
  });
});

describe("summarize", () => {
  it("folds the turns since the summary into it, with the utility route, and moves summaryTurn", async () => {
    const { router, slots } = scriptedRouter();
    slots.utility.push(say("  Wren came to Greyhollow and met the elder.\u0000  "));
    const state = deepFreeze(at(4, 1, "Wren arrived in the rain."));
    const result = await summarize({ world, state, turns: history(4), runner: router });
    expect(result).toMatchObject({ outcome: "summarized", modelCalls: 1 });
    expect(result.memory).toEqual({ summary: "Wren came to Greyhollow and met the elder.", summaryTurn: 4, npcNotes: state.story.npcNotes });
    expect(slots.utility.requests[0]?.temperature).toBe(0.3);
  });

  it("sends the summarization prompt of the golden file", async () => {
    const runner = new RecordingRunner(() => "Summary.");
    await summarize({ world, state: at(5, 2, "Wren reached Greyhollow and read the notice on the green."), turns: history(5), runner });
    expect(runner.tasks.map((t) => [t.type, t.complexity])).toEqual([["summarization", "routine"]]);
    const actual = renderTask(runner.tasks[0]!);
    expect(actual).toBe(golden(new URL("fixtures/summarize.golden.txt", import.meta.url), actual));
  });

  it("offline, or with an answer with nothing in it, keeps the old summary and marks nothing as summarized", async () => {
    const state = at(10, 0, "Old.");
    const { router, slots } = scriptedRouter();
    slots.utility.push(fail("auth"));
    const offline = await summarize({ world, state, turns: history(10), runner: router });
    expect(offline).toMatchObject({ outcome: "unchanged", modelCalls: 1 });
    expect(offline.memory).toBe(state.story);

    slots.utility.push(say("\u0000\u0007 \n"));
    expect((await summarize({ world, state, turns: history(10), runner: router })).memory).toBe(state.story);
    expect((await summarize({ world, state, turns: history(10) })).memory).toBe(state.story);
    expect(await summarize({ world, state: at(10, 10), turns: history(10), runner: router })).toMatchObject({ outcome: "unchanged", modelCalls: 0 });
  });

  it("caps the summary, cut at a sentence", async () => {
    const runner = new RecordingRunner(() => Array.from({ length: 400 }, (_, i) => `Event ${i} happened.`).join(" "));
    const result = await summarize({ world, state: at(3), turns: history(3), runner });
    expect(result.memory.summary.length).toBeLessThanOrEqual(SUMMARY_MAX_CHARS);
    expect(result.memory.summary).toMatch(/happened\.$/);
  });

  it("takes the oldest turns that fit the budget, and covers only those", () => {
    const turns = history(10);
    const small = summaryRequest({ world, state: at(10), turns, budgetTokens: 1200 });
    expect(small!.lastTurn).toBeGreaterThanOrEqual(1);
    expect(small!.lastTurn).toBeLessThan(10);
    expect(small!.messages[1]?.content).toContain("Turn 1.");
    expect(small!.messages[1]?.content).not.toContain(`Turn ${small!.lastTurn + 1}.`);
    // However small the budget, the oldest turn goes in, so that summaries move on.
    expect(summaryRequest({ world, state: at(10), turns, budgetTokens: 1 })!.lastTurn).toBe(1);
    expect(summaryRequest({ world, state: at(10, 4), turns })!.messages[1]?.content).not.toContain("Turn 4.");
  });
});
