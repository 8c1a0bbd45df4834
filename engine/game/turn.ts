import type { WorldPack } from "./world.js";
import type { GameState, Place } from "./state.js";
import type { GameEvent, RefusalCode } from "./events.js";
import type { Dice } from "./rng.js";
import { itemsAt } from "./scope.js";

/**
 * One turn in progress: the world, a private copy of the state that the turn may mutate, the dice
 * and the events so far. The action handlers, combat and rules all write through this, so the
 * effects they share (moving items, entering rooms, dying) behave the same whoever causes them.
 */
export interface Turn {
  readonly world: WorldPack;
  readonly state: GameState;
  readonly dice: Dice;
  readonly events: GameEvent[];
}

/** A record lookup that ignores inherited keys, because ids come from players and models ("constructor"). */
export function own<T>(record: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

export function refuse(t: Turn, reason: RefusalCode, message: string): void {
  t.events.push({ kind: "refused", reason, message });
}

/** "the rusty key", but "Mara" for names written as proper nouns. */
export function the(name: string): string {
  const first = name.charAt(0);
  return first !== first.toLowerCase() ? name : `the ${name}`;
}

export function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Where an item finally is when you follow containers outward: a room, the player, an NPC, or nowhere. */
export function outermost(state: GameState, id: string): Place | undefined {
  let at = own(state.items, id)?.at;
  const seen = new Set<string>([id]);
  while (at && "in" in at) {
    if (seen.has(at.in)) return undefined;
    seen.add(at.in);
    at = own(state.items, at.in)?.at;
  }
  return at;
}

/** Whether `inner` sits inside `outer`, at any depth. */
export function isInside(state: GameState, inner: string, outer: string): boolean {
  let at = own(state.items, inner)?.at;
  const seen = new Set<string>();
  while (at && "in" in at) {
    if (at.in === outer) return true;
    if (seen.has(at.in)) return false;
    seen.add(at.in);
    at = own(state.items, at.in)?.at;
  }
  return false;
}

/**
 * Moves an item. Equipment must always be carried directly, so an item that leaves the player's
 * hands stops being worn or wielded, and the player is told.
 */
export function moveItem(t: Turn, id: string, to: Place): void {
  const item = own(t.state.items, id);
  if (!item) return;
  item.at = to;
  if ("player" in to) return;
  const eq = t.state.player.equipment;
  if (eq.weapon === id) {
    delete eq.weapon;
    t.events.push({ kind: "removed", item: id, slot: "weapon" });
  }
  if (eq.armour === id) {
    delete eq.armour;
    t.events.push({ kind: "removed", item: id, slot: "armour" });
  }
}

/** Puts the player in a location and reports what they see, noting a first visit. */
export function enterLocation(t: Turn, to: string): void {
  const first = !t.state.visited.includes(to);
  t.state.player.location = to;
  if (first) t.state.visited.push(to);
  t.events.push({ kind: "location-seen", location: to, first });
}

/** Sets the player's hp (clamped to their maximum) and handles death. */
export function setPlayerHp(t: Turn, hp: number): void {
  const p = t.state.player;
  p.hp = Math.min(hp, p.maxHp);
  if (p.hp <= 0 && p.alive) {
    p.hp = 0;
    p.alive = false;
    t.events.push({ kind: "player-died" });
  }
}

/** An NPC dies where it stands, and everything it carried falls to the floor there. */
export function killNpc(t: Turn, id: string): void {
  const npc = own(t.state.npcs, id);
  if (!npc || !npc.alive) return;
  npc.alive = false;
  npc.hp = 0;
  const dropped = itemsAt(t.state, { npc: id });
  for (const item of dropped) {
    const st = own(t.state.items, item);
    if (!st) continue;
    st.at = { room: npc.location };
    st.hidden = false;
  }
  t.events.push({ kind: "npc-died", npc: id, dropped });
}

export function setDisposition(t: Turn, id: string, to: number): void {
  const npc = own(t.state.npcs, id);
  if (!npc) return;
  const clamped = Math.max(-100, Math.min(100, Math.round(to)));
  if (clamped === npc.disposition) return;
  const from = npc.disposition;
  npc.disposition = clamped;
  t.events.push({ kind: "disposition-changed", npc: id, from, to: clamped });
}
