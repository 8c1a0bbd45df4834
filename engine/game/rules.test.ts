import { describe, expect, it } from "vitest";
import { step } from "./step.js";
import { evaluateCondition, MAX_RULE_PASSES, pendingJudgements } from "./rules.js";
import { stateProblems } from "./invariants.js";
import { initialState } from "./state.js";
import type { Condition, RuleAction, WorldPackInput } from "./world.js";
import type { GameEvent } from "./events.js";
import { vale, valeStart, valeWith } from "./fixtures/vale.js";
import { edit, kinds, play } from "./fixtures/play.js";

const start = valeStart(7);
const WAIT = { kind: "wait", minutes: 10 } as const;

describe("conditions", () => {
  const s = edit(start, (x) => {
    x.variables = { score: 5, mood: "grim", done: true };
    x.items.ring = { at: { in: "bag" }, hidden: false };
    x.quests["lost-ring"] = { stage: "found", status: "active" };
    x.npcs.guard = { location: "hall", hp: 12, disposition: 30, alive: true };
    x.npcs.rat = { location: "cellar", hp: 0, disposition: -80, alive: false };
    x.turn = 12;
    x.clock = 2 * 24 * 60 + 13 * 60 + 5;
  });
  const events: GameEvent[] = [
    { kind: "examined", target: { feature: "well", location: "yard" }, text: "An old stone well." },
    { kind: "opened", target: { item: "chest" }, revealed: ["iron-key", "potion"] },
    { kind: "item-moved", item: "crown", to: { room: "yard" } },
    { kind: "given", item: "flower", npc: "guard", accepted: true },
  ];
  const holds = (cond: Condition, verdicts?: Record<string, boolean>): boolean => evaluateCondition(vale, s, events, cond, verdicts);

  it("compares variables with every kind of range", () => {
    expect(holds({ var: "score", is: { eq: 5 } })).toBe(true);
    expect(holds({ var: "score", is: { ne: 5 } })).toBe(false);
    expect(holds({ var: "score", is: { gt: 4, lt: 6 } })).toBe(true);
    expect(holds({ var: "score", is: { gte: 5, lte: 5 } })).toBe(true);
    expect(holds({ var: "score", is: { gt: 5 } })).toBe(false);
    expect(holds({ var: "mood", is: { eq: "grim" } })).toBe(true);
    expect(holds({ var: "mood", is: { gt: 0 } })).toBe(false);
    expect(holds({ var: "done", is: { eq: true } })).toBe(true);
    expect(holds({ var: "missing", is: { eq: 0 } })).toBe(false);
    expect(holds({ var: "missing", is: { ne: 0 } })).toBe(true);
    expect(holds({ var: "constructor", is: { ne: 1 } })).toBe(true);
    expect(holds({ var: "score", is: {} })).toBe(true);
  });

  it("reads where the player, items and NPCs are", () => {
    expect(holds({ playerAt: "yard" })).toBe(true);
    expect(holds({ playerAt: "hall" })).toBe(false);
    expect(holds({ has: "ring" })).toBe(true);
    expect(holds({ has: "bread" })).toBe(true);
    expect(holds({ has: "flower" })).toBe(false);
    expect(holds({ itemAt: "ring", place: { in: "bag" } })).toBe(true);
    expect(holds({ itemAt: "flower", place: { room: "yard" } })).toBe(true);
    expect(holds({ itemAt: "nope", place: { nowhere: true } })).toBe(false);
    expect(holds({ npcAt: "guard", location: "hall" })).toBe(true);
    expect(holds({ npcAt: "guard", location: "yard" })).toBe(false);
    expect(holds({ npcAlive: "guard" })).toBe(true);
    expect(holds({ npcAlive: "rat" })).toBe(false);
    expect(holds({ npcAlive: "nobody" })).toBe(false);
    expect(holds({ disposition: "guard", is: { gte: 30 } })).toBe(true);
    expect(holds({ disposition: "guard", is: { lt: 0 } })).toBe(false);
    expect(holds({ disposition: "nobody", is: {} })).toBe(false);
  });

  it("reads quests by status and stage", () => {
    expect(holds({ quest: "lost-ring" })).toBe(true);
    expect(holds({ quest: "lost-ring", status: "active" })).toBe(true);
    expect(holds({ quest: "lost-ring", status: "completed" })).toBe(false);
    expect(holds({ quest: "lost-ring", stage: "found" })).toBe(true);
    expect(holds({ quest: "lost-ring", stage: "asked" })).toBe(false);
    expect(holds({ quest: "other" })).toBe(false);
    expect(holds({ quest: "other", status: "inactive" })).toBe(true);
  });

  it("reads the turn, the clock and the hour of the day", () => {
    expect(holds({ turn: { eq: 12 } })).toBe(true);
    expect(holds({ time: { gt: 2 * 24 * 60 } })).toBe(true);
    expect(holds({ hour: { eq: 13 } })).toBe(true);
    expect(holds({ hour: { gte: 20 } })).toBe(false);
  });

  it("matches this turn's events by kind and fields, looking inside references and lists", () => {
    expect(holds({ event: "examined" })).toBe(true);
    expect(holds({ event: "examined", with: { target: "well" } })).toBe(true);
    expect(holds({ event: "examined", with: { target: "chest" } })).toBe(false);
    expect(holds({ event: "opened", with: { target: "chest", revealed: "potion" } })).toBe(true);
    expect(holds({ event: "opened", with: { revealed: "crown" } })).toBe(false);
    expect(holds({ event: "item-moved", with: { item: "crown", to: "yard" } })).toBe(true);
    expect(holds({ event: "given", with: { item: "flower", accepted: true } })).toBe(true);
    expect(holds({ event: "given", with: { accepted: false } })).toBe(false);
    expect(holds({ event: "given", with: { missing: 1 } })).toBe(false);
    expect(holds({ event: "moved" })).toBe(false);
  });

  it("combines with all, any and not, and takes judge answers from verdicts", () => {
    expect(holds({ all: [{ playerAt: "yard" }, { has: "ring" }] })).toBe(true);
    expect(holds({ all: [{ playerAt: "yard" }, { has: "flower" }] })).toBe(false);
    expect(holds({ all: [] })).toBe(true);
    expect(holds({ any: [{ playerAt: "hall" }, { has: "ring" }] })).toBe(true);
    expect(holds({ any: [] })).toBe(false);
    expect(holds({ not: { playerAt: "hall" } })).toBe(true);
    const q = "Did the player insult the king?";
    expect(holds({ judge: q }, { [q]: true })).toBe(true);
    expect(holds({ judge: q }, { [q]: false })).toBe(false);
    expect(holds({ judge: q })).toBe(false);
    expect(holds({ not: { judge: q } })).toBe(true);
  });
});

/** The vale with one rule that fires on every wait, doing the given things. */
function onWait(then: RuleAction[], once = true): ReturnType<typeof valeWith> {
  return valeWith([{ id: "r", when: { event: "waited" }, then, once }]);
}

describe("rule actions", () => {
  const fire = (then: RuleAction[], from = start): { events: GameEvent[]; state: typeof start } => {
    const world = onWait(then);
    const result = step(world, from, WAIT);
    expect(stateProblems(world, result.state)).toEqual([]);
    expect(result.events.slice(0, 2)).toEqual([{ kind: "waited", minutes: 10 }, { kind: "rule-fired", rule: "r" }]);
    return { events: result.events.slice(2), state: result.state };
  };

  it("sets and increments variables", () => {
    const r = fire([{ setVar: "mood", value: "bright" }, { incVar: "score", by: 3 }, { incVar: "fresh", by: 2 }]);
    expect(r.events).toEqual([
      { kind: "variable-set", name: "mood", value: "bright" },
      { kind: "variable-set", name: "score", value: 3 },
      { kind: "variable-set", name: "fresh", value: 2 },
    ]);
    expect(r.state.variables).toEqual({ score: 3, mood: "bright", fresh: 2 });
  });

  it("moves NPCs and the player", () => {
    const r = fire([{ moveNpc: "guard", to: "yard" }, { movePlayer: "loft" }, { moveNpc: "nobody", to: "yard" }, { movePlayer: "nowhere-land" }]);
    expect(r.events).toEqual([
      { kind: "npc-moved", npc: "guard", from: "hall", to: "yard" },
      { kind: "player-moved", from: "yard", to: "loft" },
      { kind: "location-seen", location: "loft", first: true },
    ]);
    expect(r.state.player.location).toBe("loft");
    expect(r.state.visited).toContain("loft");
  });

  it("gives, removes and places items, unwielding what leaves the player's hands", () => {
    const wielding = step(vale, start, { kind: "wear", item: "dagger" }).state;
    const r = fire(
      [
        { giveItem: "crown" },
        { removeItem: "dagger" },
        { placeItem: "rock", at: { in: "bag" } },
        { placeItem: "bag", at: { in: "bag" } },
        { placeItem: "flower", at: { room: "atlantis" } },
        { giveItem: "ring" },
      ],
      wielding,
    );
    expect(r.events).toEqual([
      { kind: "item-moved", item: "crown", to: { player: true } },
      { kind: "removed", item: "dagger", slot: "weapon" },
      { kind: "item-moved", item: "dagger", to: { nowhere: true } },
      { kind: "item-moved", item: "rock", to: { in: "bag" } },
      { kind: "item-moved", item: "ring", to: { player: true } },
    ]);
    expect(r.state.items.ring).toEqual({ at: { player: true }, hidden: false });
    expect(r.state.player.equipment).toEqual({});
  });

  it("starts, advances and completes quests", () => {
    const r = fire([
      { advanceQuest: "lost-ring", stage: "nope" },
      { startQuest: "lost-ring" },
      { startQuest: "lost-ring" },
      { advanceQuest: "lost-ring", stage: "found" },
      { completeQuest: "lost-ring" },
      { completeQuest: "lost-ring" },
      { startQuest: "nope" },
    ]);
    expect(r.events).toEqual([
      { kind: "quest-started", quest: "lost-ring", stage: "asked" },
      { kind: "quest-advanced", quest: "lost-ring", stage: "found" },
      { kind: "quest-completed", quest: "lost-ring" },
    ]);
    expect(r.state.quests).toEqual({ "lost-ring": { stage: "found", status: "completed" } });
  });

  it("changes dispositions within -100..100", () => {
    const r = fire([{ changeDisposition: "guard", by: -70 }, { changeDisposition: "guard", by: -70 }, { changeDisposition: "guard", by: -5 }]);
    expect(r.events).toEqual([
      { kind: "disposition-changed", npc: "guard", from: 0, to: -70 },
      { kind: "disposition-changed", npc: "guard", from: -70, to: -100 },
    ]);
  });

  it("says messages, reveals exits and unlocks doors", () => {
    const r = fire([
      { message: "A bell tolls." },
      { revealExit: "yard", direction: "down" },
      { revealExit: "yard", direction: "down" },
      { revealExit: "yard", direction: "east" },
      { unlockDoor: "oak-door" },
      { unlockDoor: "oak-door" },
    ]);
    expect(r.events).toEqual([
      { kind: "message", text: "A bell tolls." },
      { kind: "exit-revealed", location: "yard", direction: "down" },
      { kind: "door-unlocked", door: "oak-door" },
    ]);
    expect(r.state.revealedExits).toEqual(["yard:down"]);
    expect(r.state.doors["oak-door"]).toEqual({ closed: true, locked: false });
  });

  it("heals within the maximum, can kill, and never raises the dead", () => {
    const hurt = edit(start, (s) => {
      s.player.hp = 5;
    });
    expect(fire([{ heal: 4 }, { heal: 100 }], hurt).events).toEqual([
      { kind: "healed", amount: 4, hp: 9 },
      { kind: "healed", amount: 11, hp: 20 },
    ]);
    const poisoned = fire([{ heal: -50 }, { heal: 10 }], hurt);
    expect(poisoned.events).toEqual([{ kind: "healed", amount: -5, hp: 0 }, { kind: "player-died" }]);
    expect(poisoned.state.player).toMatchObject({ alive: false, hp: 0 });
  });
});

describe("rule firing", () => {
  it("fires once-only rules once per game, and others once per turn while they hold", () => {
    const world = valeWith([
      { id: "once", when: { event: "waited" }, then: [{ incVar: "a", by: 1 }] },
      { id: "always", when: { var: "score", is: { gte: 0 } }, then: [{ incVar: "b", by: 1 }], once: false },
    ]);
    const { state, turns } = play(world, start, [WAIT, WAIT, WAIT]);
    expect(state.variables).toMatchObject({ a: 1, b: 3 });
    expect(state.firedRules).toEqual(["once"]);
    expect(kinds(turns[1] ?? [])).toEqual(["waited", "rule-fired", "variable-set"]);
  });

  it("chains rules within a turn, whatever their order in the world", () => {
    const world = valeWith([
      { id: "second", when: { event: "variable-set", with: { name: "lit" } }, then: [{ message: "The hall glows." }] },
      { id: "first", when: { event: "manipulated", with: { target: "lever" } }, then: [{ setVar: "lit", value: true }] },
      { id: "third", when: { event: "message" }, then: [{ incVar: "score", by: 1 }] },
    ]);
    const inHall = edit(start, (s) => {
      s.player.location = "hall";
    });
    const { events, state } = step(world, inHall, { kind: "manipulate", verb: "pull", target: { item: "lever" } });
    expect(events.filter((e) => e.kind === "rule-fired")).toEqual([
      { kind: "rule-fired", rule: "first" },
      { kind: "rule-fired", rule: "second" },
      { kind: "rule-fired", rule: "third" },
    ]);
    expect(state.variables).toMatchObject({ lit: true, score: 1 });
  });

  it("stops after a fixed number of passes however long the chain", () => {
    const chain: WorldPackInput["rules"] = [];
    for (let i = MAX_RULE_PASSES + 5; i > 0; i--) {
      chain.push({ id: `r${i}`, when: { var: "n", is: { eq: i - 1 } }, then: [{ setVar: "n", value: i }] });
    }
    const world = valeWith(chain, { n: 0 });
    const { state } = step(world, initialState(world, 7), WAIT);
    expect(state.variables.n).toBe(MAX_RULE_PASSES);
  });

  it("runs after refusals too, and sees the state after the action", () => {
    const world = valeWith([
      { id: "knock", when: { event: "refused", with: { reason: "door-locked" } }, then: [{ message: "Someone shouts: go away!" }] },
      { id: "shed", when: { playerAt: "shed" }, then: [{ message: "It smells of oil." }] },
    ]);
    expect(step(world, start, { kind: "go", direction: "north" }).events[2]).toEqual({ kind: "message", text: "Someone shouts: go away!" });
    expect(step(world, start, { kind: "go", direction: "east" }).events[3]).toEqual({ kind: "message", text: "It smells of oil." });
  });

  it("fires judged rules only on a yes verdict, and lists the questions that could matter", () => {
    const q = "Did the player insult the king?";
    const world = valeWith([
      { id: "insult", when: { all: [{ event: "player-said" }, { judge: q }] }, then: [{ changeDisposition: "guard", by: -20 }] },
      { id: "moot", when: { any: [{ event: "player-said" }, { judge: "Is it raining?" }] }, then: [{ message: "Heard." }] },
      { id: "elsewhere", when: { all: [{ playerAt: "hall" }, { judge: "Is the hall on fire?" }] }, then: [{ message: "Fire!" }] },
    ]);
    const say = { kind: "say", text: "The king is a fool." } as const;
    const dry = step(world, start, say);
    expect(dry.state.npcs.guard?.disposition).toBe(0);
    expect(pendingJudgements(world, dry.state, dry.events)).toEqual([q]);
    expect(step(world, start, say, { verdicts: { [q]: false } }).state.npcs.guard?.disposition).toBe(0);
    const judged = step(world, start, say, { verdicts: { [q]: true } });
    expect(judged.state.npcs.guard?.disposition).toBe(-20);
    expect(pendingJudgements(world, judged.state, judged.events)).toEqual([]);
  });

  it("plays the vale's quest from asking to reward", () => {
    const inHall = edit(start, (s) => {
      s.player.location = "hall";
      s.items.ring = { at: { room: "hall" }, hidden: false };
    });
    const { state, turns } = play(vale, inHall, [
      { kind: "talk", npc: "guard", topic: "your lost ring" },
      { kind: "take", items: ["ring"] },
      { kind: "give", item: "ring", npc: "guard" },
    ]);
    expect(turns[0]).toContainEqual({ kind: "quest-started", quest: "lost-ring", stage: "asked" });
    expect(turns[1]).toContainEqual({ kind: "quest-advanced", quest: "lost-ring", stage: "found" });
    expect(turns[1]).toContainEqual({ kind: "message", text: "The guard will want this back." });
    expect(turns[2]).toContainEqual({ kind: "quest-completed", quest: "lost-ring" });
    expect(state.variables.score).toBe(10);
    expect(state.firedRules).toEqual(["guard-asks", "ring-found", "ring-returned"]);
  });
});
