import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { step } from "./step.js";
import { stateProblems } from "./invariants.js";
import { canonicalJson } from "./canonical.js";
import { GameState, initialState } from "./state.js";
import { GameEvent } from "./events.js";
import type { Action } from "./actions.js";
import type { WorldPack } from "./world.js";
import { vale, valeWith } from "./fixtures/vale.js";
import { moves, resolve, type Move } from "./fixtures/arbitrary.js";

/** The vale with rules that fire all the time and do everything, to shake the rule engine. */
const chaos = valeWith([
  { id: "c-place", when: { event: "manipulated" }, then: [{ placeItem: "rock", at: { in: "bag" } }, { placeItem: "bag", at: { in: "pouch" } }], once: false },
  { id: "c-move", when: { event: "waited" }, then: [{ movePlayer: "cellar" }, { moveNpc: "troll", to: "cellar" }], once: false },
  { id: "c-hurt", when: { event: "searched" }, then: [{ heal: -4 }, { changeDisposition: "guard", by: -30 }], once: false },
  { id: "c-give", when: { event: "taken" }, then: [{ giveItem: "sword" }, { removeItem: "dagger" }, { incVar: "taken", by: 1 }], once: false },
  { id: "c-quest", when: { any: [{ event: "npc-spoke" }, { judge: "Is it late?" }] }, then: [{ startQuest: "lost-ring" }, { advanceQuest: "lost-ring", stage: "found" }] },
  { id: "c-done", when: { all: [{ quest: "lost-ring", stage: "found" }, { hour: { gte: 9 } }] }, then: [{ completeQuest: "lost-ring" }] },
  { id: "c-door", when: { event: "climbed" }, then: [{ unlockDoor: "oak-door" }, { revealExit: "yard", direction: "down" }, { message: "Click." }], once: false },
  { id: "c-heal", when: { turn: { gte: 0 } }, then: [{ heal: 1 }], once: false },
  { id: "c-var", when: { not: { var: "taken", is: { lt: 3 } } }, then: [{ setVar: "greedy", value: true }, { moveNpc: "rat", to: "yard" }] },
]);

/**
 * A start with the world opened up (door and chest open, cellar found, keys in hand), so random
 * play also reaches the hall, the den and the cellar and fights there.
 */
function openedUp(world: WorldPack, seed: number): GameState {
  const state = initialState(world, seed);
  state.doors["oak-door"] = { closed: false, locked: false };
  state.items.chest = { at: { room: "shed" }, hidden: false, closed: false, locked: false };
  state.items["iron-key"] = { at: { player: true }, hidden: false };
  state.items["brass-key"] = { at: { player: true }, hidden: false };
  state.revealedExits.push("yard:down");
  return state;
}

function playChecked(world: WorldPack, seed: number, sequence: readonly Move[], verdicts: Record<string, boolean>): GameState {
  let state = seed % 2 === 0 ? initialState(world, seed) : openedUp(world, seed);
  expect(stateProblems(world, state)).toEqual([]);
  for (const move of sequence) {
    const action = resolve(world, state, move);
    const before = canonicalJson(state);
    const result = step(world, state, action, { verdicts });
    expect(canonicalJson(state)).toBe(before);
    expect(result.events.length).toBeGreaterThan(0);
    for (const e of result.events) GameEvent.parse(e);
    expect(stateProblems(world, result.state)).toEqual([]);
    GameState.parse(result.state);
    expect(result.state.turn).toBe(state.turn + 1);
    expect(result.state.clock).toBeGreaterThanOrEqual(state.clock);
    state = result.state;
  }
  return state;
}

describe("step: properties", () => {
  for (const [name, world] of [["vale", vale], ["chaos", chaos]] as const) {
    it(`never throws and always leaves a sound state (${name})`, () => {
      fc.assert(
        fc.property(
          fc.integer(),
          fc.array(moves(), { maxLength: 120 }),
          fc.boolean(),
          (seed, sequence, late) => {
            playChecked(world, seed, sequence, { "Is it late?": late });
          },
        ),
        { numRuns: 150 },
      );
    });
  }

  it("is deterministic: the same seed and actions give the same state", () => {
    fc.assert(
      fc.property(fc.integer(), fc.array(moves(), { maxLength: 80 }), (seed, sequence) => {
        const a = playChecked(chaos, seed, sequence, {});
        const b = playChecked(chaos, seed, sequence, {});
        expect(canonicalJson(a)).toBe(canonicalJson(b));
      }),
      { numRuns: 40 },
    );
  });
});
