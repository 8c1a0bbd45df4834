import type { Direction, WorldPack } from "./world.js";
import type { Action } from "./actions.js";
import { copyState, type EntityRef, type GameState } from "./state.js";
import type { GameEvent } from "./events.js";
import { Dice } from "./rng.js";
import { exitsHere, inventory, isCarried, itemsAt, visibleItems } from "./scope.js";
import { minutesFor } from "./clock.js";
import { hostilesAct, playerAttacks } from "./combat.js";
import { runRules, type Verdicts } from "./rules.js";
import { requestUnexplored } from "./content.js";
import {
  contentsText, findTarget, holdItem, isHeld, isVisible, meetNpc, NOT_HERE, seeItem, targetName,
  visibleContentsOf, type Target,
} from "./access.js";
import { capitalize, enterLocation, isInside, moveItem, own, refuse, setDisposition, setPlayerHp, the, type Turn } from "./turn.js";

export interface StepOptions {
  /** Answers to the `judge` questions of rules, keyed by question; see `pendingJudgements`. */
  verdicts?: Verdicts;
}

export interface StepResult {
  state: GameState;
  events: GameEvent[];
}

/** How much a welcome gift warms an NPC to the player. */
export const GIFT_DISPOSITION = 15;

const DEAD_MESSAGE = "You are dead. You can undo, load a saved game or restart.";

/**
 * One turn: the player's action, then (if it took any time) the hostile NPCs' blows, then the
 * world's rules. Pure: the input state is never touched, every roll comes from the state's RNG,
 * and an action that cannot happen is refused in-world rather than thrown.
 */
export function step(world: WorldPack, state: GameState, action: Action, options: StepOptions = {}): StepResult {
  const t: Turn = { world, state: copyState(state), dice: new Dice(state.rng), events: [] };
  t.state.turn += 1;
  const free = action.kind === "look" || action.kind === "inventory" || action.kind === "help";
  if (t.state.player.alive || free) perform(t, action);
  else refuse(t, "player-dead", DEAD_MESSAGE);
  const minutes = minutesFor(action, t.events);
  t.state.clock += minutes;
  // NPCs act in game time: a refusal or a glance around gives them no opening.
  if (minutes > 0) hostilesAct(t);
  runRules(t, options.verdicts);
  // After the rules, so that a place a rule moved the player into is asked about too.
  requestUnexplored(t);
  t.state.rng = t.dice.state;
  return { state: t.state, events: t.events };
}

function perform(t: Turn, action: Action): void {
  switch (action.kind) {
    case "go": return go(t, action.direction);
    case "look":
      t.events.push({ kind: "location-seen", location: t.state.player.location, first: false });
      return;
    case "examine": return examine(t, action.target);
    case "take": return take(t, action.items, action.from);
    case "drop": return drop(t, action.items);
    case "put": return put(t, action.item, action.container);
    case "open": return open(t, action.target);
    case "close": return close(t, action.target);
    case "lock": return lockOrUnlock(t, action.target, action.key, true);
    case "unlock": return lockOrUnlock(t, action.target, action.key, false);
    case "inventory": return listInventory(t);
    case "talk": return talk(t, action.npc, action.topic);
    case "say": return say(t, action.text, action.npc);
    case "give": return give(t, action.item, action.npc);
    case "show": return show(t, action.item, action.npc);
    case "attack": return attack(t, action.npc, action.weapon);
    case "use": return use(t, action.item, action.target);
    case "eat": return consume(t, action.item, "eat");
    case "drink": return consume(t, action.item, "drink");
    case "wear": return wear(t, action.item);
    case "remove": return remove(t, action.item);
    case "search": return search(t, action.target);
    case "manipulate": return manipulate(t, action.verb, action.target);
    case "climb": return climb(t, action.target);
    case "wait":
      t.events.push({ kind: "waited", minutes: action.minutes });
      return;
    case "help":
      t.events.push({ kind: "help-shown" });
      return;
  }
}

function go(t: Turn, direction: Direction): void {
  const exit = exitsHere(t.world, t.state).find((e) => e.direction === direction);
  if (!exit) return refuse(t, "no-exit", "You can't go that way.");
  if (!own(t.world.locations, exit.to)) return refuse(t, "exit-blocked", "The way is blocked.");
  const door = exit.door === undefined ? undefined : own(t.state.doors, exit.door);
  if (exit.door !== undefined && door?.closed) {
    const name = capitalize(the(t.world.doors.find((d) => d.id === exit.door)?.name ?? "door"));
    if (door.locked) return refuse(t, "door-locked", `${name} is locked.`);
    return refuse(t, "door-closed", `${name} is closed.`);
  }
  t.events.push({ kind: "moved", from: t.state.player.location, to: exit.to, direction });
  enterLocation(t, exit.to);
}

function describe(t: Turn, target: Target): string {
  switch (target.kind) {
    case "feature":
      return target.text;
    case "npc":
      return target.alive ? target.def.description : `${target.def.description} ${capitalize(the(target.def.name))} is dead.`;
    case "door": {
      const st = own(t.state.doors, target.id);
      const how = !st?.closed ? "open" : st.locked ? "closed and locked" : "closed";
      return `${capitalize(the(target.def.name))} is ${how}.`;
    }
    case "item": {
      const parts = [target.def.description];
      if (target.def.text !== undefined) parts.push(`It reads: "${target.def.text}"`);
      if (target.def.container) parts.push(contentsText(t, target.id));
      return parts.join(" ");
    }
  }
}

function examine(t: Turn, ref: EntityRef): void {
  const target = findTarget(t, ref);
  if (target) t.events.push({ kind: "examined", target: target.ref, text: describe(t, target) });
}

function take(t: Turn, items: readonly string[], from: string | undefined): void {
  if (from !== undefined) {
    const container = seeItem(t, from);
    if (!container) return;
    if (!container.container) return refuse(t, "not-container", `There is nothing in ${the(container.name)}.`);
    if (!container.container.surface && own(t.state.items, from)?.closed) {
      return refuse(t, "container-closed", `${capitalize(the(container.name))} is closed.`);
    }
  }
  for (const id of new Set(items)) {
    const def = own(t.world.items, id);
    const st = own(t.state.items, id);
    if (!def || !st || !isVisible(t, id)) {
      refuse(t, "not-here", NOT_HERE);
      continue;
    }
    if (isCarried(t.state, id)) {
      refuse(t, "already-carried", `You already have ${the(def.name)}.`);
      continue;
    }
    const source = "in" in st.at ? st.at.in : undefined;
    if (from !== undefined && source !== from) {
      refuse(t, "not-here", `${capitalize(the(def.name))} isn't there.`);
      continue;
    }
    if (!def.portable) {
      refuse(t, "not-portable", `You can't take ${the(def.name)}.`);
      continue;
    }
    moveItem(t, id, { player: true });
    t.events.push({ kind: "taken", item: id, ...(source === undefined ? {} : { from: source }) });
  }
}

function drop(t: Turn, items: readonly string[]): void {
  for (const id of new Set(items)) {
    if (!holdItem(t, id)) continue;
    moveItem(t, id, { room: t.state.player.location });
    t.events.push({ kind: "dropped", item: id });
  }
}

function put(t: Turn, item: string, container: string): void {
  const def = holdItem(t, item);
  if (!def) return;
  const cdef = seeItem(t, container);
  if (!cdef) return;
  const box = cdef.container;
  if (!box) return refuse(t, "not-container", `You can't put anything in ${the(cdef.name)}.`);
  const preposition = box.surface ? "on" : "in";
  if (item === container) return refuse(t, "inside-itself", `You can't put ${the(def.name)} ${preposition} itself.`);
  if (isInside(t.state, container, item)) {
    return refuse(t, "inside-itself", `${capitalize(the(cdef.name))} is inside ${the(def.name)}.`);
  }
  if (!box.surface && own(t.state.items, container)?.closed) {
    return refuse(t, "container-closed", `${capitalize(the(cdef.name))} is closed.`);
  }
  let load = def.weight;
  for (const other of itemsAt(t.state, { in: container })) {
    if (other !== item) load += own(t.world.items, other)?.weight ?? 0;
  }
  if (load > box.capacity) {
    return refuse(t, "too-full", `There's no room for ${the(def.name)} ${preposition} ${the(cdef.name)}.`);
  }
  moveItem(t, item, { in: container });
  t.events.push({ kind: "put", item, container, preposition });
}

function open(t: Turn, ref: EntityRef): void {
  const target = findTarget(t, ref);
  if (!target) return;
  const name = targetName(target);
  if (target.kind === "door") {
    const st = own(t.state.doors, target.id);
    if (!st) return;
    if (!st.closed) return refuse(t, "already-open", `${capitalize(name)} is already open.`);
    if (st.locked) return refuse(t, "door-locked", `${capitalize(name)} is locked.`);
    st.closed = false;
    t.events.push({ kind: "opened", target: target.ref, revealed: [] });
    return;
  }
  const st = target.kind === "item" ? own(t.state.items, target.id) : undefined;
  if (target.kind !== "item" || !st || !target.def.container || target.def.container.surface) {
    return refuse(t, "not-openable", `You can't open ${name}.`);
  }
  if (!st.closed) return refuse(t, "already-open", `${capitalize(name)} is already open.`);
  if (st.locked) return refuse(t, "container-locked", `${capitalize(name)} is locked.`);
  st.closed = false;
  t.events.push({ kind: "opened", target: target.ref, revealed: visibleContentsOf(t, target.id) });
}

function close(t: Turn, ref: EntityRef): void {
  const target = findTarget(t, ref);
  if (!target) return;
  const name = targetName(target);
  const st =
    target.kind === "door" ? own(t.state.doors, target.id)
    : target.kind === "item" && target.def.container && !target.def.container.surface ? own(t.state.items, target.id)
    : undefined;
  if (!st) return refuse(t, "not-openable", `You can't close ${name}.`);
  if (st.closed) return refuse(t, "already-closed", `${capitalize(name)} is already closed.`);
  st.closed = true;
  t.events.push({ kind: "closed", target: target.ref });
}

/** The key a lock takes, and the mutable open/locked state it guards, if the target has a lock. */
function lockOf(t: Turn, target: Target): { key: string; st: { closed?: boolean; locked?: boolean } } | undefined {
  if (target.kind === "door") {
    const st = own(t.state.doors, target.id);
    return target.def.key !== undefined && st ? { key: target.def.key, st } : undefined;
  }
  if (target.kind === "item") {
    const st = own(t.state.items, target.id);
    const key = target.def.container?.key;
    return key !== undefined && st ? { key, st } : undefined;
  }
  return undefined;
}

function lockOrUnlock(t: Turn, ref: EntityRef, keyId: string | undefined, locking: boolean): void {
  const target = findTarget(t, ref);
  if (!target) return;
  const name = targetName(target);
  const lock = lockOf(t, target);
  if (!lock) return refuse(t, "not-lockable", `${capitalize(name)} has no lock.`);
  if (locking && lock.st.locked) return refuse(t, "already-locked", `${capitalize(name)} is already locked.`);
  if (!locking && !lock.st.locked) return refuse(t, "already-unlocked", `${capitalize(name)} isn't locked.`);
  if (locking && !lock.st.closed) return refuse(t, "not-closed", `You'll need to close ${name} first.`);
  let key = keyId;
  if (key === undefined) {
    if (!isHeld(t, lock.key)) return refuse(t, "no-key", `You have no key that fits ${name}.`);
    key = lock.key;
  } else {
    const keyDef = holdItem(t, key);
    if (!keyDef) return;
    if (key !== lock.key) return refuse(t, "wrong-key", `${capitalize(the(keyDef.name))} doesn't fit ${name}.`);
  }
  lock.st.locked = locking;
  t.events.push({ kind: locking ? "locked" : "unlocked", target: target.ref, key });
}

function listInventory(t: Turn): void {
  const { weapon, armour } = t.state.player.equipment;
  t.events.push({
    kind: "inventory-listed",
    items: inventory(t.state).filter((id) => own(t.state.items, id)?.hidden === false),
    ...(weapon === undefined ? {} : { weapon }),
    ...(armour === undefined ? {} : { armour }),
  });
}

function words(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

/** The topic key all of whose words the question uses (plurals allowed), preferring the most specific. */
function matchTopic(topics: Readonly<Record<string, string>>, topic: string): { key: string; line: string } | undefined {
  const asked = words(topic);
  let best: { key: string; line: string; size: number } | undefined;
  for (const [key, line] of Object.entries(topics)) {
    const need = words(key);
    const all = need.length > 0 && need.every((k) => asked.some((w) => w === k || w === `${k}s` || k === `${w}s`));
    if (all && (!best || need.length > best.size)) best = { key, line, size: need.length };
  }
  return best;
}

const NOT_A_PERSON = { reason: "not-person", message: (name: string) => `${capitalize(name)} can't hear you.` } as const;
const NOT_A_FOE = { reason: "cannot-attack", message: (name: string) => `Attacking ${name} would achieve nothing.` } as const;

function talk(t: Turn, npc: string, topic: string | undefined): void {
  const def = meetNpc(t, npc, NOT_A_PERSON);
  if (!def) return;
  if (topic === undefined || words(topic).length === 0) {
    t.events.push({ kind: "npc-spoke", npc, line: def.greeting });
    return;
  }
  // A known topic is reported by its key, so rules can match "ask about the lost ring" as `topic: "ring"`.
  const known = matchTopic(def.topics, topic);
  t.events.push({ kind: "npc-spoke", npc, topic: known?.key ?? topic, line: known?.line ?? def.unknownTopic });
}

function say(t: Turn, text: string, npc: string | undefined): void {
  if (npc !== undefined && !meetNpc(t, npc, NOT_A_PERSON)) return;
  t.events.push({ kind: "player-said", text, ...(npc === undefined ? {} : { npc }) });
}

function give(t: Turn, item: string, npc: string): void {
  if (!holdItem(t, item)) return;
  const def = meetNpc(t, npc, NOT_A_PERSON);
  if (!def) return;
  const line = own(def.wants, item);
  if (line === undefined) {
    t.events.push({ kind: "given", item, npc, accepted: false });
    return;
  }
  moveItem(t, item, { npc });
  t.events.push({ kind: "given", item, npc, accepted: true });
  setDisposition(t, npc, (own(t.state.npcs, npc)?.disposition ?? 0) + GIFT_DISPOSITION);
  t.events.push({ kind: "npc-spoke", npc, line });
}

function show(t: Turn, item: string, npc: string): void {
  if (!seeItem(t, item) || !meetNpc(t, npc, NOT_A_PERSON)) return;
  t.events.push({ kind: "shown", item, npc });
}

function attack(t: Turn, npc: string, weapon: string | undefined): void {
  if (!meetNpc(t, npc, NOT_A_FOE)) return;
  if (weapon !== undefined) {
    const def = holdItem(t, weapon);
    if (!def) return;
    if (!def.weapon) return refuse(t, "cannot-attack", `${capitalize(the(def.name))} is no use as a weapon.`);
  }
  playerAttacks(t, npc, weapon ?? t.state.player.equipment.weapon);
}

function use(t: Turn, item: string, ref: EntityRef | undefined): void {
  const def = seeItem(t, item);
  if (!def) return;
  let target: Target | undefined;
  if (ref !== undefined) {
    if (def.kind === "key" && ("door" in ref || "item" in ref)) return lockOrUnlock(t, ref, item, false);
    if (def.weapon && "npc" in ref) return attack(t, ref.npc, item);
    target = findTarget(t, ref);
    if (!target) return;
  }
  if (def.consumable) return consume(t, item, def.consumable.verb);
  t.events.push({
    kind: "used",
    item,
    ...(target === undefined ? {} : { target: target.ref }),
    text: def.onManipulate ?? "Nothing obvious happens.",
  });
}

function consume(t: Turn, item: string, verb: "eat" | "drink"): void {
  const def = seeItem(t, item);
  if (!def) return;
  if (def.consumable?.verb !== verb) {
    return refuse(t, verb === "eat" ? "not-edible" : "not-drinkable", `You can't ${verb} ${the(def.name)}.`);
  }
  // Fixed things (a spring, a barrel) can be drunk from again and again; portable ones are used up.
  if (def.portable) {
    const st = own(t.state.items, item);
    if (st) for (const inner of itemsAt(t.state, { in: item })) moveItem(t, inner, st.at);
    moveItem(t, item, { nowhere: true });
  }
  const p = t.state.player;
  const before = p.hp;
  const hp = Math.max(0, Math.min(p.maxHp, before + def.consumable.heal));
  t.events.push({
    kind: "consumed",
    item,
    verb,
    healed: hp - before,
    ...(def.consumable.message === undefined ? {} : { message: def.consumable.message }),
  });
  setPlayerHp(t, hp);
}

function wear(t: Turn, item: string): void {
  const def = holdItem(t, item);
  if (!def) return;
  const slot = def.weapon ? "weapon" : def.armour ? "armour" : undefined;
  if (!slot) return refuse(t, "not-wearable", `You can't wear ${the(def.name)}.`);
  const eq = t.state.player.equipment;
  if (eq[slot] === item) {
    return refuse(t, "already-worn", `You are already ${slot === "weapon" ? "wielding" : "wearing"} ${the(def.name)}.`);
  }
  moveItem(t, item, { player: true });
  const previous = eq[slot];
  if (previous !== undefined) t.events.push({ kind: "removed", item: previous, slot });
  eq[slot] = item;
  t.events.push({ kind: "worn", item, slot });
}

function remove(t: Turn, item: string): void {
  const def = seeItem(t, item);
  if (!def) return;
  const eq = t.state.player.equipment;
  const slot = eq.weapon === item ? "weapon" : eq.armour === item ? "armour" : undefined;
  if (!slot) return refuse(t, "not-worn", `You aren't wearing ${the(def.name)}.`);
  delete eq[slot];
  t.events.push({ kind: "removed", item, slot });
}

/** Reveals what is hidden in the room, on its surfaces and in its open containers, and its hidden exits. */
function searchRoom(t: Turn, target: EntityRef | undefined): void {
  const here = t.state.player.location;
  const loc = own(t.world.locations, here);
  const reachable = new Set(visibleItems(t.world, t.state));
  const found: string[] = [];
  for (const [id, st] of Object.entries(t.state.items)) {
    if (!st.hidden) continue;
    const inRoom = "room" in st.at && st.at.room === here;
    const inOpen = "in" in st.at && reachable.has(st.at.in) && openToView(t, st.at.in);
    if (inRoom || inOpen) found.push(id);
  }
  for (const id of found) {
    const st = own(t.state.items, id);
    if (st) st.hidden = false;
  }
  const revealedExits: Direction[] = [];
  for (const exit of loc?.exits ?? []) {
    const key = `${here}:${exit.direction}`;
    if (!exit.hidden || t.state.revealedExits.includes(key)) continue;
    t.state.revealedExits.push(key);
    revealedExits.push(exit.direction);
  }
  const nothing = found.length === 0 && revealedExits.length === 0;
  const text = loc?.searchText ?? (nothing ? "You find nothing of interest." : undefined);
  t.events.push({
    kind: "searched",
    ...(target === undefined ? {} : { target }),
    ...(text === undefined ? {} : { text }),
    found,
    revealedExits,
  });
}

function openToView(t: Turn, container: string): boolean {
  const box = own(t.world.items, container)?.container;
  return box !== undefined && (box.surface || own(t.state.items, container)?.closed === false);
}

function search(t: Turn, ref: EntityRef | undefined): void {
  if (ref === undefined) return searchRoom(t, undefined);
  const target = findTarget(t, ref);
  if (!target) return;
  // Searching a fixture of the room (a bookshelf, a door) is searching the room around it.
  if (target.kind === "feature" || target.kind === "door") return searchRoom(t, target.ref);
  if (target.kind === "item" && target.def.container) {
    if (!openToView(t, target.id)) {
      return refuse(t, "container-closed", `${capitalize(the(target.def.name))} is closed.`);
    }
    const found = itemsAt(t.state, { in: target.id }).filter((id) => own(t.state.items, id)?.hidden === true);
    for (const id of found) {
      const st = own(t.state.items, id);
      if (st) st.hidden = false;
    }
    t.events.push({ kind: "searched", target: target.ref, text: contentsText(t, target.id), found, revealedExits: [] });
    return;
  }
  t.events.push({
    kind: "searched",
    target: target.ref,
    text: `You find nothing unusual about ${targetName(target)}.`,
    found: [],
    revealedExits: [],
  });
}

function manipulate(t: Turn, verb: "push" | "pull" | "turn", ref: EntityRef): void {
  const target = findTarget(t, ref);
  if (!target) return;
  const text = target.kind === "item" ? (target.def.onManipulate ?? "Nothing happens.") : "Nothing happens.";
  t.events.push({ kind: "manipulated", verb, target: target.ref, text });
}

function climb(t: Turn, ref: EntityRef | undefined): void {
  const target = ref === undefined ? undefined : findTarget(t, ref);
  if (ref !== undefined && !target) return;
  if (exitsHere(t.world, t.state).some((e) => e.direction === "up")) return go(t, "up");
  const text = target ? `You find no way to climb ${targetName(target)}.` : "There is nothing here to climb.";
  t.events.push({ kind: "climbed", ...(target ? { target: target.ref } : {}), text });
}
