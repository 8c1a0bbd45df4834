import { describe, expect, it } from "vitest";
import { GameEvent, type EventKind, type EventOf } from "./events.js";
import { initialState, type GameState } from "./state.js";
import { describeLocation, helpText, narrate } from "./narrate.js";
import { narrateWorld as world } from "./fixtures/narrate/world.js";

function fresh(): GameState {
  return initialState(world, 1);
}

/** One event of every kind, each something the player at the yard would perceive. */
const SAMPLES: { [K in EventKind]: EventOf<K> } = {
  "refused": { kind: "refused", reason: "door-locked", message: "The cellar door is locked." },
  "moved": { kind: "moved", from: "barn", to: "yard", direction: "south" },
  "location-seen": { kind: "location-seen", location: "yard", first: true },
  "examined": { kind: "examined", target: { item: "lantern" }, text: "A tin lantern." },
  "taken": { kind: "taken", item: "apple", from: "crate" },
  "dropped": { kind: "dropped", item: "sword" },
  "put": { kind: "put", item: "apple", container: "table", preposition: "on" },
  "opened": { kind: "opened", target: { door: "barn_door" }, revealed: [] },
  "closed": { kind: "closed", target: { item: "crate" } },
  "locked": { kind: "locked", target: { door: "cellar_door" }, key: "key" },
  "unlocked": { kind: "unlocked", target: { door: "cellar_door" }, key: "key" },
  "inventory-listed": { kind: "inventory-listed", items: ["sword", "shirt", "potion"], weapon: "sword", armour: "shirt" },
  "npc-spoke": { kind: "npc-spoke", npc: "hilda", line: "Morning." },
  "player-said": { kind: "player-said", text: "Hello there.", npc: "hilda" },
  "given": { kind: "given", item: "potion", npc: "hilda", accepted: true },
  "shown": { kind: "shown", item: "sword", npc: "hilda" },
  "attacked": { kind: "attacked", attacker: "player", defender: "rat", weapon: "sword", roll: 15, hit: true, damage: 4, defenderHp: 0 },
  "npc-died": { kind: "npc-died", npc: "rat", dropped: [] },
  "player-died": { kind: "player-died" },
  "consumed": { kind: "consumed", item: "potion", verb: "drink", healed: 5, message: "It fizzes." },
  "worn": { kind: "worn", item: "shirt", slot: "armour" },
  "removed": { kind: "removed", item: "sword", slot: "weapon" },
  "searched": { kind: "searched", found: ["key"], revealedExits: ["east"] },
  "manipulated": { kind: "manipulated", verb: "turn", target: { feature: "well", location: "yard" }, text: "The winch creaks." },
  "used": { kind: "used", item: "lantern", text: "The lantern flickers." },
  "climbed": { kind: "climbed", text: "You climb onto the well." },
  "waited": { kind: "waited", minutes: 10 },
  "help-shown": { kind: "help-shown" },
  "variable-set": { kind: "variable-set", name: "fed", value: true },
  "npc-moved": { kind: "npc-moved", npc: "hilda", from: "barn", to: "yard" },
  "player-moved": { kind: "player-moved", from: "barn", to: "yard" },
  "item-moved": { kind: "item-moved", item: "coins", to: { player: true } },
  "quest-started": { kind: "quest-started", quest: "chores", stage: "feed" },
  "quest-advanced": { kind: "quest-advanced", quest: "chores", stage: "fetch" },
  "quest-completed": { kind: "quest-completed", quest: "chores" },
  "disposition-changed": { kind: "disposition-changed", npc: "hilda", from: 10, to: 25 },
  "exit-revealed": { kind: "exit-revealed", location: "yard", direction: "east" },
  "door-unlocked": { kind: "door-unlocked", door: "cellar_door" },
  "healed": { kind: "healed", amount: 4, hp: 20 },
  "message": { kind: "message", text: "A cock crows." },
  "rule-fired": { kind: "rule-fired", rule: "dawn" },
  "content-requested": { kind: "content-requested", requestId: "gen-1-0", content: "npc", at: "yard", hint: "a pedlar" },
  "content-added": { kind: "content-added", requestId: "gen-1-0", content: "npc", id: "gen-1-0", name: "hooded pedlar", at: "yard" },
};

/** Events that are bookkeeping, not something that happened in front of the player. */
const SILENT: ReadonlySet<EventKind> = new Set(["rule-fired", "variable-set", "content-requested"]);

const say = (event: GameEvent, state: GameState = fresh()): string => narrate(world, state, [event]);

describe("narrate", () => {
  it("has a sample for every event kind in the schema", () => {
    const kinds = GameEvent.options.map((o) => o.shape.kind.value).sort();
    expect(Object.keys(SAMPLES).sort()).toEqual(kinds);
    for (const sample of Object.values(SAMPLES)) expect(GameEvent.parse(sample)).toEqual(sample);
  });

  for (const [kind, sample] of Object.entries(SAMPLES)) {
    it(`tells "${kind}"`, () => {
      const text = say(sample);
      if (SILENT.has(sample.kind)) expect(text).toBe("");
      else {
        expect(text.trim()).not.toBe("");
        expect(text).not.toMatch(/undefined|\[object/);
      }
    });
  }

  it("tells the everyday events word for word", () => {
    expect(say(SAMPLES.refused)).toBe("The cellar door is locked.");
    expect(say(SAMPLES.moved)).toBe("You go south.");
    expect(say(SAMPLES.taken)).toBe("You take the apple from the crate.");
    expect(say(SAMPLES.put)).toBe("You put the apple on the table.");
    expect(say(SAMPLES.unlocked)).toBe("You unlock the cellar door with the iron key.");
    expect(say(SAMPLES["npc-spoke"])).toBe('Hilda says, "Morning."');
    expect(say(SAMPLES["player-said"])).toBe('You say to Hilda, "Hello there."');
    expect(say({ kind: "given", item: "sword", npc: "rat", accepted: false })).toBe("You offer the sword to the rat, who will not take it.");
    expect(say(SAMPLES.consumed)).toBe("You drink the potion. It fizzes. You recover 5 HP.");
    expect(say(SAMPLES.worn)).toBe("You put on the mail shirt.");
    expect(say({ kind: "worn", item: "sword", slot: "weapon" })).toBe("You wield the sword.");
    expect(say(SAMPLES.searched)).toBe("You find an iron key. You have found a way east.");
    expect(say({ kind: "searched", found: [], revealedExits: [] })).toBe("You search carefully, but find nothing of interest.");
    expect(say(SAMPLES.waited)).toBe("You wait for 10 minutes. It is now 8:00 in the morning, day 1.");
    expect(say(SAMPLES["item-moved"])).toBe("You now have the silver coins.");
    expect(say(SAMPLES["quest-started"])).toBe("New quest: Chores\nHilda needs help.\nFeed the pigs.");
    expect(say(SAMPLES["quest-advanced"])).toBe("Quest updated: Chores\nFetch the water.");
    expect(say(SAMPLES["quest-completed"])).toBe("Quest complete: Chores.");
    expect(say(SAMPLES["exit-revealed"])).toBe("A way east is revealed.");
    expect(say({ kind: "exit-revealed", location: "barn", direction: "south" })).toBe("A way south from the Old Barn now lies open.");
    expect(say(SAMPLES["door-unlocked"])).toBe("The cellar door is now unlocked.");
  });

  it("lists the inventory with what is worn and wielded", () => {
    const state = fresh();
    state.player.hp = 14;
    expect(say(SAMPLES["inventory-listed"], state)).toBe(
      "You are carrying a sword (wielded), a mail shirt (worn) and a potion. You have 14 of 20 HP.",
    );
    expect(say({ kind: "inventory-listed", items: [] }, state)).toBe("You are carrying nothing. You have 14 of 20 HP.");
  });

  it("tells a fight blow by blow, in one paragraph", () => {
    const events: GameEvent[] = [
      { kind: "attacked", attacker: "player", defender: "rat", weapon: "sword", roll: 15, hit: true, damage: 3, defenderHp: 1 },
      { kind: "attacked", attacker: "rat", defender: "player", roll: 12, hit: true, damage: 2, defenderHp: 18 },
      { kind: "attacked", attacker: "player", defender: "rat", weapon: "sword", roll: 3, hit: false, damage: 0, defenderHp: 1 },
      { kind: "attacked", attacker: "rat", defender: "player", roll: 2, hit: false, damage: 0, defenderHp: 18 },
    ];
    expect(narrate(world, fresh(), events)).toBe(
      "You hit the rat with the sword for 3 damage. The rat hits you for 2 damage. You have 18 of 20 HP left. " +
        "You swing at the rat with the sword, but miss. The rat misses you.",
    );
    expect(say({ kind: "attacked", attacker: "player", defender: "rat", roll: 11, hit: true, damage: 1, defenderHp: 3 }))
      .toBe("You hit the rat for 1 damage.");
  });

  it("tells deaths, with what the dead leave behind", () => {
    expect(say({ kind: "npc-died", npc: "rat", dropped: [] })).toBe("The rat dies.");
    expect(say({ kind: "npc-died", npc: "troll", dropped: ["sword", "coins"] })).toBe(
      "The troll falls, and does not rise again. A sword and some silver coins are left lying on the ground.",
    );
  });

  it("tells only the changes of heart the player would notice", () => {
    expect(say(SAMPLES["disposition-changed"])).toBe("Hilda seems warmer toward you.");
    expect(say({ kind: "disposition-changed", npc: "hilda", from: 10, to: -60 })).toBe("Hilda turns hostile!");
    expect(say({ kind: "disposition-changed", npc: "rat", from: -80, to: -100 })).toBe("");
  });

  it("tells NPCs coming and going only when the player is there to see", () => {
    expect(say(SAMPLES["npc-moved"])).toBe("Hilda arrives.");
    expect(say({ kind: "npc-moved", npc: "hilda", from: "yard", to: "barn" })).toBe("Hilda leaves for the Old Barn.");
    expect(say({ kind: "npc-moved", npc: "troll", from: "barn", to: "cellar" })).toBe("");
  });

  it("adds what an examined or opened container holds", () => {
    const state = fresh();
    state.items.crate!.closed = false;
    expect(say({ kind: "examined", target: { item: "crate" }, text: "A wooden crate." }, state)).toBe("A wooden crate. Inside you see an apple.");
    expect(say({ kind: "opened", target: { item: "crate" }, revealed: ["apple"] }, state)).toBe("You open the crate. Inside you find an apple.");
    state.items.apple!.at = { player: true };
    expect(say({ kind: "opened", target: { item: "crate" }, revealed: [] }, state)).toBe("You open the crate. It is empty.");
  });

  it("joins paragraphs with blank lines and leaves out silent events", () => {
    const text = narrate(world, fresh(), [SAMPLES["npc-spoke"], SAMPLES["rule-fired"], SAMPLES["quest-completed"]]);
    expect(text).toBe('Hilda says, "Morning."\n\nQuest complete: Chores.');
  });
});

describe("locations", () => {
  it("describes the player's location in full", () => {
    expect(describeLocation(world, fresh())).toBe(
      "Yard\nA muddy yard.\n\n" +
        "You can see a lantern, a crate and some silver coins here.\n" +
        "Hilda is here.\n" +
        "The rat is here, and means you harm.\n" +
        "Exits: north (closed), down (locked).",
    );
  });

  it("shows open containers' contents, revealed exits, open doors and the dead", () => {
    const state = fresh();
    state.items.crate!.closed = false;
    state.items.key!.hidden = false;
    state.doors.barn_door!.closed = false;
    state.revealedExits.push("yard:east");
    state.npcs.rat!.alive = false;
    expect(describeLocation(world, state)).toBe(
      "Yard\nA muddy yard.\n\n" +
        "You can see a lantern, a crate, some silver coins and an iron key here.\n" +
        "In the crate: an apple.\n" +
        "Hilda is here.\n" +
        "The rat lies dead here.\n" +
        "Exits: north, down (locked), east.",
    );
  });

  it("shows what lies on a surface, and a boss as hostile", () => {
    const state = fresh();
    state.player.location = "barn";
    expect(describeLocation(world, state)).toBe(
      "The Old Barn\nHay and shadows.\n\nYou can see a table here.\nOn the table: a loaf.\nThe troll is here, and means you harm.\nExits: south (closed).",
    );
  });

  it("tells the full description on a first visit or a look, and a brief one on a revisit", () => {
    const state = fresh();
    const full = describeLocation(world, state);
    expect(narrate(world, state, [{ kind: "location-seen", location: "yard", first: false }])).toBe(full);
    expect(narrate(world, state, [SAMPLES.moved, { kind: "location-seen", location: "yard", first: true }])).toBe(`You go south.\n\n${full}`);
    expect(narrate(world, state, [SAMPLES.moved, { kind: "location-seen", location: "yard", first: false }])).toBe(
      "You go south.\n\nYard\nYou can see a lantern, a crate and some silver coins here.\nHilda is here.\n" +
        "The rat is here, and means you harm.\nExits: north (closed), down (locked).",
    );
  });
});

describe("helpText", () => {
  it("lists the commands a player can type", () => {
    const help = helpText();
    for (const word of ["north", "look", "examine", "take", "drop", "put", "open", "unlock", "inventory", "talk", "ask", "give", "attack", "eat", "drink", "wear", "search", "push", "wait", "save", "undo"]) {
      expect(help).toContain(word);
    }
    expect(say(SAMPLES["help-shown"])).toBe(help);
  });
});
