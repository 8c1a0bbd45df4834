import { z } from "zod";
import {
  CONTENT_KINDS, GameEvent, freeDirection, isGeneratedId, type Condition, type Placement, type RuleAction, type WorldPack,
} from "../game/index.js";

/**
 * Cross-reference checks for a world pack that already matches the schema. The schema can only
 * see one value at a time; these checks see the whole pack, so a typo in an id is caught when the
 * pack loads rather than as a door that silently never opens in the middle of a game.
 */

export interface WorldProblem {
  /** Where the problem is, like "locations.cellar.exits[1].to". */
  path: string;
  message: string;
}

/** Whether a rule's `with` can match a field: single values can, lists and places cannot. */
function matchable(schema: z.core.$ZodType): boolean {
  if (schema instanceof z.ZodOptional || schema instanceof z.ZodDefault) return matchable(schema.unwrap());
  if (schema instanceof z.ZodUnion) return schema.options.every((o) => matchable(o));
  return schema instanceof z.ZodString || schema instanceof z.ZodNumber || schema instanceof z.ZodBoolean
    || schema instanceof z.ZodEnum || schema instanceof z.ZodLiteral;
}

/**
 * The fields of every event kind and whether a rule can match each, read from the event schema so
 * the two never drift apart. `target` holds an EntityRef, and a rule matches the id inside it.
 */
const EVENT_FIELDS: ReadonlyMap<string, ReadonlyMap<string, boolean>> = new Map(
  GameEvent.options.map((o) => [
    o.shape.kind.value,
    new Map(Object.entries(o.shape).filter(([k]) => k !== "kind").map(([k, v]) => [k, k === "target" || matchable(v)])),
  ]),
);

export function pathOf(segments: readonly PropertyKey[]): string {
  let out = "";
  for (const s of segments) {
    if (typeof s === "number") out += `[${s}]`;
    else if (typeof s === "string" && /^[A-Za-z_][\w-]*$/.test(s)) out += out === "" ? s : `.${s}`;
    else out += `[${JSON.stringify(String(s))}]`;
  }
  return out;
}

export function checkWorld(world: WorldPack): WorldProblem[] {
  const problems: WorldProblem[] = [];
  const report = (path: PropertyKey[], message: string): void => {
    problems.push({ path: pathOf(path), message });
  };

  const locations = new Set(Object.keys(world.locations));
  const items = new Set(Object.keys(world.items));
  const npcs = new Set(Object.keys(world.npcs));
  const quests = new Set(Object.keys(world.quests));
  const doors = new Set<string>();
  const features = new Set<string>();
  for (const loc of Object.values(world.locations)) for (const f of Object.keys(loc.features)) features.add(f.toLowerCase());

  world.doors.forEach((door, i) => {
    if (doors.has(door.id)) report(["doors", i, "id"], `door "${door.id}" is declared twice`);
    doors.add(door.id);
    if (door.locked && !door.closed) report(["doors", i, "locked"], "a locked door must also be closed");
    checkKey(["doors", i, "key"], door.key, world, report);
  });

  if (!locations.has(world.player.location)) {
    report(["player", "location"], `the player starts in "${world.player.location}", which is not a location`);
  }

  // Generated content takes its ids from requests ("gen-3-0"); a pack's own id there would block one.
  for (const [kind, record] of [["locations", world.locations], ["items", world.items], ["npcs", world.npcs], ["quests", world.quests]] as const) {
    for (const id of Object.keys(record)) {
      if (isGeneratedId(id)) report([kind, id], `ids like "${id}" are kept for content generated during play`);
    }
  }

  for (const [locId, loc] of Object.entries(world.locations)) {
    if (loc.unexplored && freeDirection(world, locId) === undefined) {
      report(["locations", locId, "unexplored"], "there is no free direction here for the side location to open in");
    }
    const seen = new Set<string>();
    loc.exits.forEach((exit, i) => {
      const at = ["locations", locId, "exits", i];
      if (seen.has(exit.direction)) report([...at, "direction"], `there are two exits ${exit.direction}`);
      seen.add(exit.direction);
      if (!locations.has(exit.to)) report([...at, "to"], `exit leads to "${exit.to}", which is not a location`);
      if (exit.door !== undefined && !doors.has(exit.door)) report([...at, "door"], `door "${exit.door}" is not declared in doors`);
    });
  }

  checkItems(world, report, { locations, items, npcs });
  checkNpcs(world, report, { locations, items });

  for (const [questId, quest] of Object.entries(world.quests)) {
    const stages = new Set<string>();
    quest.stages.forEach((stage, i) => {
      if (stages.has(stage.id)) report(["quests", questId, "stages", i, "id"], `stage "${stage.id}" appears twice in this quest`);
      stages.add(stage.id);
    });
  }

  const declaredVars = new Set(Object.keys(world.variables));
  for (const rule of world.rules) {
    for (const action of rule.then) {
      if ("setVar" in action) declaredVars.add(action.setVar);
      if ("incVar" in action) declaredVars.add(action.incVar);
    }
  }

  const ids = { locations, items, npcs, quests, doors, features, declaredVars };
  const ruleIds = new Set<string>();
  world.rules.forEach((rule, i) => {
    if (ruleIds.has(rule.id)) report(["rules", i, "id"], `rule "${rule.id}" is declared twice`);
    ruleIds.add(rule.id);
    checkCondition(world, ids, rule.when, ["rules", i, "when"], report);
    rule.then.forEach((action, j) => checkAction(world, ids, action, ["rules", i, "then", j], report));
  });

  return problems;
}

type Report = (path: PropertyKey[], message: string) => void;

interface Ids {
  locations: ReadonlySet<string>;
  items: ReadonlySet<string>;
  npcs: ReadonlySet<string>;
  quests: ReadonlySet<string>;
  doors: ReadonlySet<string>;
  features: ReadonlySet<string>;
  declaredVars: ReadonlySet<string>;
}

function checkPlacement(world: WorldPack, ids: Pick<Ids, "locations" | "items" | "npcs">, place: Placement, path: PropertyKey[], report: Report): void {
  if ("room" in place) {
    if (!ids.locations.has(place.room)) report([...path, "room"], `"${place.room}" is not a location`);
  } else if ("npc" in place) {
    if (!ids.npcs.has(place.npc)) report([...path, "npc"], `"${place.npc}" is not an NPC`);
  } else if ("in" in place) {
    if (!ids.items.has(place.in)) report([...path, "in"], `"${place.in}" is not an item`);
    else if (!world.items[place.in]?.container) report([...path, "in"], `"${place.in}" is not a container`);
  }
}

/** Kinds whose behaviour lives in a block of the same name; without it the kind means nothing. */
const KIND_BLOCKS = { weapon: "weapon", armour: "armour", consumable: "consumable", container: "container" } as const;

function checkItems(world: WorldPack, report: Report, ids: Pick<Ids, "locations" | "items" | "npcs">): void {
  const contents = new Map<string, number>();
  for (const [id, item] of Object.entries(world.items)) {
    const at = ["items", id];
    checkPlacement(world, ids, item.at, [...at, "at"], report);
    if ("in" in item.at) contents.set(item.at.in, (contents.get(item.at.in) ?? 0) + 1);
    for (const [kind, block] of Object.entries(KIND_BLOCKS)) {
      if (item.kind === kind && item[block] === undefined) report([...at, block], `an item of kind "${kind}" needs a "${block}" block`);
    }
    if (item.weapon && item.weapon.damage[0] > item.weapon.damage[1]) report([...at, "weapon", "damage"], "the least damage is greater than the most");
    if (item.container) {
      if (item.container.locked && !item.container.closed) report([...at, "container", "locked"], "a locked container must also be closed");
      checkKey([...at, "container", "key"], item.container.key, world, report);
    }
    if (item.kind === "readable" && item.text === undefined) report([...at, "text"], "a readable item needs a text");
  }
  for (const [id, count] of contents) {
    const capacity = world.items[id]?.container?.capacity;
    if (capacity !== undefined && count > capacity) report(["items", id, "container", "capacity"], `${count} items start inside, but it holds only ${capacity}`);
  }
  // An item inside itself (directly or through other containers) would never be reachable.
  const reported = new Set<string>();
  for (const start of Object.keys(world.items)) {
    const chain: string[] = [];
    let current: string | undefined = start;
    while (current !== undefined && !chain.includes(current)) {
      chain.push(current);
      const place: Placement | undefined = world.items[current]?.at;
      current = place && "in" in place ? place.in : undefined;
    }
    if (current === undefined) continue;
    const cycle = chain.slice(chain.indexOf(current));
    if (cycle.some((id) => reported.has(id))) continue;
    for (const id of cycle) reported.add(id);
    report(["items", current, "at", "in"], `items are placed inside each other in a cycle: ${[...cycle, current].join(" -> ")}`);
  }
}

function checkKey(path: PropertyKey[], key: string | undefined, world: WorldPack, report: Report): void {
  if (key === undefined) return;
  const item = world.items[key];
  if (!item) report(path, `key "${key}" is not an item`);
  else if (item.kind !== "key") report(path, `key "${key}" is an item of kind "${item.kind}", not "key"`);
}

function checkNpcs(world: WorldPack, report: Report, ids: Pick<Ids, "locations" | "items">): void {
  for (const [id, npc] of Object.entries(world.npcs)) {
    if (!ids.locations.has(npc.location)) report(["npcs", id, "location"], `"${npc.location}" is not a location`);
    if (npc.damage[0] > npc.damage[1]) report(["npcs", id, "damage"], "the least damage is greater than the most");
    for (const wanted of Object.keys(npc.wants)) {
      if (!ids.items.has(wanted)) report(["npcs", id, "wants", wanted], `"${wanted}" is not an item`);
    }
  }
}

function checkStage(world: WorldPack, quest: string, stage: string | undefined, path: PropertyKey[], report: Report): void {
  const q = world.quests[quest];
  if (!q || stage === undefined) return;
  if (!q.stages.some((s) => s.id === stage)) report(path, `quest "${quest}" has no stage "${stage}"`);
}

function checkCondition(world: WorldPack, ids: Ids, cond: Condition, path: PropertyKey[], report: Report): void {
  const need = (set: ReadonlySet<string>, id: string, field: string, what: string): void => {
    if (!set.has(id)) report([...path, field], `"${id}" is not ${what}`);
  };
  if ("all" in cond) cond.all.forEach((c, i) => checkCondition(world, ids, c, [...path, "all", i], report));
  else if ("any" in cond) cond.any.forEach((c, i) => checkCondition(world, ids, c, [...path, "any", i], report));
  else if ("not" in cond) checkCondition(world, ids, cond.not, [...path, "not"], report);
  else if ("var" in cond) need(ids.declaredVars, cond.var, "var", "a variable (declare it in variables or set it in a rule)");
  else if ("playerAt" in cond) need(ids.locations, cond.playerAt, "playerAt", "a location");
  else if ("has" in cond) need(ids.items, cond.has, "has", "an item");
  else if ("itemAt" in cond) {
    need(ids.items, cond.itemAt, "itemAt", "an item");
    checkPlacement(world, ids, cond.place, [...path, "place"], report);
  } else if ("quest" in cond) {
    need(ids.quests, cond.quest, "quest", "a quest");
    checkStage(world, cond.quest, cond.stage, [...path, "stage"], report);
  } else if ("disposition" in cond) need(ids.npcs, cond.disposition, "disposition", "an NPC");
  else if ("npcAlive" in cond) need(ids.npcs, cond.npcAlive, "npcAlive", "an NPC");
  else if ("npcAt" in cond) {
    need(ids.npcs, cond.npcAt, "npcAt", "an NPC");
    need(ids.locations, cond.location, "location", "a location");
  } else if ("event" in cond) checkEventCondition(world, ids, cond.event, cond.with ?? {}, path, report);
}

function checkEventCondition(
  world: WorldPack, ids: Ids, kind: string, fields: Record<string, unknown>, path: PropertyKey[], report: Report,
): void {
  const known = EVENT_FIELDS.get(kind);
  if (!known) {
    report([...path, "event"], `"${kind}" is not an event kind`);
    return;
  }
  for (const [field, value] of Object.entries(fields)) {
    const at = [...path, "with", field];
    const canMatch = known.get(field);
    if (canMatch === undefined) {
      report(at, `a "${kind}" event has no field "${field}"`);
      continue;
    }
    if (!canMatch) {
      report(at, `the field "${field}" of a "${kind}" event is not a single value, so no rule can match it`);
      continue;
    }
    if (typeof value !== "string") continue;
    const need = (set: ReadonlySet<string>, what: string): void => {
      if (!set.has(value)) report(at, `"${value}" is not ${what}`);
    };
    switch (field) {
      case "item": case "container": case "weapon": case "key":
        need(ids.items, "an item");
        break;
      case "npc":
        need(ids.npcs, "an NPC");
        break;
      case "attacker": case "defender":
        if (value !== "player" && !ids.npcs.has(value)) report(at, `"${value}" is neither "player" nor an NPC`);
        break;
      case "quest":
        need(ids.quests, "a quest");
        break;
      case "stage": {
        const quest = fields.quest;
        if (typeof quest === "string") checkStage(world, quest, value, at, report);
        else if (!Object.values(world.quests).some((q) => q.stages.some((s) => s.id === value))) report(at, `"${value}" is not a stage of any quest`);
        break;
      }
      case "door":
        need(ids.doors, "a door");
        break;
      case "location": case "from": case "to": case "at":
        need(ids.locations, "a location");
        break;
      case "content":
        if (!(CONTENT_KINDS as readonly string[]).includes(value)) report(at, `"${value}" is not a kind of content (${CONTENT_KINDS.join(", ")})`);
        break;
      case "target":
        if (!ids.items.has(value) && !ids.npcs.has(value) && !ids.doors.has(value) && !ids.features.has(value.toLowerCase())) {
          report(at, `"${value}" is not an item, NPC, door or feature`);
        }
        break;
    }
  }
}

function checkAction(world: WorldPack, ids: Ids, action: RuleAction, path: PropertyKey[], report: Report): void {
  const need = (set: ReadonlySet<string>, id: string, field: string, what: string): void => {
    if (!set.has(id)) report([...path, field], `"${id}" is not ${what}`);
  };
  if ("moveNpc" in action) {
    need(ids.npcs, action.moveNpc, "moveNpc", "an NPC");
    need(ids.locations, action.to, "to", "a location");
  } else if ("movePlayer" in action) need(ids.locations, action.movePlayer, "movePlayer", "a location");
  else if ("giveItem" in action) need(ids.items, action.giveItem, "giveItem", "an item");
  else if ("removeItem" in action) need(ids.items, action.removeItem, "removeItem", "an item");
  else if ("placeItem" in action) {
    need(ids.items, action.placeItem, "placeItem", "an item");
    checkPlacement(world, ids, action.at, [...path, "at"], report);
    if ("in" in action.at && action.at.in === action.placeItem) report([...path, "at", "in"], "an item cannot be placed inside itself");
  } else if ("startQuest" in action) need(ids.quests, action.startQuest, "startQuest", "a quest");
  else if ("advanceQuest" in action) {
    need(ids.quests, action.advanceQuest, "advanceQuest", "a quest");
    checkStage(world, action.advanceQuest, action.stage, [...path, "stage"], report);
  } else if ("completeQuest" in action) need(ids.quests, action.completeQuest, "completeQuest", "a quest");
  else if ("changeDisposition" in action) need(ids.npcs, action.changeDisposition, "changeDisposition", "an NPC");
  else if ("revealExit" in action) {
    const loc = world.locations[action.revealExit];
    if (!loc) report([...path, "revealExit"], `"${action.revealExit}" is not a location`);
    else if (!loc.exits.some((e) => e.direction === action.direction)) report([...path, "direction"], `"${action.revealExit}" has no exit ${action.direction}`);
  } else if ("unlockDoor" in action) need(ids.doors, action.unlockDoor, "unlockDoor", "a door");
  else if ("generate" in action && action.at !== undefined) {
    need(ids.locations, action.at, "at", "a location");
    if (action.generate === "location" && ids.locations.has(action.at) && freeDirection(world, action.at) === undefined) {
      report([...path, "at"], `"${action.at}" has no free direction for a side location to open in`);
    }
  }
}
