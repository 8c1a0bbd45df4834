import type { Exit, WorldPack } from "./world.js";
import type { EntityRef, GameState, Place } from "./state.js";

/**
 * What the player can perceive and reach from where they stand. Shared by the parser (which
 * words can name what) and by `step` (what an action may touch), so both agree on the world.
 */

export function samePlace(a: Place, b: Place): boolean {
  if ("room" in a) return "room" in b && a.room === b.room;
  if ("player" in a) return "player" in b;
  if ("npc" in a) return "npc" in b && a.npc === b.npc;
  if ("in" in a) return "in" in b && a.in === b.in;
  return "nowhere" in b;
}

export function itemsAt(state: GameState, place: Place): string[] {
  const out: string[] = [];
  // Keys, not entries: this runs for every container in view, and a pair per item adds up.
  const items = state.items;
  for (const id of Object.keys(items)) if (samePlace(items[id]!.at, place)) out.push(id);
  return out;
}

export function inventory(state: GameState): string[] {
  return itemsAt(state, { player: true });
}

export function isCarried(state: GameState, item: string): boolean {
  const at = state.items[item]?.at;
  return at !== undefined && "player" in at;
}

/** Items inside a container whose contents can be seen (open, or a surface). */
function visibleContents(world: WorldPack, state: GameState, container: string, out: string[]): void {
  if (!Object.hasOwn(world.items, container) || !Object.hasOwn(state.items, container)) return;
  const def = world.items[container]?.container;
  const st = state.items[container];
  if (!def || !st || (!def.surface && st.closed)) return;
  for (const id of itemsAt(state, { in: container })) {
    if (state.items[id]?.hidden) continue;
    out.push(id);
    visibleContents(world, state, id, out);
  }
}

/** Items in the room (not hidden), in open containers here or carried, and carried items. */
export function visibleItems(world: WorldPack, state: GameState): string[] {
  const out: string[] = [];
  for (const id of [...itemsAt(state, { room: state.player.location }), ...inventory(state)]) {
    if (state.items[id]?.hidden) continue;
    out.push(id);
    visibleContents(world, state, id, out);
  }
  return out;
}

export function npcsHere(state: GameState): string[] {
  const out: string[] = [];
  for (const [id, npc] of Object.entries(state.npcs)) {
    if (npc.alive && npc.location === state.player.location) out.push(id);
  }
  return out;
}

export function exitRevealed(state: GameState, location: string, exit: Exit): boolean {
  return !exit.hidden || state.revealedExits.includes(`${location}:${exit.direction}`);
}

/** The exits the player knows of where they stand. */
export function exitsHere(world: WorldPack, state: GameState): Exit[] {
  if (!Object.hasOwn(world.locations, state.player.location)) return [];
  const loc = world.locations[state.player.location];
  if (!loc) return [];
  return loc.exits.filter((e) => exitRevealed(state, state.player.location, e));
}

/** Doors on the exits the player knows of here. */
export function doorsHere(world: WorldPack, state: GameState): string[] {
  const out: string[] = [];
  for (const exit of exitsHere(world, state)) if (exit.door && !out.includes(exit.door)) out.push(exit.door);
  return out;
}

/** A short name for anything an EntityRef can point at, for messages. */
export function nameOf(world: WorldPack, ref: EntityRef): string {
  // Ids can come from model output: "constructor" must not find Object.prototype's.
  if ("item" in ref) return (Object.hasOwn(world.items, ref.item) ? world.items[ref.item]?.name : undefined) ?? ref.item;
  if ("npc" in ref) return (Object.hasOwn(world.npcs, ref.npc) ? world.npcs[ref.npc]?.name : undefined) ?? ref.npc;
  if ("door" in ref) return world.doors.find((d) => d.id === ref.door)?.name ?? ref.door;
  return ref.feature;
}
