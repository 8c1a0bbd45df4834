import { describe, expect, it } from "vitest";
import { step } from "./step.js";
import { hits, isHostile } from "./combat.js";
import { stateProblems } from "./invariants.js";
import type { GameState } from "./state.js";
import type { GameEvent } from "./events.js";
import type { Action } from "./actions.js";
import { vale, valeStart } from "./fixtures/vale.js";
import { edit, kinds } from "./fixtures/play.js";

const start = valeStart(42);

/** Repeats an action until `done` says so, with a cap so a broken fight fails instead of hanging. */
function fight(state: GameState, action: Action, done: (events: GameEvent[]) => boolean): { state: GameState; events: GameEvent[] } {
  let current = state;
  const all: GameEvent[] = [];
  for (let i = 0; i < 200; i++) {
    const result = step(vale, current, action);
    current = result.state;
    all.push(...result.events);
    expect(stateProblems(vale, current)).toEqual([]);
    if (done(result.events)) return { state: current, events: all };
  }
  throw new Error("the fight never ended");
}

const inCellar = edit(start, (s) => {
  s.player.location = "cellar";
});
const inDen = edit(start, (s) => {
  s.player.location = "den";
});
const inHall = edit(start, (s) => {
  s.player.location = "hall";
});

describe("combat", () => {
  it("decides blows by d20 + bonus against 10 + defense, with natural 1 and 20", () => {
    expect(hits(10, 0, 0)).toBe(true);
    expect(hits(9, 0, 0)).toBe(false);
    expect(hits(20, -50, 20)).toBe(true);
    expect(hits(1, 50, 0)).toBe(false);
    expect(isHostile(-50)).toBe(true);
    expect(isHostile(-49)).toBe(false);
  });

  it("turns an NPC hostile when attacked, and the NPC strikes back in the same turn", () => {
    const { state, events } = step(vale, inHall, { kind: "attack", npc: "guard" });
    expect(events[0]).toEqual({ kind: "disposition-changed", npc: "guard", from: 0, to: -100 });
    expect(events[1]).toMatchObject({ kind: "attacked", attacker: "player", defender: "guard" });
    expect(events[1]).not.toHaveProperty("weapon");
    expect(events[2]).toMatchObject({ kind: "attacked", attacker: "guard", defender: "player" });
    expect(state.npcs.guard?.disposition).toBe(-100);
  });

  it("fights with the wielded weapon unless another is named, and only with weapons", () => {
    const wielding = step(vale, inHall, { kind: "wear", item: "dagger" }).state;
    expect(step(vale, wielding, { kind: "attack", npc: "guard" }).events[1]).toMatchObject({ weapon: "dagger" });
    const withSword = edit(inHall, (s) => {
      s.items.sword = { at: { player: true }, hidden: false };
    });
    expect(step(vale, withSword, { kind: "attack", npc: "guard", weapon: "sword" }).events[1]).toMatchObject({ weapon: "sword" });
    expect(step(vale, withSword, { kind: "use", item: "sword", target: { npc: "guard" } }).events[1]).toMatchObject({ weapon: "sword" });
    expect(step(vale, inHall, { kind: "attack", npc: "guard", weapon: "letter" }).events).toEqual([
      { kind: "refused", reason: "cannot-attack", message: "The letter is no use as a weapon." },
    ]);
    expect(step(vale, inHall, { kind: "attack", npc: "lever" }).events).toEqual([
      { kind: "refused", reason: "cannot-attack", message: "Attacking the lever would achieve nothing." },
    ]);
    expect(step(vale, start, { kind: "attack", npc: "guard" }).events[0]).toMatchObject({ reason: "not-here" });
  });

  it("has hostile NPCs strike whenever time passes, but not at a glance", () => {
    const arrived = step(vale, edit(start, (s) => {
      s.revealedExits.push("yard:down");
    }), { kind: "go", direction: "down" });
    expect(kinds(arrived.events)).toEqual(["moved", "location-seen", "attacked"]);
    expect(kinds(step(vale, inCellar, { kind: "look" }).events)).toEqual(["location-seen"]);
    expect(kinds(step(vale, inCellar, { kind: "wait", minutes: 10 }).events)).toEqual(["waited", "attacked"]);
    expect(kinds(step(vale, inCellar, { kind: "talk", npc: "nobody" }).events)).toEqual(["refused"]);
  });

  it("kills an NPC, which stays dead and drops what it carried", () => {
    const strong = edit(inDen, (s) => {
      s.player.hp = 500;
      s.player.maxHp = 500;
    });
    const { state, events } = fight(strong, { kind: "attack", npc: "troll" }, (e) => e.some((x) => x.kind === "npc-died"));
    expect(events.find((e) => e.kind === "npc-died")).toEqual({ kind: "npc-died", npc: "troll", dropped: ["club"] });
    expect(state.npcs.troll).toMatchObject({ alive: false, hp: 0 });
    expect(state.items.club?.at).toEqual({ room: "den" });
    const again = step(vale, state, { kind: "attack", npc: "troll" });
    expect(again.events).toEqual([{ kind: "refused", reason: "dead", message: "The troll is dead." }]);
    expect(kinds(step(vale, state, { kind: "examine", target: { npc: "troll" } }).events)).toEqual(["examined"]);
    expect(kinds(step(vale, state, { kind: "take", items: ["club"] }).events)).toEqual(["taken"]);
  });

  it("kills a weak hostile NPC in a loop of turns without dying", () => {
    const weakling = edit(inCellar, (s) => {
      s.player.stats.strength = 0;
    });
    const { state, events } = fight(weakling, { kind: "attack", npc: "rat" }, (e) => e.some((x) => x.kind === "npc-died"));
    expect(state.npcs.rat?.alive).toBe(false);
    expect(state.player.alive).toBe(true);
    expect(events.filter((e) => e.kind === "attacked" && e.attacker === "rat").length).toBeGreaterThan(0);
    expect(kinds(step(vale, state, { kind: "wait", minutes: 10 }).events)).toEqual(["waited"]);
  });

  it("kills the player, after which only looking is possible", () => {
    const { state, events } = fight(inDen, { kind: "attack", npc: "troll" }, (e) => e.some((x) => x.kind === "player-died"));
    expect(events[events.length - 1]).toEqual({ kind: "player-died" });
    const blow = events[events.length - 2];
    expect(blow).toMatchObject({ kind: "attacked", attacker: "troll", defender: "player", hit: true, defenderHp: 0 });
    expect(state.player).toMatchObject({ alive: false, hp: 0 });
    expect(step(vale, state, { kind: "attack", npc: "troll" }).events).toEqual([
      { kind: "refused", reason: "player-dead", message: "You are dead. You can undo, load a saved game or restart." },
    ]);
  });

  it("makes armour turn blows aside", () => {
    const landed = (s: GameState): number => {
      let current = s;
      let count = 0;
      for (let i = 0; i < 300; i++) {
        const r = step(vale, current, { kind: "wait", minutes: 1 });
        current = edit(r.state, (x) => {
          x.player.hp = x.player.maxHp;
        });
        count += r.events.filter((e) => e.kind === "attacked" && e.hit).length;
      }
      return count;
    };
    const ratAttacks = edit(inCellar, (s) => {
      s.npcs.rat = { location: "cellar", hp: 3, disposition: -100, alive: true };
    });
    const armoured = edit(ratAttacks, (s) => {
      s.items.leather = { at: { player: true }, hidden: false };
      s.player.equipment.armour = "leather";
    });
    expect(landed(armoured)).toBeLessThan(landed(ratAttacks));
  });
});
