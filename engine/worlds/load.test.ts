import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { WorldPack, initialState, itemsAt } from "../game/index.js";
import {
  WorldLoadError, builtInWalkthroughPath, builtInWorldPath, checkWorld, loadBuiltInWorld, loadWorldFile, parseWorld, type WorldProblem,
} from "./index.js";

const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

function loadError(file: string): WorldLoadError {
  try {
    loadWorldFile(file);
  } catch (err) {
    if (err instanceof WorldLoadError) return err;
    throw err;
  }
  throw new Error(`${file} loaded without error`);
}

/** The valid fixture, changed by `edit`, and the problems the cross-reference check finds. */
function problemsAfter(edit: (w: WorldPack) => void): WorldProblem[] {
  const world = WorldPack.parse(JSON.parse(readFileSync(fixture("valid.json"), "utf8")));
  edit(world);
  return checkWorld(world);
}

function expectProblem(problems: WorldProblem[], path: string, message: RegExp): void {
  expect(problems, JSON.stringify(problems)).toContainEqual({ path, message: expect.stringMatching(message) });
}

describe("ids", () => {
  it("refuse a name every object already has, so no lookup can find what the world never defined", () => {
    const world = JSON.parse(readFileSync(fixture("valid.json"), "utf8")) as { items: Record<string, unknown> };
    const [first] = Object.values(world.items);
    let error: unknown;
    try {
      parseWorld({ ...world, items: { ...world.items, constructor: first } }, "bad.json");
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(WorldLoadError);
    expect((error as WorldLoadError).message).toMatch(/items\.constructor: "constructor" cannot be an id: every object already has it/);
  });
});

describe("the built-in world", () => {
  it("loads with no problems", () => {
    const world = loadBuiltInWorld();
    expect(checkWorld(world)).toEqual([]);
    expect(world.id).toBe("greyhollow");
  });

  it("has the content a 30-minute game needs", () => {
    const world = loadBuiltInWorld();
    const locations = Object.values(world.locations);
    const items = Object.values(world.items);
    const npcs = Object.values(world.npcs);
    expect(locations.length).toBeGreaterThanOrEqual(12);
    expect(locations.flatMap((l) => l.exits).filter((e) => e.hidden).length).toBeGreaterThanOrEqual(2);
    expect(world.doors.filter((d) => d.locked && d.key).length).toBeGreaterThanOrEqual(2);
    expect(npcs.length).toBeGreaterThanOrEqual(6);
    expect(npcs.some((n) => n.boss)).toBe(true);
    expect(npcs.filter((n) => n.disposition <= -50).length).toBeGreaterThanOrEqual(2);
    for (const npc of npcs) expect(Object.keys(npc.topics).length, npc.name).toBeGreaterThanOrEqual(2);
    expect(items.length).toBeGreaterThanOrEqual(15);
    for (const kind of ["weapon", "armour", "key", "consumable", "container", "readable", "tool", "treasure"] as const) {
      expect(items.some((i) => i.kind === kind), kind).toBe(true);
    }
    expect(items.some((i) => i.consumable?.verb === "eat")).toBe(true);
    expect(items.some((i) => i.consumable?.verb === "drink")).toBe(true);
    expect(items.some((i) => i.container?.locked)).toBe(true);
    expect(items.some((i) => i.container?.surface)).toBe(true);
    const quests = Object.values(world.quests);
    expect(quests.length).toBeGreaterThanOrEqual(2);
    for (const quest of quests) expect(quest.stages.length).toBeGreaterThanOrEqual(3);
    expect(JSON.stringify(world.rules)).toContain('"judge"');
  });

  it("starts in a consistent state", () => {
    const world = loadBuiltInWorld();
    const state = initialState(world, 7);
    expect(state.player.location).toBe("causeway");
    expect(itemsAt(state, { player: true }).sort()).toEqual(["padded_jerkin", "rusty_knife"]);
  });

  it("ships a walkthrough of commands beside it", () => {
    expect(builtInWorldPath()).toMatch(/greyhollow[\\/]world\.json$/);
    const commands = readFileSync(builtInWalkthroughPath(), "utf8").split("\n").filter((l) => l.trim() !== "" && !l.startsWith("#"));
    expect(commands.length).toBeGreaterThan(50);
    expect(commands).toContain("pull rope");
  });
});

describe("loadWorldFile", () => {
  it("loads a valid pack and fills in defaults", () => {
    const world = loadWorldFile(fixture("valid.json"));
    expect(world.doors[0]?.closed).toBe(true);
    expect(world.player.startTime).toBe(8 * 60);
  });

  it("reports a missing file by name", () => {
    const file = fixture("no-such-world.json");
    expect(existsSync(file)).toBe(false);
    const err = loadError(file);
    expect(err.file).toBe(file);
    expect(err.problems).toEqual([{ path: "", message: "the file does not exist" }]);
    expect(err.message).toContain(file);
  });

  it("reports malformed JSON with the file, line and column", () => {
    const err = loadError(fixture("malformed.json"));
    expect(err.problems).toHaveLength(1);
    expect(err.problems[0]?.message).toMatch(/^not valid JSON at line 5, column 1: /);
    expect(err.message).toContain("malformed.json");
  });

  it("reports schema errors with the path of each", () => {
    const err = loadError(fixture("schema-error.json"));
    const paths = err.problems.map((p) => p.path);
    expect(paths).toContain("locations.hall.description");
    expect(paths).toContain("locations.hall.exits[0].direction");
    expect(paths).toContain("npcs.ghost.hp");
    expect(err.message).toMatch(/schema-error\.json/);
    expect(err.message).toMatch(/locations\.hall\.exits\[0\]\.direction: /);
  });

  it("reports dangling references after the schema passes", () => {
    const err = loadError(fixture("dangling.json"));
    expectProblem([...err.problems], "player.location", /nowhere_room/);
    expectProblem([...err.problems], "locations.hall.exits[1].to", /"garden", which is not a location/);
    expectProblem([...err.problems], "locations.hall.exits[1].door", /door "gate" is not declared/);
    expectProblem([...err.problems], "items.lamp.at.room", /"attic" is not a location/);
    expect(err.problems).toHaveLength(4);
  });

  it("reports items placed inside each other", () => {
    const err = loadError(fixture("cycle.json"));
    expect(err.problems.map((p) => p.message)).toEqual([
      expect.stringMatching(/cycle: red_box -> blue_box -> red_box/),
      expect.stringMatching(/cycle: bag -> bag/),
    ]);
  });
});

describe("checkWorld", () => {
  it("accepts exits without a way back", () => {
    expect(problemsAfter(() => undefined)).toEqual([]);
  });

  it("checks exits and doors", () => {
    expectProblem(problemsAfter((w) => { w.locations.hall!.exits[0]!.to = "attic"; }), "locations.hall.exits[0].to", /"attic"/);
    expectProblem(problemsAfter((w) => { w.locations.hall!.exits[0]!.door = "trapdoor"; }), "locations.hall.exits[0].door", /"trapdoor"/);
    expectProblem(problemsAfter((w) => { w.locations.cellar!.exits[1]!.direction = "up"; }), "locations.cellar.exits[1].direction", /two exits up/);
    expectProblem(problemsAfter((w) => { w.doors.push({ ...w.doors[0]! }); }), "doors[1].id", /declared twice/);
    expectProblem(problemsAfter((w) => { w.doors[0]!.closed = false; }), "doors[0].locked", /must also be closed/);
  });

  it("checks that keys are items of kind key", () => {
    expectProblem(problemsAfter((w) => { w.doors[0]!.key = "skeleton_key"; }), "doors[0].key", /"skeleton_key" is not an item/);
    expectProblem(problemsAfter((w) => { w.doors[0]!.key = "sword"; }), "doors[0].key", /kind "weapon", not "key"/);
    expectProblem(problemsAfter((w) => { w.items.box!.container!.key = "box"; }), "items.box.container.key", /kind "container"/);
  });

  it("checks where items start", () => {
    expectProblem(problemsAfter((w) => { w.items.box!.at = { room: "attic" }; }), "items.box.at.room", /not a location/);
    expectProblem(problemsAfter((w) => { w.items.sword!.at = { npc: "king" }; }), "items.sword.at.npc", /"king" is not an NPC/);
    expectProblem(problemsAfter((w) => { w.items.iron_key!.at = { in: "crate" }; }), "items.iron_key.at.in", /"crate" is not an item/);
    expectProblem(problemsAfter((w) => { w.items.iron_key!.at = { in: "sword" }; }), "items.iron_key.at.in", /"sword" is not a container/);
    expectProblem(problemsAfter((w) => { w.items.box!.at = { in: "box" }; }), "items.box.at.in", /cycle: box -> box/);
    expectProblem(problemsAfter((w) => { w.items.box!.container!.capacity = 0; }), "items.box.container.capacity", /holds only 0/);
  });

  it("checks that kinds have their blocks", () => {
    expectProblem(problemsAfter((w) => { delete w.items.sword!.weapon; }), "items.sword.weapon", /kind "weapon" needs a "weapon" block/);
    expectProblem(problemsAfter((w) => { w.items.sword!.weapon!.damage = [5, 2]; }), "items.sword.weapon.damage", /least damage/);
  });

  it("checks NPCs, the player and quests", () => {
    expectProblem(problemsAfter((w) => { w.npcs.guard!.location = "attic"; }), "npcs.guard.location", /not a location/);
    expectProblem(problemsAfter((w) => { w.npcs.guard!.wants = { pie: "Yum." }; }), "npcs.guard.wants.pie", /"pie" is not an item/);
    expectProblem(problemsAfter((w) => { w.player.location = "attic"; }), "player.location", /"attic"/);
    expectProblem(problemsAfter((w) => { w.quests.errand!.stages.push({ id: "one", description: "Again." }); }), "quests.errand.stages[2].id", /appears twice/);
  });

  it("checks the ids in rule conditions", () => {
    const when = (cond: WorldPack["rules"][number]["when"]) => problemsAfter((w) => { w.rules[0]!.when = cond; });
    expectProblem(when({ has: "pie" }), "rules[0].when.has", /"pie" is not an item/);
    expectProblem(when({ playerAt: "attic" }), "rules[0].when.playerAt", /not a location/);
    expectProblem(when({ not: { npcAlive: "king" } }), "rules[0].when.not.npcAlive", /not an NPC/);
    expectProblem(when({ disposition: "king", is: { gt: 0 } }), "rules[0].when.disposition", /not an NPC/);
    expectProblem(when({ npcAt: "guard", location: "attic" }), "rules[0].when.location", /not a location/);
    expectProblem(when({ itemAt: "box", place: { npc: "king" } }), "rules[0].when.place.npc", /not an NPC/);
    expectProblem(when({ quest: "epic" }), "rules[0].when.quest", /not a quest/);
    expectProblem(when({ quest: "errand", stage: "three" }), "rules[0].when.stage", /has no stage "three"/);
    expectProblem(when({ var: "mystery", is: { eq: 1 } }), "rules[0].when.var", /not a variable/);
    expectProblem(when({ any: [{ event: "exploded" }] }), "rules[0].when.any[0].event", /not an event kind/);
    expectProblem(when({ event: "given", with: { colour: "red" } }), "rules[0].when.with.colour", /no field "colour"/);
    expectProblem(when({ event: "given", with: { item: "pie", npc: "king" } }), "rules[0].when.with.item", /not an item/);
    expectProblem(when({ event: "given", with: { item: "pie", npc: "king" } }), "rules[0].when.with.npc", /not an NPC/);
    expectProblem(when({ event: "moved", with: { to: "attic" } }), "rules[0].when.with.to", /not a location/);
    expectProblem(when({ event: "item-moved", with: { to: "hall" } }), "rules[0].when.with.to", /not a single value/);
    expectProblem(when({ event: "npc-died", with: { dropped: "sword" } }), "rules[0].when.with.dropped", /not a single value/);
    expectProblem(when({ event: "manipulated", with: { target: "crank" } }), "rules[0].when.with.target", /not an item, NPC, door or feature/);
    expectProblem(when({ event: "quest-advanced", with: { quest: "errand", stage: "six" } }), "rules[0].when.with.stage", /no stage "six"/);
    expectProblem(when({ event: "attacked", with: { attacker: "dragon" } }), "rules[0].when.with.attacker", /neither "player" nor an NPC/);
    expect(when({ all: [{ event: "manipulated", with: { target: "lever" } }, { judge: "Was the player polite?" }] })).toEqual([]);
  });

  it("checks the ids in rule actions", () => {
    const then = (action: WorldPack["rules"][number]["then"][number]) => problemsAfter((w) => { w.rules[0]!.then = [action]; });
    expectProblem(then({ moveNpc: "guard", to: "attic" }), "rules[0].then[0].to", /not a location/);
    expectProblem(then({ movePlayer: "attic" }), "rules[0].then[0].movePlayer", /not a location/);
    expectProblem(then({ giveItem: "pie" }), "rules[0].then[0].giveItem", /not an item/);
    expectProblem(then({ removeItem: "pie" }), "rules[0].then[0].removeItem", /not an item/);
    expectProblem(then({ placeItem: "box", at: { in: "box" } }), "rules[0].then[0].at.in", /inside itself/);
    expectProblem(then({ startQuest: "epic" }), "rules[0].then[0].startQuest", /not a quest/);
    expectProblem(then({ advanceQuest: "errand", stage: "nine" }), "rules[0].then[0].stage", /no stage "nine"/);
    expectProblem(then({ completeQuest: "epic" }), "rules[0].then[0].completeQuest", /not a quest/);
    expectProblem(then({ changeDisposition: "king", by: 5 }), "rules[0].then[0].changeDisposition", /not an NPC/);
    expectProblem(then({ revealExit: "hall", direction: "west" }), "rules[0].then[0].direction", /no exit west/);
    expectProblem(then({ unlockDoor: "trapdoor" }), "rules[0].then[0].unlockDoor", /not a door/);
    expectProblem(problemsAfter((w) => { w.rules.push({ ...w.rules[0]! }); }), "rules[3].id", /declared twice/);
  });

  it("checks content generation: places, free directions, reserved ids, event fields", () => {
    const then = (action: WorldPack["rules"][number]["then"][number]) => problemsAfter((w) => { w.rules[0]!.then = [action]; });
    expect(then({ generate: "npc" })).toEqual([]);
    expect(then({ generate: "location", at: "cellar", hint: "a root store" })).toEqual([]);
    expectProblem(then({ generate: "item", at: "attic" }), "rules[0].then[0].at", /"attic" is not a location/);
    const crowd = (w: WorldPack): void => {
      w.locations.hall!.exits = ["north", "east", "south", "west", "northeast", "northwest", "southeast", "southwest", "up", "down"]
        .map((direction) => ({ direction: direction as "north", to: "cellar", hidden: false }));
    };
    expectProblem(problemsAfter((w) => { crowd(w); w.rules[0]!.then = [{ generate: "location", at: "hall" }]; }), "rules[0].then[0].at", /no free direction/);
    expectProblem(problemsAfter((w) => { crowd(w); w.locations.hall!.unexplored = {}; }), "locations.hall.unexplored", /no free direction/);
    expect(problemsAfter((w) => { w.locations.cellar!.unexplored = { hint: "a cistern" }; })).toEqual([]);
    expectProblem(problemsAfter((w) => { w.items["gen-1-0"] = w.items.box!; }), "items.gen-1-0", /kept for content generated during play/);
    const when = (cond: WorldPack["rules"][number]["when"]) => problemsAfter((w) => { w.rules[0]!.when = cond; });
    expect(when({ event: "content-added", with: { content: "npc", at: "hall" } })).toEqual([]);
    expectProblem(when({ event: "content-added", with: { content: "dragon" } }), "rules[0].when.with.content", /not a kind of content/);
    expectProblem(when({ event: "content-requested", with: { at: "attic" } }), "rules[0].when.with.at", /not a location/);
  });
});
