import { describe, expect, test } from "vitest";
import fc from "fast-check";
import { Action } from "../actions.js";
import { ParserMemory, initialState, type GameState } from "../state.js";
import { WorldPack } from "../world.js";
import { fixtureWorld } from "./fixtures/world.js";
import { parse, type ParseResult } from "./index.js";

const world = fixtureWorld();

type Setup = (s: GameState) => void;

function stateWith(...setups: Setup[]): GameState {
  const s = initialState(world, 1);
  for (const f of setups) f(s);
  return s;
}

const inTavern: Setup = (s) => { s.player.location = "tavern"; };
const inMarket: Setup = (s) => { s.player.location = "market"; };
const gateGuardHere: Setup = (s) => { s.npcs.gate_guard!.location = "square"; };
const maraHere: Setup = (s) => { s.npcs.mara!.location = "square"; };
const guardAway: Setup = (s) => { s.npcs.guard!.location = "gate"; };
const coppersHere: Setup = (s) => {
  s.items.copper1!.at = { room: "square" };
  s.items.copper2!.at = { room: "square" };
};
const carrying = (...ids: string[]): Setup => (s) => { for (const id of ids) s.items[id]!.at = { player: true }; };
const remembering = (memory: ParserMemory): Setup => (s) => { s.parser = memory; };

/** Parses and checks the result is an action that the Action schema accepts as it is. */
function action(input: string, state = stateWith()): Action {
  const r = parse(world, state, input);
  if (r.type !== "action") throw new Error(`"${input}" gave ${r.type}: ${JSON.stringify(r)}`);
  expect(Action.parse(r.action)).toEqual(r.action);
  return r.action;
}

function message(input: string, state = stateWith()): string {
  const r = parse(world, state, input);
  if (r.type !== "unknown") throw new Error(`"${input}" gave ${r.type}: ${JSON.stringify(r)}`);
  return r.message;
}

/** Feeds a sequence of inputs, storing each result's memory as the caller would. */
function session(inputs: readonly string[], state = stateWith()): ParseResult[] {
  const out: ParseResult[] = [];
  for (const input of inputs) {
    const r = parse(world, state, input);
    state.parser = r.memory;
    out.push(r);
  }
  return out;
}

const go = (direction: Action & { kind: "go" } extends { direction: infer D } ? D : never): Action => ({ kind: "go", direction });
const item = (id: string) => ({ item: id });

describe("the fixture world", () => {
  test("is a valid world pack", () => {
    expect(WorldPack.safeParse(world).success).toBe(true);
  });
});

describe("movement", () => {
  const cases: [string, Action][] = [
    ["n", go("north")], ["s", go("south")], ["e", go("east")], ["w", go("west")],
    ["ne", go("northeast")], ["nw", go("northwest")], ["se", go("southeast")], ["sw", go("southwest")],
    ["u", go("up")], ["d", go("down")], ["up", go("up")], ["down", go("down")],
    ["north", go("north")], ["South", go("south")], ["EAST", go("east")], ["west.", go("west")],
    ["northeast", go("northeast")], ["north-west", go("northwest")], ["go north east", go("northeast")],
    ["go north", go("north")], ["walk n", go("north")], ["head east", go("east")], ["run west", go("west")],
    ["go to the north", go("north")], ["move north", go("north")], ["go upstairs", go("up")],
    ["enter", go("in")], ["exit", go("out")], ["leave", go("out")], ["out", go("out")], ["in", go("in")],
    ["inside", go("in")], ["outside", go("out")], ["go in", go("in")], ["go inside", go("in")], ["go out", go("out")],
    ["get in", go("in")], ["get out", go("out")], ["ascend", go("up")], ["descend", go("down")],
    ["go through the door", go("north")], ["go through the oak door", go("north")], ["walk through the gate", go("west")],
    ["enter tavern door", go("north")], ["go to the tavern", go("north")], ["go to the market", go("east")],
    ["head to the city gate", go("west")], ["go to market street", go("east")], ["walk into the tavern", go("north")],
    ["enter the tavern", go("north")], ["enter the fountain", go("in")], ["leave through the gate", go("west")],
  ];
  test.each(cases)("%s", (input, expected) => {
    expect(action(input)).toEqual(expected);
  });

  test("routes by where an exit leads, from elsewhere too", () => {
    expect(action("go to the tavern", stateWith(inMarket))).toEqual(go("northeast"));
    expect(action("go to the square", stateWith(inTavern))).toEqual(go("south"));
    expect(action("go to the loft", stateWith(inTavern))).toEqual(go("up"));
    expect(action("climb up to the loft", stateWith(inTavern))).toEqual(go("up"));
  });

  test("a direction with no exit is still a move; step refuses it", () => {
    expect(action("go southwest")).toEqual(go("southwest"));
  });

  test("unreachable places and bare go explain themselves", () => {
    expect(message("go to the loft")).toBe("You can't see any way to get to the loft from here.");
    expect(message("go to the town square")).toBe("You are already in Town Square.");
    expect(message("go to the sword")).toBe("The sword is right here.");
    expect(message("go")).toBe("Where do you want to go? You can go north, in, east or west.");
    expect(message("enter the unicorn")).toBe("You don't see any unicorn here.");
  });

  test("a revealed hidden exit is offered", () => {
    const s = stateWith((st) => { st.revealedExits.push("square:down"); });
    expect(message("go", s)).toContain("down");
    expect(message("go")).not.toContain("down");
  });
});

describe("looking and examining", () => {
  const cases: [string, Action][] = [
    ["look", { kind: "look" }], ["l", { kind: "look" }], ["look around", { kind: "look" }], ["L", { kind: "look" }],
    ["look north", { kind: "look" }],
    ["examine sword", { kind: "examine", target: item("sword") }],
    ["x sword", { kind: "examine", target: item("sword") }],
    ["look at the sword", { kind: "examine", target: item("sword") }],
    ["l at sword", { kind: "examine", target: item("sword") }],
    ["look sword", { kind: "examine", target: item("sword") }],
    ["inspect the blade", { kind: "examine", target: item("sword") }],
    ["check the chest", { kind: "examine", target: item("chest") }],
    ["check out the chest", { kind: "examine", target: item("chest") }],
    ["read scroll", { kind: "examine", target: item("scroll") }],
    ["read the old map", { kind: "examine", target: item("map") }],
    ["describe the fountain", { kind: "examine", target: { feature: "fountain", location: "square" } }],
    ["examine the old well", { kind: "examine", target: { feature: "old well", location: "square" } }],
    ["x well", { kind: "examine", target: { feature: "old well", location: "square" } }],
    ["x guard", { kind: "examine", target: { npc: "guard" } }],
    ["x soldier", { kind: "examine", target: { npc: "guard" } }],
    ["examine the burly guard", { kind: "examine", target: { npc: "guard" } }],
    ["x oak door", { kind: "examine", target: { door: "tavern_door" } }],
    ["x gate", { kind: "examine", target: { door: "iron_gate" } }],
    ["look in the chest", { kind: "examine", target: item("chest") }],
    ["look inside box", { kind: "examine", target: item("chest") }],
    ["x gold coin", { kind: "examine", target: item("gold_coin") }],
    ["x lamp", { kind: "examine", target: item("lantern") }],
    ["x lant", { kind: "examine", target: item("lantern") }],
    ["x me", { kind: "inventory" }],
  ];
  test.each(cases)("%s", (input, expected) => {
    expect(action(input)).toEqual(expected);
  });

  test("features belong to the current location", () => {
    expect(action("x bar", stateWith(inTavern))).toEqual({ kind: "examine", target: { feature: "bar", location: "tavern" } });
    expect(message("x bar")).toBe("You don't see any bar here.");
  });

  test("hidden and enclosed things are out of scope", () => {
    expect(message("x gem")).toBe("You don't see any gem here.");
    expect(message("x ruby")).toBe("You don't see any ruby here.");
    const found = stateWith((s) => { s.items.gem!.hidden = false; });
    expect(action("x gem", found)).toEqual({ kind: "examine", target: item("gem") });
  });

  test("examine with nothing named asks what", () => {
    expect(message("examine")).toBe("What do you want to examine?");
    expect(message("x the")).toBe("What do you want to examine?");
    expect(message("look at")).toBe("What do you want to look at?");
  });
});

describe("noun phrases", () => {
  const cases: [string, Action][] = [
    ["take the rusty key", { kind: "take", items: ["rusty_key"] }],
    ["take rusty key", { kind: "take", items: ["rusty_key"] }],
    ["take rusty", { kind: "take", items: ["rusty_key"] }],
    ["take the iron key", { kind: "take", items: ["rusty_key"] }],
    ["take shiny key", { kind: "take", items: ["brass_key"] }],
    ["TAKE THE BRASS KEY", { kind: "take", items: ["brass_key"] }],
    ["  take    the   brass   key  ", { kind: "take", items: ["brass_key"] }],
    ["take the brass key!!!", { kind: "take", items: ["brass_key"] }],
    ["take brass key.", { kind: "take", items: ["brass_key"] }],
    ["take a sword", { kind: "take", items: ["sword"] }],
    ["take an apple", { kind: "take", items: ["apple"] }],
    ["take some wine", { kind: "take", items: ["wine"] }],
    ["take the bottle of wine", { kind: "take", items: ["wine"] }],
    ["take bottle", { kind: "take", items: ["wine"] }],
    ["take the sharp steel sword", { kind: "take", items: ["sword"] }],
    ["take helm", { kind: "take", items: ["helmet"] }],
    ["take dented", { kind: "take", items: ["helmet"] }],
    ["take appl", { kind: "take", items: ["apple"] }],
    ["drop my dagger", { kind: "drop", items: ["dagger"] }],
  ];
  test.each(cases)("%s", (input, expected) => {
    expect(action(input)).toEqual(expected);
  });

  test("carried things win a tie for verbs that need them, room things for take", () => {
    expect(action("take rusty")).toEqual({ kind: "take", items: ["rusty_key"] });
    expect(action("drop rusty")).toEqual({ kind: "drop", items: ["dagger"] });
    expect(action("wield rusty")).toEqual({ kind: "wear", item: "dagger" });
    const both = stateWith(carrying("rusty_key"));
    expect(action("drop key", stateWith(carrying("rusty_key")))).toEqual({ kind: "drop", items: ["rusty_key"] });
    expect(action("take key", both)).toEqual({ kind: "take", items: ["brass_key"] });
    expect(action("give key to guard", both)).toEqual({ kind: "give", item: "rusty_key", npc: "guard" });
    expect(action("put key in chest", both)).toEqual({ kind: "put", item: "rusty_key", container: "chest", preposition: "in" });
  });

  test("a name that is a word of another thing's name prefers the thing it heads", () => {
    expect(action("x door")).toEqual({ kind: "examine", target: { door: "tavern_door" } });
    expect(action("x guard", stateWith(gateGuardHere, guardAway))).toEqual({ kind: "examine", target: { npc: "gate_guard" } });
  });

  test("indistinguishable things are not a question", () => {
    expect(action("take copper coin", stateWith(coppersHere))).toEqual({ kind: "take", items: ["copper1"] });
  });

  test("not in scope", () => {
    expect(message("take the golden unicorn")).toBe("You don't see any golden unicorn here.");
    expect(message("drop unicorn")).toBe("You don't see any unicorn here.");
    expect(message("x cloak")).toBe("You don't see any cloak here.");
    expect(action("x cloak", stateWith(inMarket))).toEqual({ kind: "examine", target: item("cloak") });
  });

  test("the wrong kind of thing for a verb", () => {
    expect(message("take guard")).toBe("You can't take the guard.");
    expect(message("eat fountain")).toBe("You can't eat the fountain.");
    expect(message("attack sword")).toBe("You can't attack the sword.");
    expect(message("talk to the lever")).toBe("You can't talk to the lever.");
    expect(message("give map to chest")).toBe("You can't give things to the wooden chest.");
    expect(message("put dagger in guard")).toBe("You can't put things in the guard.");
    expect(message("take all from guard")).toBe("You can't take things from the guard.");
    expect(action("talk to Mara", stateWith(inTavern))).toEqual({ kind: "talk", npc: "mara" });
  });
});

describe("pronouns", () => {
  test("it refers to the last thing resolved", () => {
    const [a, b, c] = session(["x sword", "take it", "wield it"]);
    expect(a?.memory.it).toEqual(item("sword"));
    expect(b).toMatchObject({ type: "action", action: { kind: "take", items: ["sword"] } });
    expect(c).toMatchObject({ type: "action", action: { kind: "wear", item: "sword" } });
  });

  test("him, her and them", () => {
    const [, him] = session(["x guard", "attack him"]);
    expect(him).toMatchObject({ type: "action", action: { kind: "attack", npc: "guard" } });
    const [, her] = session(["x Mara", "talk to her"], stateWith(inTavern));
    expect(her).toMatchObject({ type: "action", action: { kind: "talk", npc: "mara" } });
    const [, them] = session(["x wine", "drink them"]);
    expect(them).toMatchObject({ type: "action", action: { kind: "drink", item: "wine" } });
  });

  test("it follows the main object of two-object commands", () => {
    const [unlocked, opened] = session(["unlock strongbox with rusty key", "open it"]);
    expect(unlocked?.memory.it).toEqual(item("strongbox"));
    expect(opened).toMatchObject({ type: "action", action: { kind: "open", target: item("strongbox") } });
    const [, closed] = session(["put dagger in chest", "close it"]);
    expect(closed).toMatchObject({ type: "action", action: { kind: "close", target: item("chest") } });
    const [, through] = session(["x oak door", "go through it"]);
    expect(through).toMatchObject({ type: "action", action: go("north") });
  });

  test("it with nothing remembered, or gone from sight", () => {
    expect(message("take it")).toBe("I'm not sure what \"it\" refers to.");
    const s = stateWith(remembering({ it: item("cloak") }));
    expect(message("take it", s)).toBe("You don't see the grey cloak here.");
  });

  test("a failed command keeps the old it", () => {
    const [, failed] = session(["x sword", "take unicorn"]);
    expect(failed?.memory.it).toEqual(item("sword"));
  });
});

describe("take, drop and put", () => {
  const cases: [string, Action][] = [
    ["take sword", { kind: "take", items: ["sword"] }],
    ["get sword", { kind: "take", items: ["sword"] }],
    ["pick up sword", { kind: "take", items: ["sword"] }],
    ["pick sword up", { kind: "take", items: ["sword"] }],
    ["pick up the sword", { kind: "take", items: ["sword"] }],
    ["grab the helmet", { kind: "take", items: ["helmet"] }],
    ["take all", { kind: "take", items: ["rusty_key", "brass_key", "sword", "helmet", "apple", "wine", "scroll"] }],
    ["take everything", { kind: "take", items: ["rusty_key", "brass_key", "sword", "helmet", "apple", "wine", "scroll"] }],
    ["take all but the sword", { kind: "take", items: ["rusty_key", "brass_key", "helmet", "apple", "wine", "scroll"] }],
    ["take everything except the keys", { kind: "take", items: ["sword", "helmet", "apple", "wine", "scroll"] }],
    ["take all keys", { kind: "take", items: ["rusty_key", "brass_key"] }],
    ["take keys", { kind: "take", items: ["rusty_key", "brass_key"] }],
    ["take all from chest", { kind: "take", items: ["gold_coin", "silver_coin"], from: "chest" }],
    ["take everything out of the box", { kind: "take", items: ["gold_coin", "silver_coin"], from: "chest" }],
    ["take the gold coin from the chest", { kind: "take", items: ["gold_coin"], from: "chest" }],
    ["get silver coin out of the trunk", { kind: "take", items: ["silver_coin"], from: "chest" }],
    ["take lamp off the table", { kind: "take", items: ["lantern"], from: "table" }],
    ["take lamp off of table", { kind: "take", items: ["lantern"], from: "table" }],
    ["take all from table", { kind: "take", items: ["lantern"], from: "table" }],
    ["take coins from chest", { kind: "take", items: ["gold_coin", "silver_coin"], from: "chest" }],
    ["take sword and helmet", { kind: "take", items: ["sword", "helmet"] }],
    ["take rusty key, sword", { kind: "take", items: ["rusty_key", "sword"] }],
    ["take sword, helmet and apple", { kind: "take", items: ["sword", "helmet", "apple"] }],
    ["take sword, helmet, and apple", { kind: "take", items: ["sword", "helmet", "apple"] }],
    ["take sword and sword", { kind: "take", items: ["sword"] }],
    ["take bread and butter", { kind: "take", items: ["bread"] }],
    ["take gold coin", { kind: "take", items: ["gold_coin"] }],
    ["take lamp", { kind: "take", items: ["lantern"] }],
    ["drop dagger", { kind: "drop", items: ["dagger"] }],
    ["discard the old map", { kind: "drop", items: ["map"] }],
    ["drop all", { kind: "drop", items: ["bread", "dagger", "map"] }],
    ["drop everything", { kind: "drop", items: ["bread", "dagger", "map"] }],
    ["drop dagger and map", { kind: "drop", items: ["dagger", "map"] }],
    ["put down the map", { kind: "drop", items: ["map"] }],
    ["put the map down", { kind: "drop", items: ["map"] }],
    ["put dagger in chest", { kind: "put", item: "dagger", container: "chest", preposition: "in" }],
    ["put dagger into box", { kind: "put", item: "dagger", container: "chest", preposition: "in" }],
    ["put the dagger inside the trunk", { kind: "put", item: "dagger", container: "chest", preposition: "in" }],
    ["put dagger in to chest", { kind: "put", item: "dagger", container: "chest", preposition: "in" }],
    ["insert map in chest", { kind: "put", item: "map", container: "chest", preposition: "in" }],
    ["put map on table", { kind: "put", item: "map", container: "table", preposition: "on" }],
    ["place the map onto the table", { kind: "put", item: "map", container: "table", preposition: "on" }],
    ["put map on top of table", { kind: "put", item: "map", container: "table", preposition: "on" }],
  ];
  test.each(cases)("%s", (input, expected) => {
    expect(action(input)).toEqual(expected);
  });

  test("'take the coin from the chest' asks which coin when there are two", () => {
    const [q, a] = session(["take the coin from the chest", "silver"]);
    expect(q).toMatchObject({ type: "clarify", question: "Which do you mean, the gold coin or the silver coin?" });
    expect(a).toMatchObject({ type: "action", action: { kind: "take", items: ["silver_coin"], from: "chest" } });
    const one = stateWith((s) => { s.items.silver_coin!.at = { nowhere: true }; });
    expect(action("take the coin from the chest", one)).toEqual({ kind: "take", items: ["gold_coin"], from: "chest" });
  });

  test("'take key, sword' asks about the key first", () => {
    const r = parse(world, stateWith(), "take key, sword");
    expect(r).toMatchObject({ type: "clarify", memory: { pending: { command: "take #? , sword", word: "key" } } });
  });

  test("things that cannot be taken in bulk, or are not there", () => {
    expect(message("take all", stateWith(inMarket, (s) => { s.items.cloak!.at = { player: true }; }))).toBe("There is nothing here to take.");
    expect(message("drop all", stateWith((s) => { for (const id of ["bread", "dagger", "map"]) s.items[id]!.at = { room: "market" }; }))).toBe("You aren't carrying anything.");
    expect(message("take ruby from strongbox")).toBe("The strongbox is closed.");
    expect(message("take sword from chest")).toBe("There is no sword in the wooden chest.");
    expect(message("take all from chest", stateWith((s) => { s.items.gold_coin!.at = { nowhere: true }; s.items.silver_coin!.at = { nowhere: true }; })))
      .toBe("There is nothing in the wooden chest to take.");
    expect(message("put all in chest")).toBe("You can only put one thing at a time.");
    expect(message("put dagger and map in chest")).toBe("You can only put one thing at a time.");
    expect(message("put dagger")).toBe("Where do you want to put the rusty dagger?");
    expect(message("take")).toBe("What do you want to take?");
    expect(message("take from chest")).toBe("What do you want to take?");
    expect(action("take sword and")).toEqual({ kind: "take", items: ["sword"] });
  });
});

describe("doors, containers and locks", () => {
  const cases: [string, Action][] = [
    ["open chest", { kind: "open", target: item("chest") }],
    ["open the oak door", { kind: "open", target: { door: "tavern_door" } }],
    ["open door", { kind: "open", target: { door: "tavern_door" } }],
    ["close chest", { kind: "close", target: item("chest") }],
    ["shut the door", { kind: "close", target: { door: "tavern_door" } }],
    ["close gate", { kind: "close", target: { door: "iron_gate" } }],
    ["lock strongbox", { kind: "lock", target: item("strongbox") }],
    ["lock the strongbox with the rusty key", { kind: "lock", target: item("strongbox"), key: "rusty_key" }],
    ["unlock strongbox", { kind: "unlock", target: item("strongbox") }],
    ["unlock strongbox with rusty key", { kind: "unlock", target: item("strongbox"), key: "rusty_key" }],
    ["unlock the gate with the brass key", { kind: "unlock", target: { door: "iron_gate" }, key: "brass_key" }],
    ["unlock gate using shiny key", { kind: "unlock", target: { door: "iron_gate" }, key: "brass_key" }],
    ["open gate with brass key", { kind: "unlock", target: { door: "iron_gate" }, key: "brass_key" }],
  ];
  test.each(cases)("%s", (input, expected) => {
    expect(action(input)).toEqual(expected);
  });

  test("a closed container's contents can be named once it is open", () => {
    const open = stateWith((s) => { s.items.strongbox!.closed = false; });
    expect(action("take ruby from strongbox", open)).toEqual({ kind: "take", items: ["ruby"], from: "strongbox" });
    expect(action("take ruby", open)).toEqual({ kind: "take", items: ["ruby"] });
  });
});

describe("inventory, waiting, help", () => {
  const cases: [string, Action][] = [
    ["i", { kind: "inventory" }], ["inv", { kind: "inventory" }], ["inventory", { kind: "inventory" }],
    ["I", { kind: "inventory" }], ["take inventory", { kind: "inventory" }], ["check inventory", { kind: "inventory" }],
    ["wait", { kind: "wait", minutes: 10 }], ["z", { kind: "wait", minutes: 10 }], ["Z", { kind: "wait", minutes: 10 }],
    ["wait 30", { kind: "wait", minutes: 30 }], ["wait 30 minutes", { kind: "wait", minutes: 30 }],
    ["wait for 5 min", { kind: "wait", minutes: 5 }], ["wait 2 hours", { kind: "wait", minutes: 120 }],
    ["wait 2h", { kind: "wait", minutes: 120 }], ["wait an hour", { kind: "wait", minutes: 60 }],
    ["wait half an hour", { kind: "wait", minutes: 30 }], ["wait ten minutes", { kind: "wait", minutes: 10 }],
    ["wait a while", { kind: "wait", minutes: 10 }], ["wait 0", { kind: "wait", minutes: 1 }],
    ["wait 100000", { kind: "wait", minutes: 600 }], ["wait 99 hours", { kind: "wait", minutes: 600 }],
    ["rest", { kind: "wait", minutes: 10 }],
    ["help", { kind: "help" }], ["?", { kind: "help" }], ["commands", { kind: "help" }], ["HELP!", { kind: "help" }],
  ];
  test.each(cases)("%s", (input, expected) => {
    expect(action(input)).toEqual(expected);
  });
});

describe("people", () => {
  const twoHere = stateWith(gateGuardHere);
  const cases: [string, Action, GameState?][] = [
    ["talk to guard", { kind: "talk", npc: "guard" }],
    ["talk to the burly soldier", { kind: "talk", npc: "guard" }],
    ["speak with guard", { kind: "talk", npc: "guard" }],
    ["speak to the guard", { kind: "talk", npc: "guard" }],
    ["greet the guard", { kind: "talk", npc: "guard" }],
    ["talk", { kind: "talk", npc: "guard" }],
    ["talk to the guard about the key", { kind: "talk", npc: "guard", topic: "key" }],
    ["ask guard about the key", { kind: "talk", npc: "guard", topic: "key" }],
    ["ask the guard about the old king", { kind: "talk", npc: "guard", topic: "old king" }],
    ["ask guard for help", { kind: "talk", npc: "guard", topic: "help" }],
    ["ask about key", { kind: "talk", npc: "guard", topic: "key" }],
    ["ask guard", { kind: "talk", npc: "guard" }],
    ["tell guard about the dragon", { kind: "talk", npc: "guard", topic: "dragon" }],
    ["tell me about the key", { kind: "talk", npc: "guard", topic: "key" }],
    ["tell guard hello", { kind: "say", text: "hello", npc: "guard" }],
    ["tell the guard that the bridge is out", { kind: "say", text: "the bridge is out", npc: "guard" }],
    ["say \"Hello there, friend!\"", { kind: "say", text: "Hello there, friend!" }],
    ["say hello", { kind: "say", text: "hello" }],
    ["say Hello to the guard", { kind: "say", text: "Hello", npc: "guard" }],
    ["say I am going to the market", { kind: "say", text: "I am going to the market" }],
    ["shout Help me!", { kind: "say", text: "Help me!" }],
    ["yell fire", { kind: "say", text: "fire" }],
    ["\"Good morning\"", { kind: "say", text: "Good morning" }],
    ["hello", { kind: "say", text: "hello" }],
    ["hello guard", { kind: "say", text: "hello", npc: "guard" }],
    ["thank you", { kind: "say", text: "thank you" }],
    ["give map to guard", { kind: "give", item: "map", npc: "guard" }],
    ["give the old map to the burly guard", { kind: "give", item: "map", npc: "guard" }],
    ["give guard the map", { kind: "give", item: "map", npc: "guard" }],
    ["give guard map", { kind: "give", item: "map", npc: "guard" }],
    ["offer bread to soldier", { kind: "give", item: "bread", npc: "guard" }],
    ["hand the guard the dagger", { kind: "give", item: "dagger", npc: "guard" }],
    ["give map", { kind: "give", item: "map", npc: "guard" }],
    ["show map to guard", { kind: "show", item: "map", npc: "guard" }],
    ["show guard the map", { kind: "show", item: "map", npc: "guard" }],
    ["talk to sentry", { kind: "talk", npc: "gate_guard" }, twoHere],
    ["talk to sleepy guard", { kind: "talk", npc: "gate_guard" }, twoHere],
    ["talk to burly guard", { kind: "talk", npc: "guard" }, twoHere],
    ["talk to mara", { kind: "talk", npc: "mara" }, stateWith(inTavern)],
    ["talk to the innkeeper", { kind: "talk", npc: "mara" }, stateWith(inTavern)],
    ["ask Mara about rooms", { kind: "talk", npc: "mara", topic: "rooms" }, stateWith(inTavern)],
  ];
  test.each(cases)("%s", (input, expected, state) => {
    expect(action(input, state ?? stateWith())).toEqual(expected);
  });

  test("with several people here, who is asked", () => {
    const r = parse(world, stateWith(gateGuardHere), "talk");
    expect(r).toMatchObject({
      type: "clarify",
      question: "Who do you want to talk to, the guard or the gate guard?",
      memory: { pending: { command: "talk #?", candidates: [{ npc: "guard" }, { npc: "gate_guard" }] } },
    });
    const [, answered] = session(["ask about the key", "sleepy"], stateWith(gateGuardHere));
    expect(answered).toMatchObject({ type: "action", action: { kind: "talk", npc: "gate_guard", topic: "key" } });
    const [, given] = session(["give map", "the burly one"], stateWith(gateGuardHere));
    expect(given).toMatchObject({ type: "action", action: { kind: "give", item: "map", npc: "guard" } });
  });

  test("nobody here", () => {
    expect(message("talk", stateWith(guardAway))).toBe("There is no one here.");
    expect(message("say")).toBe("What do you want to say?");
    expect(message("tell")).toBe("Who do you want to tell, and what?");
  });
});

describe("combat and use", () => {
  const cases: [string, Action][] = [
    ["attack guard", { kind: "attack", npc: "guard" }],
    ["kill the guard", { kind: "attack", npc: "guard" }],
    ["hit soldier", { kind: "attack", npc: "guard" }],
    ["fight guard", { kind: "attack", npc: "guard" }],
    ["strike guard", { kind: "attack", npc: "guard" }],
    ["stab guard", { kind: "attack", npc: "guard" }],
    ["punch guard", { kind: "attack", npc: "guard" }],
    ["attack", { kind: "attack", npc: "guard" }],
    ["attack guard with dagger", { kind: "attack", npc: "guard", weapon: "dagger" }],
    ["kill guard with the rusty dagger", { kind: "attack", npc: "guard", weapon: "dagger" }],
    ["hit the guard using the sword", { kind: "attack", npc: "guard", weapon: "sword" }],
    ["stab guard with rusty", { kind: "attack", npc: "guard", weapon: "dagger" }],
    ["use dagger", { kind: "use", item: "dagger" }],
    ["use the lamp", { kind: "use", item: "lantern" }],
    ["use rusty key on strongbox", { kind: "use", item: "rusty_key", target: item("strongbox") }],
    ["use brass key on the gate", { kind: "use", item: "brass_key", target: { door: "iron_gate" } }],
    ["use map with fountain", { kind: "use", item: "map", target: { feature: "fountain", location: "square" } }],
    ["apply bread to guard", { kind: "use", item: "bread", target: { npc: "guard" } }],
  ];
  test.each(cases)("%s", (input, expected) => {
    expect(action(input)).toEqual(expected);
  });

  test("no self-harm by parser", () => {
    expect(message("attack me")).toBe("You think better of it.");
  });
});

describe("eating, drinking, wearing", () => {
  const cases: [string, Action][] = [
    ["eat apple", { kind: "eat", item: "apple" }],
    ["eat the red apple", { kind: "eat", item: "apple" }],
    ["eat bread", { kind: "eat", item: "bread" }],
    ["eat the bread and butter", { kind: "eat", item: "bread" }],
    ["consume apple", { kind: "eat", item: "apple" }],
    ["drink wine", { kind: "drink", item: "wine" }],
    ["quaff the wine", { kind: "drink", item: "wine" }],
    ["drink from the bottle", { kind: "drink", item: "wine" }],
    ["sip wine", { kind: "drink", item: "wine" }],
    ["wear helmet", { kind: "wear", item: "helmet" }],
    ["wear the dented helm", { kind: "wear", item: "helmet" }],
    ["put on helmet", { kind: "wear", item: "helmet" }],
    ["put on the helmet", { kind: "wear", item: "helmet" }],
    ["put the helmet on", { kind: "wear", item: "helmet" }],
    ["don helmet", { kind: "wear", item: "helmet" }],
    ["wield sword", { kind: "wear", item: "sword" }],
    ["equip the sword", { kind: "wear", item: "sword" }],
    ["remove helmet", { kind: "remove", item: "helmet" }],
    ["take off helmet", { kind: "remove", item: "helmet" }],
    ["take off the dented helmet", { kind: "remove", item: "helmet" }],
    ["take helmet off", { kind: "remove", item: "helmet" }],
    ["unequip helmet", { kind: "remove", item: "helmet" }],
    ["unwield dagger", { kind: "remove", item: "dagger" }],
    ["doff helm", { kind: "remove", item: "helmet" }],
    ["remove gold coin from chest", { kind: "take", items: ["gold_coin"], from: "chest" }],
  ];
  test.each(cases)("%s", (input, expected) => {
    expect(action(input)).toEqual(expected);
  });
});

describe("search, manipulate, climb", () => {
  const statue = { feature: "statue", location: "square" };
  const cases: [string, Action][] = [
    ["search", { kind: "search" }],
    ["search here", { kind: "search" }],
    ["search around", { kind: "search" }],
    ["search the room", { kind: "search" }],
    ["search the square", { kind: "search" }],
    ["search for traps", { kind: "search" }],
    ["search chest", { kind: "search", target: item("chest") }],
    ["search the fountain", { kind: "search", target: { feature: "fountain", location: "square" } }],
    ["search under the table", { kind: "search", target: item("table") }],
    ["look under table", { kind: "search", target: item("table") }],
    ["look behind the statue", { kind: "search", target: statue }],
    ["look beneath the fountain", { kind: "search", target: { feature: "fountain", location: "square" } }],
    ["look for the key", { kind: "search" }],
    ["push lever", { kind: "manipulate", verb: "push", target: item("lever") }],
    ["press the lever", { kind: "manipulate", verb: "push", target: item("lever") }],
    ["move lever", { kind: "manipulate", verb: "push", target: item("lever") }],
    ["shove statue", { kind: "manipulate", verb: "push", target: statue }],
    ["pull lever", { kind: "manipulate", verb: "pull", target: item("lever") }],
    ["pull on the lever", { kind: "manipulate", verb: "pull", target: item("lever") }],
    ["yank lever", { kind: "manipulate", verb: "pull", target: item("lever") }],
    ["turn lever", { kind: "manipulate", verb: "turn", target: item("lever") }],
    ["turn on the lamp", { kind: "manipulate", verb: "turn", target: item("lantern") }],
    ["rotate statue", { kind: "manipulate", verb: "turn", target: statue }],
    ["climb", { kind: "climb" }],
    ["climb up", { kind: "climb" }],
    ["climb down", { kind: "climb" }],
    ["climb statue", { kind: "climb", target: statue }],
    ["climb up the statue", { kind: "climb", target: statue }],
    ["climb onto the table", { kind: "climb", target: item("table") }],
    ["scale the well", { kind: "climb", target: { feature: "old well", location: "square" } }],
  ];
  test.each(cases)("%s", (input, expected) => {
    expect(action(input)).toEqual(expected);
  });
});

describe("ambiguity", () => {
  test("asks which, naming the candidates, and remembers the question", () => {
    const r = parse(world, stateWith(), "take key");
    expect(r).toEqual({
      type: "clarify",
      question: "Which do you mean, the rusty key or the brass key?",
      memory: { pending: { command: "take #?", word: "key", candidates: [item("rusty_key"), item("brass_key")] } },
    });
  });

  const answers: [string, string][] = [
    ["rusty", "rusty_key"], ["the rusty one", "rusty_key"], ["rusty key", "rusty_key"], ["iron", "rusty_key"],
    ["brass", "brass_key"], ["the brass one", "brass_key"], ["shiny", "brass_key"], ["the brass key.", "brass_key"],
    ["1", "rusty_key"], ["2", "brass_key"], ["first", "rusty_key"], ["the second one", "brass_key"],
    ["last", "brass_key"], ["either", "rusty_key"],
  ];
  test.each(answers)("answer %s", (answer, id) => {
    const [, r] = session(["take key", answer]);
    expect(r).toMatchObject({ type: "action", action: { kind: "take", items: [id] } });
    expect(r?.memory.pending).toBeUndefined();
    expect(r?.memory.it).toEqual(item(id));
  });

  test("an answer that picks none drops the question and is parsed as a command", () => {
    const [, north] = session(["take key", "n"]);
    expect(north).toMatchObject({ type: "action", action: go("north") });
    expect(north?.memory.pending).toBeUndefined();
    const [, other] = session(["take key", "take sword"]);
    expect(other).toMatchObject({ type: "action", action: { kind: "take", items: ["sword"] } });
    const [, three] = session(["take key", "3"]);
    expect(three).toMatchObject({ type: "unknown" });
    expect(three?.memory.pending).toBeUndefined();
    const [, blank] = session(["take key", ""]);
    expect(blank).toEqual({ type: "empty", memory: {} });
  });

  test("ambiguous second objects, and two questions in one command", () => {
    const [q, a] = session(["unlock strongbox with key", "rusty"]);
    expect(q).toMatchObject({ type: "clarify", memory: { pending: { command: "unlock strongbox with #?" } } });
    expect(a).toMatchObject({ type: "action", action: { kind: "unlock", target: item("strongbox"), key: "rusty_key" } });
    const both = stateWith(carrying("rusty_key"));
    const [q1, q2, done] = session(["put brass in key", "lantern", "brass"], stateWith());
    expect(q1).toMatchObject({ type: "clarify", question: "Which do you mean, the brass key or the brass lantern?" });
    expect(q2).toMatchObject({ type: "clarify", memory: { pending: { command: "put #item:lantern in #?" } } });
    expect(done).toMatchObject({ type: "action", action: { kind: "put", item: "lantern", container: "brass_key" } });
    expect(parse(world, both, "examine key")).toMatchObject({ type: "clarify" });
  });

  test("ambiguity between people", () => {
    const s = stateWith(gateGuardHere);
    const [q, a] = session(["attack guard", "2"], s);
    expect(q).toMatchObject({ type: "clarify", question: "Which do you mean, the guard or the gate guard?" });
    expect(a).toMatchObject({ type: "action", action: { kind: "attack", npc: "gate_guard" } });
  });

  test("names that clash are told apart by an adjective", () => {
    const s = stateWith(coppersHere, (st) => { st.items.copper2!.at = { player: true }; });
    // Carried and in the room, so examine (no preference) would ask, but they are the same: no question.
    expect(action("x copper", s)).toEqual({ kind: "examine", target: item("copper1") });
  });

  test("features can be ambiguous too, and a repeat in another room does not reach back", () => {
    const s = stateWith();
    const [q, a] = session(["x stone", "bench"], s);
    expect(q).toMatchObject({ type: "clarify", question: "Which do you mean, the stone bench or the stone steps?" });
    expect(a).toMatchObject({ type: "action", action: { kind: "examine", target: { feature: "stone bench", location: "square" } } });
    s.player.location = "tavern";
    expect(parse(world, s, "again")).toMatchObject({ type: "unknown", message: "You don't see that here." });
  });

  test("again after an answered question repeats the resolved command", () => {
    const [, , again] = session(["take key", "brass", "again"]);
    expect(again).toMatchObject({ type: "action", action: { kind: "take", items: ["brass_key"] } });
  });

  test("a reference token for something out of scope is refused", () => {
    expect(message("take #item:cloak")).toBe("You don't see that here.");
    expect(message("take #item:constructor")).toBe("You don't see that here.");
    expect(action("take #item:sword")).toEqual({ kind: "take", items: ["sword"] });
  });

  test("a corrupt pending question is ignored", () => {
    const s = stateWith(remembering({ pending: { command: "no marker here", word: "x", candidates: [item("sword")] } }));
    expect(parse(world, s, "1")).toMatchObject({ type: "unknown" });
    const s2 = stateWith(remembering({ pending: { command: "take #?", word: "x", candidates: [item("nonexistent")] } }));
    expect(parse(world, s2, "1")).toMatchObject({ type: "unknown" });
  });
});

describe("again", () => {
  test("g and again repeat the last command, parsed anew", () => {
    const [, a, b] = session(["take sword", "again", "g"]);
    expect(a).toMatchObject({ type: "action", action: { kind: "take", items: ["sword"] }, memory: { lastCommand: "take sword" } });
    expect(b).toMatchObject({ type: "action", action: { kind: "take", items: ["sword"] } });
  });

  test("again is reparsed in the current state", () => {
    const s = stateWith();
    session(["x sword"], s);
    s.items.sword!.at = { room: "market" };
    expect(parse(world, s, "g")).toMatchObject({ type: "unknown", message: "You don't see any sword here." });
  });

  test("lastCommand is the last input that produced an action", () => {
    const rs = session(["n", "xyzzy", "take key", "save", "g"]);
    expect(rs.map((r) => r.memory.lastCommand)).toEqual(["n", "n", "n", "n", "n"]);
    expect(rs[4]).toMatchObject({ type: "action", action: go("north") });
  });

  test("nothing to repeat", () => {
    expect(message("again")).toBe("There is nothing to repeat yet.");
    expect(message("g", stateWith(remembering({ lastCommand: "again" })))).toBe("There is nothing to repeat yet.");
  });
});

describe("meta commands", () => {
  const cases: [string, string, string | undefined][] = [
    ["save", "save", undefined], ["save mygame", "save", "mygame"], ["save My Game", "save", "My Game"],
    ["save game", "save", undefined], ["save as \"slot 2\"", "save", "slot 2"], ["save game as hero", "save", "hero"],
    ["load", "load", undefined], ["load foo", "load", "foo"], ["restore foo", "load", "foo"],
    ["undo", "undo", undefined], ["quit", "quit", undefined], ["q", "quit", undefined], ["Q", "quit", undefined],
    ["restart", "restart", undefined], ["undo please", "undo", undefined],
  ];
  test.each(cases)("%s", (input, command, argument) => {
    const r = parse(world, stateWith(), input);
    expect(r.type).toBe("meta");
    if (r.type !== "meta") return;
    expect(r.command).toBe(command);
    expect(r.argument).toBe(argument);
  });

  test("meta commands keep memory but drop a question", () => {
    const [, r] = session(["x sword", "save"]);
    expect(r?.memory).toEqual({ it: item("sword"), lastCommand: "x sword" });
    const [, q] = session(["take key", "quit"]);
    expect(q?.memory.pending).toBeUndefined();
  });
});

describe("unknown input", () => {
  test("an unknown verb lists what you can do", () => {
    const m = message("xyzzy");
    expect(m).toContain("\"xyzzy\"");
    for (const verb of ["look", "take", "drop", "examine", "inventory", "talk to", "help"]) expect(m).toContain(verb);
    expect(message("dance wildly")).toContain("\"dance\"");
  });

  test("a bare noun asks what to do with it", () => {
    expect(message("sword")).toBe("What do you want to do with the sword?");
    expect(message("key")).toBe("What do you want to do with the key?");
  });

  test("empty input", () => {
    expect(parse(world, stateWith(), "")).toEqual({ type: "empty", memory: {} });
    expect(parse(world, stateWith(), "   \t\n ")).toEqual({ type: "empty", memory: {} });
    expect(parse(world, stateWith(), "\u0000\u0001")).toEqual({ type: "empty", memory: {} });
  });
});

describe("hostile input never throws", () => {
  const hostile = [
    "take " + "a".repeat(100_000),
    "x".repeat(100_000),
    " ".repeat(100_000) + "n",
    "🗝️🔑 take 🔑",
    "take the 🔑",
    "Robert'); DROP TABLE saves;--",
    "'; SELECT * FROM turns; --",
    "?!.,;:",
    "...",
    ",,,,",
    "\"",
    "\"\"",
    "say \"",
    "\u0000\u0007take\u001bkey",
    "take\u2028key",
    "\ud800take",
    "take sword\ud83d",
    "تناول المفتاح",
    "взять ключ",
    "constructor", "__proto__", "take constructor", "take __proto__", "go constructor", "toString", "hasOwnProperty",
    "#item:__proto__", "#feature:99", "#npc:guard", "#?", "take #?",
    "take all but all", "take all except everything", "put in", "put on", "give to", "ask about", "tell about",
    "wait 99999999999999999999", "wait -5", "wait NaN", "say " + "x".repeat(3000),
    "take and and and", "take , , ,", "take it it it", "go to to to", "take key from from from",
    "again again", "g g", "save " + "n".repeat(1000),
  ];
  test.each(hostile.map((h) => [h.length > 40 ? `${h.slice(0, 40)}… (${h.length})` : h, h]))("%s", (_label, input) => {
    const r = parse(world, stateWith(), input);
    expect(["action", "meta", "clarify", "unknown", "empty"]).toContain(r.type);
    expect(ParserMemory.safeParse(r.memory).success).toBe(true);
    if (r.type === "action") expect(Action.safeParse(r.action).success).toBe(true);
    if (r.type === "unknown") expect(r.message).not.toBe("I didn't understand that.");
  });

  test("the message echoes at most what was capped", () => {
    const m = message("take " + "a".repeat(100_000));
    expect(m.length).toBeLessThan(600);
  });

  test("a 100 KB string is cut to the cap before any work", () => {
    const big = "take " + "the rusty key ".repeat(8000);
    const r = parse(world, stateWith(), big);
    expect(["action", "unknown", "clarify"]).toContain(r.type);
  });
});

describe("purity", () => {
  test("parse does not change the state", () => {
    const s = stateWith(remembering({ it: item("sword") }));
    const before = JSON.stringify(s);
    for (const input of ["take all", "take key", "x it", "g", "talk", "go to the tavern"]) parse(world, s, input);
    expect(JSON.stringify(s)).toBe(before);
  });
});

describe("properties", () => {
  const vocabulary = [
    "take", "get", "pick", "up", "drop", "put", "in", "on", "into", "from", "the", "a", "all", "and", ",", "but",
    "key", "rusty", "brass", "sword", "chest", "box", "coin", "gold", "table", "lamp", "guard", "gate", "door",
    "it", "him", "open", "close", "unlock", "lock", "with", "give", "to", "show", "ask", "about", "tell", "say",
    "attack", "use", "eat", "drink", "wear", "remove", "off", "search", "under", "push", "turn", "climb", "wait",
    "30", "again", "g", "help", "save", "load", "undo", "quit", "n", "go", "through", "enter", "exit", "look", "at",
    "x", "i", "1", "2", "first", "one", "\"", "?", "!", "#?", "#item:sword", "🔑", "",
  ];
  const phrase = fc.array(fc.constantFrom(...vocabulary), { maxLength: 8 }).map((ws) => ws.join(" "));
  const anyText = fc.oneof(
    fc.string({ maxLength: 80 }),
    fc.string({ unit: "binary", maxLength: 80 }),
    fc.string({ unit: "grapheme", maxLength: 40 }),
    phrase,
  );

  function valid(r: ParseResult): boolean {
    if (!ParserMemory.safeParse(r.memory).success) return false;
    switch (r.type) {
      case "action": return Action.safeParse(r.action).success;
      case "meta": return ["save", "load", "undo", "quit", "restart"].includes(r.command);
      case "clarify": return r.question.length > 0 && r.memory.pending !== undefined;
      case "unknown": return r.message.length > 0 && r.memory.pending === undefined;
      case "empty": return r.memory.pending === undefined;
    }
  }

  test("random strings never throw and always give a valid result", () => {
    fc.assert(fc.property(anyText, (input) => valid(parse(world, stateWith(), input))), { numRuns: 2000 });
  });

  test("random conversations, memory fed back, stay valid", () => {
    const locations = Object.keys(world.locations);
    fc.assert(fc.property(
      fc.constantFrom(...locations),
      fc.array(anyText, { minLength: 1, maxLength: 8 }),
      (location, inputs) => {
        const s = stateWith(gateGuardHere, (st) => { st.player.location = location; });
        for (const input of inputs) {
          const r = parse(world, s, input);
          if (!valid(r)) return false;
          if (r.type === "unknown" && r.message === "I didn't understand that.") return false;
          s.parser = r.memory;
        }
        return true;
      },
    ), { numRuns: 500 });
  });
});

describe("sentences", () => {
  test.each([
    ["I look around", { kind: "look" }],
    ["let me look", { kind: "look" }],
    ["please go north", { kind: "go", direction: "north" }],
    ["i want to go north", { kind: "go", direction: "north" }],
    ["I wait", { kind: "wait", minutes: 10 }],
  ])("%s", (input, expected) => {
    expect(action(input)).toEqual(expected);
  });

  test("a lone I is still the inventory", () => {
    expect(action("I")).toEqual({ kind: "inventory" });
  });

  test.each(["I creep along the wall and lift his keys", "inventory please now", "help me"])(
    "%s is not read as a command that takes no object",
    (input) => {
      expect(parse(world, stateWith(), input).type).toBe("unknown");
    },
  );
});
