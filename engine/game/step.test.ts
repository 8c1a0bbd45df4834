import { describe, expect, it } from "vitest";
import { step } from "./step.js";
import { stateProblems } from "./invariants.js";
import { canonicalJson } from "./canonical.js";
import { GameState } from "./state.js";
import { GameEvent } from "./events.js";
import { Action } from "./actions.js";
import { ACTION_MINUTES } from "./clock.js";
import { vale, valeStart } from "./fixtures/vale.js";
import { edit, kinds, play } from "./fixtures/play.js";

const start = valeStart();

function refusal(events: readonly GameEvent[]): { reason: string; message: string } | undefined {
  const e = events.find((x) => x.kind === "refused");
  return e?.kind === "refused" ? { reason: e.reason, message: e.message } : undefined;
}

/** The yard after searching it and taking the brass key: the usual start for item tests. */
const inShed = play(vale, start, [
  { kind: "take", items: ["brass-key"] },
  { kind: "go", direction: "east" },
]).state;

describe("step: the turn itself", () => {
  it("never touches its input, even deep-frozen", () => {
    const frozen = deepFreeze(structuredClone(start));
    const before = canonicalJson(frozen);
    const { state } = step(vale, frozen, { kind: "go", direction: "east" });
    expect(canonicalJson(frozen)).toBe(before);
    expect(state.player.location).toBe("shed");
  });

  it("counts every call as a turn, refusals included, and refusals take no time", () => {
    const { state, last } = play(vale, start, [{ kind: "go", direction: "south" }]);
    expect(refusal(last)).toEqual({ reason: "no-exit", message: "You can't go that way." });
    expect(state.turn).toBe(1);
    expect(state.clock).toBe(start.clock);
  });

  it("advances the clock by the documented cost of each action", () => {
    const cases: [Action, number][] = [
      [{ kind: "look" }, 0],
      [{ kind: "inventory" }, 0],
      [{ kind: "help" }, 0],
      [{ kind: "examine", target: { item: "letter" } }, ACTION_MINUTES.examine],
      [{ kind: "go", direction: "east" }, 5],
      [{ kind: "wait", minutes: 30 }, 30],
      [{ kind: "search" }, ACTION_MINUTES.search],
      [{ kind: "talk", npc: "nobody" }, 0],
    ];
    for (const [action, minutes] of cases) {
      expect(step(vale, start, action).state.clock - start.clock, action.kind).toBe(minutes);
    }
  });

  it("writes the RNG state back only when dice were rolled", () => {
    expect(step(vale, start, { kind: "look" }).state.rng).toEqual(start.rng);
  });
});

describe("step: moving", () => {
  it("walks through exits, reporting first visits once", () => {
    const { state, turns } = play(vale, start, [
      { kind: "go", direction: "east" },
      { kind: "go", direction: "west" },
      { kind: "go", direction: "east" },
    ]);
    expect(turns[0]).toEqual([
      { kind: "moved", from: "yard", to: "shed", direction: "east" },
      { kind: "location-seen", location: "shed", first: true },
    ]);
    expect(turns[1]?.[1]).toEqual({ kind: "location-seen", location: "yard", first: false });
    expect(turns[2]?.[1]).toEqual({ kind: "location-seen", location: "shed", first: false });
    expect(state.visited).toEqual(["yard", "shed"]);
  });

  it("is stopped by locked and closed doors", () => {
    expect(refusal(step(vale, start, { kind: "go", direction: "north" }).events)).toEqual({
      reason: "door-locked",
      message: "The oak door is locked.",
    });
    const unlocked = edit(start, (s) => {
      s.doors["oak-door"] = { closed: true, locked: false };
    });
    expect(refusal(step(vale, unlocked, { kind: "go", direction: "north" }).events)?.reason).toBe("door-closed");
  });

  it("keeps hidden exits unusable until a search reveals them", () => {
    expect(refusal(step(vale, start, { kind: "go", direction: "down" }).events)?.reason).toBe("no-exit");
    const { state, turns } = play(vale, start, [{ kind: "search" }, { kind: "go", direction: "down" }]);
    expect(turns[0]?.[0]).toMatchObject({ kind: "searched", found: ["ring"], revealedExits: ["down"] });
    expect(state.revealedExits).toEqual(["yard:down"]);
    expect(state.player.location).toBe("cellar");
  });

  it("looks around without moving", () => {
    expect(step(vale, start, { kind: "look" }).events).toEqual([{ kind: "location-seen", location: "yard", first: false }]);
  });
});

describe("step: taking, dropping, putting", () => {
  it("takes from the room, refusing what is fixed, absent or unknown, one event per item", () => {
    const { state, last } = play(vale, start, [{ kind: "take", items: ["flower", "brass-key", "spring", "anvil", "nope", "constructor"] }]);
    expect(kinds(last)).toEqual(["taken", "taken", "refused", "refused", "refused", "refused"]);
    expect(last[2]).toEqual({ kind: "refused", reason: "not-portable", message: "You can't take the spring." });
    expect(last[3]).toEqual({ kind: "refused", reason: "not-here", message: "You don't see that here." });
    expect(state.items.flower?.at).toEqual({ player: true });
    expect(state.clock).toBe(start.clock + 1);
  });

  it("does not let hidden items be taken until revealed", () => {
    expect(refusal(step(vale, start, { kind: "take", items: ["ring"] }).events)?.reason).toBe("not-here");
    const { last } = play(vale, start, [{ kind: "search" }, { kind: "take", items: ["ring"] }]);
    expect(last).toEqual([{ kind: "taken", item: "ring" }]);
  });

  it("refuses what is already carried", () => {
    expect(refusal(step(vale, start, { kind: "take", items: ["bread"] }).events)).toEqual({
      reason: "already-carried",
      message: "You already have the bread.",
    });
  });

  it("takes from surfaces and checks the container named with 'from'", () => {
    const took = step(vale, inShed, { kind: "take", items: ["sword"], from: "table" });
    expect(took.events).toEqual([{ kind: "taken", item: "sword", from: "table" }]);
    expect(refusal(step(vale, inShed, { kind: "take", items: ["sword"], from: "bag" }).events)?.reason).toBe("not-here");
    expect(refusal(step(vale, inShed, { kind: "take", items: ["iron-key"], from: "chest" }).events)).toEqual({
      reason: "container-closed",
      message: "The chest is closed.",
    });
    expect(refusal(step(vale, inShed, { kind: "take", items: ["sword"], from: "anvil" }).events)?.reason).toBe("not-container");
  });

  it("drops carried things, and dropping a wielded weapon unwields it", () => {
    const { state, last } = play(vale, start, [{ kind: "wear", item: "dagger" }, { kind: "drop", items: ["dagger", "flower"] }]);
    expect(last).toEqual([
      { kind: "removed", item: "dagger", slot: "weapon" },
      { kind: "dropped", item: "dagger" },
      { kind: "refused", reason: "not-carried", message: "You aren't carrying the flower." },
    ]);
    expect(state.player.equipment).toEqual({});
    expect(state.items.dagger?.at).toEqual({ room: "yard" });
  });

  it("puts things in containers and on surfaces, minding capacity, closure and nesting", () => {
    const withRock = play(vale, start, [{ kind: "take", items: ["rock"] }]).state;
    const { state, last } = play(vale, withRock, [{ kind: "put", item: "rock", container: "bag", preposition: "in" }]);
    expect(last).toEqual([{ kind: "put", item: "rock", container: "bag", preposition: "in" }]);
    expect(refusal(step(vale, state, { kind: "put", item: "bread", container: "bag", preposition: "in" }).events)).toEqual({
      reason: "too-full",
      message: "There's no room for the bread in the bag.",
    });
    expect(refusal(step(vale, start, { kind: "put", item: "bag", container: "bag", preposition: "in" }).events)?.reason).toBe("inside-itself");
    expect(refusal(step(vale, start, { kind: "put", item: "flower", container: "bag", preposition: "in" }).events)?.reason).toBe("not-carried");
    expect(refusal(step(vale, start, { kind: "put", item: "bread", container: "letter", preposition: "in" }).events)?.reason).toBe("not-container");

    const onTable = play(vale, inShed, [{ kind: "put", item: "bread", container: "table", preposition: "in" }]);
    expect(onTable.last).toEqual([{ kind: "put", item: "bread", container: "table", preposition: "on" }]);
    expect(refusal(step(vale, inShed, { kind: "put", item: "bread", container: "chest", preposition: "in" }).events)?.reason).toBe("container-closed");
  });

  it("refuses to put a container inside something it holds", () => {
    const nested = edit(start, (x) => {
      x.items.pouch = { at: { in: "bag" }, hidden: false, closed: false, locked: false };
    });
    expect(refusal(step(vale, nested, { kind: "put", item: "bag", container: "pouch", preposition: "in" }).events)).toEqual({
      reason: "inside-itself",
      message: "The pouch is inside the bag.",
    });
  });

  it("takes items out of a carried bag", () => {
    const inBag = play(vale, start, [{ kind: "put", item: "letter", container: "bag", preposition: "in" }]).state;
    expect(step(vale, inBag, { kind: "take", items: ["letter"] }).events).toEqual([{ kind: "taken", item: "letter", from: "bag" }]);
  });
});

describe("step: doors, containers and keys", () => {
  it("unlocks with a carried key when none is named, then opens and reveals contents", () => {
    const { state, turns } = play(vale, inShed, [
      { kind: "open", target: { item: "chest" } },
      { kind: "unlock", target: { item: "chest" } },
      { kind: "open", target: { item: "chest" } },
      { kind: "open", target: { item: "chest" } },
    ]);
    expect(refusal(turns[0] ?? [])).toEqual({ reason: "container-locked", message: "The chest is locked." });
    expect(turns[1]).toEqual([{ kind: "unlocked", target: { item: "chest" }, key: "brass-key" }]);
    expect(turns[2]).toEqual([{ kind: "opened", target: { item: "chest" }, revealed: ["iron-key", "potion"] }]);
    expect(refusal(turns[3] ?? [])?.reason).toBe("already-open");
    expect(state.items.chest).toMatchObject({ closed: false, locked: false });
  });

  it("refuses without a key, with the wrong key, and for things with no lock", () => {
    expect(refusal(step(vale, start, { kind: "unlock", target: { door: "oak-door" } }).events)).toEqual({
      reason: "no-key",
      message: "You have no key that fits the oak door.",
    });
    const withBrass = play(vale, start, [{ kind: "take", items: ["brass-key"] }]).state;
    expect(refusal(step(vale, withBrass, { kind: "unlock", target: { door: "oak-door" }, key: "brass-key" }).events)).toEqual({
      reason: "wrong-key",
      message: "The brass key doesn't fit the oak door.",
    });
    expect(refusal(step(vale, start, { kind: "unlock", target: { item: "bag" } }).events)?.reason).toBe("not-lockable");
    expect(refusal(step(vale, start, { kind: "lock", target: { door: "oak-door" } }).events)?.reason).toBe("already-locked");
    expect(refusal(step(vale, start, { kind: "open", target: { door: "nope" } }).events)?.reason).toBe("not-here");
  });

  it("opens, passes and closes a door, and locks it again only when closed", () => {
    const withKey = edit(start, (s) => {
      s.items["iron-key"] = { at: { player: true }, hidden: false };
    });
    const { state, turns } = play(vale, withKey, [
      { kind: "use", item: "iron-key", target: { door: "oak-door" } },
      { kind: "open", target: { door: "oak-door" } },
      { kind: "lock", target: { door: "oak-door" } },
      { kind: "go", direction: "north" },
      { kind: "close", target: { door: "oak-door" } },
      { kind: "close", target: { door: "oak-door" } },
      { kind: "lock", target: { door: "oak-door" }, key: "iron-key" },
    ]);
    expect(turns[0]).toEqual([{ kind: "unlocked", target: { door: "oak-door" }, key: "iron-key" }]);
    expect(turns[1]).toEqual([{ kind: "opened", target: { door: "oak-door" }, revealed: [] }]);
    expect(refusal(turns[2] ?? [])).toEqual({ reason: "not-closed", message: "You'll need to close the oak door first." });
    expect(state.player.location).toBe("hall");
    expect(turns[4]).toEqual([{ kind: "closed", target: { door: "oak-door" } }]);
    expect(refusal(turns[5] ?? [])?.reason).toBe("already-closed");
    expect(turns[6]).toEqual([{ kind: "locked", target: { door: "oak-door" }, key: "iron-key" }]);
    expect(state.doors["oak-door"]).toEqual({ closed: true, locked: true });
  });

  it("cannot open people, features or surfaces", () => {
    const inHall = edit(start, (s) => {
      s.player.location = "hall";
    });
    expect(refusal(step(vale, inHall, { kind: "open", target: { npc: "guard" } }).events)).toEqual({
      reason: "not-openable",
      message: "You can't open the guard.",
    });
    expect(refusal(step(vale, inHall, { kind: "close", target: { feature: "tapestry", location: "hall" } }).events)?.reason).toBe("not-openable");
    expect(refusal(step(vale, inShed, { kind: "open", target: { item: "table" } }).events)?.reason).toBe("not-openable");
  });
});

describe("step: looking at things", () => {
  it("examines readable items, containers, doors, features and people", () => {
    const text = (action: Action, s = start): string => {
      const e = step(vale, s, action).events[0];
      return e?.kind === "examined" ? e.text : `not examined: ${JSON.stringify(e)}`;
    };
    expect(text({ kind: "examine", target: { item: "letter" } })).toBe('A folded letter. It reads: "Meet me in the loft."');
    expect(text({ kind: "examine", target: { item: "bag" } })).toBe("A canvas bag. It is empty.");
    expect(text({ kind: "examine", target: { item: "table" } }, inShed)).toBe("A workbench. On it you see a short sword.");
    expect(text({ kind: "examine", target: { item: "chest" } }, inShed)).toBe("A sturdy oak chest. It is closed and locked.");
    expect(text({ kind: "examine", target: { door: "oak-door" } })).toBe("The oak door is closed and locked.");
    expect(text({ kind: "examine", target: { feature: "Well", location: "yard" } })).toBe("An old stone well, long dry.");
    expect(step(vale, start, { kind: "examine", target: { feature: "Well", location: "yard" } }).events[0]).toMatchObject({
      target: { feature: "well", location: "yard" },
    });
    const inHall = edit(start, (s) => {
      s.player.location = "hall";
    });
    expect(text({ kind: "examine", target: { npc: "guard" } }, inHall)).toBe("A bored guard.");
  });

  it("refuses to examine what is not here", () => {
    for (const target of [{ item: "sword" }, { npc: "guard" }, { door: "nope" }, { feature: "well", location: "hall" }, { feature: "toString", location: "yard" }]) {
      expect(refusal(step(vale, start, { kind: "examine", target }).events)?.reason).toBe("not-here");
    }
  });

  it("lists the inventory with equipment", () => {
    const { last } = play(vale, start, [{ kind: "wear", item: "dagger" }, { kind: "inventory" }]);
    expect(last).toEqual([{ kind: "inventory-listed", items: ["dagger", "bread", "letter", "bag"], weapon: "dagger" }]);
  });

  it("searches containers for their contents, and finds nothing on plain things", () => {
    const open = edit(inShed, (s) => {
      s.items.chest = { at: { room: "shed" }, hidden: false, closed: false, locked: false };
      s.items.crown = { at: { in: "chest" }, hidden: true };
    });
    const found = step(vale, open, { kind: "search", target: { item: "chest" } }).events[0];
    expect(found).toEqual({
      kind: "searched",
      target: { item: "chest" },
      text: "In it you see an iron key, a red potion and a crown.",
      found: ["crown"],
      revealedExits: [],
    });
    expect(refusal(step(vale, inShed, { kind: "search", target: { item: "chest" } }).events)?.reason).toBe("container-closed");
    expect(step(vale, start, { kind: "search", target: { item: "letter" } }).events[0]).toMatchObject({
      text: "You find nothing unusual about the letter.",
      found: [],
    });
    expect(step(vale, start, { kind: "search", target: { feature: "well", location: "yard" } }).events[0]).toMatchObject({
      target: { feature: "well", location: "yard" },
      found: ["ring"],
      revealedExits: ["down"],
    });
    expect(step(vale, inShed, { kind: "search" }).events[0]).toMatchObject({ text: "You find nothing of interest.", found: [] });
  });
});

describe("step: people", () => {
  const inHall = edit(start, (s) => {
    s.player.location = "hall";
    s.items.flower = { at: { player: true }, hidden: false };
  });

  it("greets, answers topics by word, and shrugs at the unknown", () => {
    const line = (topic?: string): unknown => step(vale, inHall, { kind: "talk", npc: "guard", ...(topic ? { topic } : {}) }).events[0];
    expect(line()).toEqual({ kind: "npc-spoke", npc: "guard", line: "Halt. Oh, it's you." });
    expect(line("the KING")).toEqual({ kind: "npc-spoke", npc: "guard", topic: "king", line: "Long may he reign." });
    expect(line("the old wells")).toMatchObject({ topic: "old well", line: "Dry for years." });
    expect(line("the weather")).toMatchObject({ topic: "the weather", line: "Never heard of it." });
  });

  it("refuses to talk to the absent, the dead and the inanimate", () => {
    expect(refusal(step(vale, start, { kind: "talk", npc: "guard" }).events)).toEqual({
      reason: "not-here",
      message: "You don't see anyone like that here.",
    });
    expect(refusal(step(vale, start, { kind: "talk", npc: "brass-key" }).events)).toEqual({
      reason: "not-person",
      message: "The brass key can't hear you.",
    });
    const dead = edit(inHall, (s) => {
      s.npcs.guard = { location: "hall", hp: 0, disposition: 0, alive: false };
    });
    expect(refusal(step(vale, dead, { kind: "talk", npc: "guard" }).events)).toEqual({ reason: "dead", message: "The guard is dead." });
  });

  it("says things, to someone or to the air", () => {
    expect(step(vale, inHall, { kind: "say", text: "hello", npc: "guard" }).events).toEqual([
      { kind: "player-said", text: "hello", npc: "guard" },
    ]);
    expect(step(vale, start, { kind: "say", text: "hello" }).events).toEqual([{ kind: "player-said", text: "hello" }]);
    expect(refusal(step(vale, start, { kind: "say", text: "hi", npc: "guard" }).events)?.reason).toBe("not-here");
  });

  it("gives wanted things, which warm the NPC, and keeps unwanted ones", () => {
    const { state, last } = play(vale, inHall, [{ kind: "give", item: "flower", npc: "guard" }]);
    expect(last).toEqual([
      { kind: "given", item: "flower", npc: "guard", accepted: true },
      { kind: "disposition-changed", npc: "guard", from: 0, to: 15 },
      { kind: "npc-spoke", npc: "guard", line: "For me? How kind." },
    ]);
    expect(state.items.flower?.at).toEqual({ npc: "guard" });
    const refused = play(vale, inHall, [{ kind: "give", item: "letter", npc: "guard" }]);
    expect(refused.last).toEqual([{ kind: "given", item: "letter", npc: "guard", accepted: false }]);
    expect(refused.state.items.letter?.at).toEqual({ player: true });
    const fond = edit(inHall, (s) => {
      s.npcs.guard = { location: "hall", hp: 12, disposition: 95, alive: true };
    });
    expect(play(vale, fond, [{ kind: "give", item: "flower", npc: "guard" }]).state.npcs.guard?.disposition).toBe(100);
  });

  it("shows things", () => {
    expect(step(vale, inHall, { kind: "show", item: "letter", npc: "guard" }).events).toEqual([
      { kind: "shown", item: "letter", npc: "guard" },
    ]);
    expect(refusal(step(vale, inHall, { kind: "show", item: "sword", npc: "guard" }).events)?.reason).toBe("not-here");
  });
});

describe("step: using things", () => {
  it("eats and drinks by the right verb, heals within the maximum, and uses portable food up", () => {
    const hurt = edit(start, (s) => {
      s.player.hp = 18;
    });
    const { state, last } = play(vale, hurt, [{ kind: "eat", item: "bread" }]);
    expect(last).toEqual([{ kind: "consumed", item: "bread", verb: "eat", healed: 2 }]);
    expect(state.player.hp).toBe(20);
    expect(state.items.bread?.at).toEqual({ nowhere: true });
    expect(refusal(step(vale, hurt, { kind: "drink", item: "bread" }).events)).toEqual({
      reason: "not-drinkable",
      message: "You can't drink the bread.",
    });
    expect(refusal(step(vale, hurt, { kind: "eat", item: "letter" }).events)?.reason).toBe("not-edible");
    const sipped = play(vale, hurt, [{ kind: "drink", item: "spring" }, { kind: "drink", item: "spring" }]);
    expect(sipped.state.player.hp).toBe(20);
    expect(sipped.state.items.spring?.at).toEqual({ room: "yard" });
  });

  it("uses keys on locks, consumables by their verb, and other things by their text", () => {
    const inHall = edit(start, (s) => {
      s.player.location = "hall";
    });
    expect(step(vale, inHall, { kind: "use", item: "lever" }).events).toEqual([
      { kind: "used", item: "lever", text: "Something clunks behind the wall." },
    ]);
    expect(step(vale, start, { kind: "use", item: "letter", target: { feature: "well", location: "yard" } }).events).toEqual([
      { kind: "used", item: "letter", target: { feature: "well", location: "yard" }, text: "Nothing obvious happens." },
    ]);
    expect(kinds(step(vale, start, { kind: "use", item: "bread" }).events)).toEqual(["consumed"]);
    expect(refusal(step(vale, start, { kind: "use", item: "brass-key", target: { item: "chest" } }).events)?.reason).toBe("not-here");
    expect(refusal(step(vale, start, { kind: "use", item: "letter", target: { npc: "troll" } }).events)?.reason).toBe("not-here");
  });

  it("wears armour and wields weapons, swapping and removing them", () => {
    const armed = edit(inShed, (s) => {
      s.items.sword = { at: { player: true }, hidden: false };
      s.items.leather = { at: { player: true }, hidden: false };
    });
    const { state, turns } = play(vale, armed, [
      { kind: "wear", item: "dagger" },
      { kind: "wear", item: "sword" },
      { kind: "wear", item: "leather" },
      { kind: "wear", item: "leather" },
      { kind: "wear", item: "letter" },
      { kind: "remove", item: "sword" },
      { kind: "remove", item: "sword" },
    ]);
    expect(turns[1]).toEqual([
      { kind: "removed", item: "dagger", slot: "weapon" },
      { kind: "worn", item: "sword", slot: "weapon" },
    ]);
    expect(turns[2]).toEqual([{ kind: "worn", item: "leather", slot: "armour" }]);
    expect(refusal(turns[3] ?? [])?.reason).toBe("already-worn");
    expect(refusal(turns[4] ?? [])).toEqual({ reason: "not-wearable", message: "You can't wear the letter." });
    expect(turns[5]).toEqual([{ kind: "removed", item: "sword", slot: "weapon" }]);
    expect(refusal(turns[6] ?? [])?.reason).toBe("not-worn");
    expect(state.player.equipment).toEqual({ armour: "leather" });
    expect(step(vale, armed, { kind: "wear", item: "anvil" }).events[0]).toMatchObject({ reason: "not-carried" });
  });

  it("wields a weapon straight out of the bag", () => {
    const bagged = play(vale, start, [{ kind: "put", item: "dagger", container: "bag", preposition: "in" }, { kind: "wear", item: "dagger" }]);
    expect(bagged.state.items.dagger?.at).toEqual({ player: true });
    expect(stateProblems(vale, bagged.state)).toEqual([]);
  });

  it("pushes, pulls and turns things", () => {
    const inHall = edit(start, (s) => {
      s.player.location = "hall";
    });
    expect(step(vale, inHall, { kind: "manipulate", verb: "pull", target: { item: "lever" } }).events).toEqual([
      { kind: "manipulated", verb: "pull", target: { item: "lever" }, text: "Something clunks behind the wall." },
    ]);
    expect(step(vale, inHall, { kind: "manipulate", verb: "push", target: { feature: "tapestry", location: "hall" } }).events[0]).toMatchObject({
      text: "Nothing happens.",
    });
  });

  it("climbs up where there is a way up, and otherwise gets nowhere", () => {
    const inHall = edit(start, (s) => {
      s.player.location = "hall";
    });
    const up = step(vale, inHall, { kind: "climb" });
    expect(kinds(up.events)).toEqual(["moved", "location-seen"]);
    expect(up.state.player.location).toBe("loft");
    expect(up.state.clock - inHall.clock).toBe(ACTION_MINUTES.go);
    expect(step(vale, start, { kind: "climb", target: { feature: "well", location: "yard" } }).events).toEqual([
      { kind: "climbed", target: { feature: "well", location: "yard" }, text: "You find no way to climb the well." },
    ]);
    expect(step(vale, start, { kind: "climb" }).events).toEqual([{ kind: "climbed", text: "There is nothing here to climb." }]);
  });

  it("waits and helps", () => {
    expect(step(vale, start, { kind: "wait", minutes: 15 }).events).toEqual([{ kind: "waited", minutes: 15 }]);
    expect(step(vale, start, { kind: "help" }).events).toEqual([{ kind: "help-shown" }]);
  });
});

describe("step: the dead", () => {
  const dead = edit(start, (s) => {
    s.player.hp = 0;
    s.player.alive = false;
  });

  it("may only look, list their belongings and ask for help", () => {
    expect(kinds(step(vale, dead, { kind: "look" }).events)).toEqual(["location-seen"]);
    expect(kinds(step(vale, dead, { kind: "inventory" }).events)).toEqual(["inventory-listed"]);
    expect(kinds(step(vale, dead, { kind: "help" }).events)).toEqual(["help-shown"]);
    const actions: Action[] = [{ kind: "go", direction: "east" }, { kind: "wait", minutes: 10 }, { kind: "take", items: ["flower"] }];
    for (const action of actions) {
      const result = step(vale, dead, action);
      expect(refusal(result.events)?.reason).toBe("player-dead");
      expect(result.state.clock).toBe(dead.clock);
    }
  });
});

describe("step: nonsense", () => {
  const garbage = ["nope", "constructor", "__proto__", "toString", "hasOwnProperty", "x"];

  it("refuses every action that names unknown things, without throwing", () => {
    for (const id of garbage) {
      const ref = [{ item: id }, { npc: id }, { door: id }, { feature: id, location: id }, { feature: id, location: "yard" }];
      const actions: Action[] = [
        { kind: "take", items: [id] },
        { kind: "take", items: ["flower"], from: id },
        { kind: "drop", items: [id] },
        { kind: "put", item: id, container: id, preposition: "in" },
        { kind: "put", item: "bread", container: id, preposition: "on" },
        { kind: "talk", npc: id, topic: id },
        { kind: "say", text: id, npc: id },
        { kind: "give", item: id, npc: id },
        { kind: "give", item: "bread", npc: id },
        { kind: "show", item: id, npc: id },
        { kind: "attack", npc: id, weapon: id },
        { kind: "use", item: id },
        { kind: "use", item: "letter", target: { npc: id } },
        { kind: "eat", item: id },
        { kind: "drink", item: id },
        { kind: "wear", item: id },
        { kind: "remove", item: id },
        { kind: "lock", target: { door: "oak-door" }, key: id },
        ...ref.flatMap((target): Action[] => [
          { kind: "examine", target },
          { kind: "open", target },
          { kind: "close", target },
          { kind: "lock", target },
          { kind: "unlock", target, key: id },
          { kind: "search", target },
          { kind: "manipulate", verb: "turn", target },
          { kind: "climb", target },
        ]),
      ];
      for (const action of actions) {
        const parsed = Action.parse(action);
        const result = step(vale, start, parsed);
        expect(result.events.length, JSON.stringify(action)).toBeGreaterThan(0);
        expect(result.events.every((e) => e.kind === "refused"), JSON.stringify(action)).toBe(true);
        expect(stateProblems(vale, result.state)).toEqual([]);
        expect(() => GameState.parse(result.state)).not.toThrow();
      }
    }
  });
});

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object") {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
