import type { Door, Item, Npc } from "./world.js";
import type { EntityRef } from "./state.js";
import { doorsHere, itemsAt, visibleItems } from "./scope.js";
import { capitalize, outermost, own, refuse, the, type Turn } from "./turn.js";

/**
 * Finding what an action names, and refusing in-world when it is not there. Every id an action
 * carries is checked here, because actions come from parsers and models and are never trusted.
 * Each finder either returns what it found or records a refusal and returns undefined.
 */

export const NOT_HERE = "You don't see that here.";
const NO_ONE_HERE = "You don't see anyone like that here.";

export function isVisible(t: Turn, id: string): boolean {
  return own(t.state.items, id) !== undefined && visibleItems(t.world, t.state).includes(id);
}

/** In the player's hands or in something they carry that they can reach into. */
export function isHeld(t: Turn, id: string): boolean {
  const at = outermost(t.state, id);
  return at !== undefined && "player" in at && isVisible(t, id);
}

export function seeItem(t: Turn, id: string): Item | undefined {
  const def = own(t.world.items, id);
  if (!def || !isVisible(t, id)) {
    refuse(t, "not-here", NOT_HERE);
    return undefined;
  }
  return def;
}

export function holdItem(t: Turn, id: string): Item | undefined {
  const def = seeItem(t, id);
  if (!def) return undefined;
  if (!isHeld(t, id)) {
    refuse(t, "not-carried", `You aren't carrying ${the(def.name)}.`);
    return undefined;
  }
  return def;
}

/**
 * A living NPC in the player's room. When the name is of an item instead, the refusal says so
 * in the caller's words: `notPerson` gets the item's name with its article.
 */
export function meetNpc(
  t: Turn,
  id: string,
  notPerson: { reason: "not-person" | "cannot-attack"; message: (theName: string) => string },
): Npc | undefined {
  const def = own(t.world.npcs, id);
  const st = own(t.state.npcs, id);
  if (!def || !st || st.location !== t.state.player.location) {
    const item = own(t.world.items, id);
    if (item && isVisible(t, id)) refuse(t, notPerson.reason, notPerson.message(the(item.name)));
    else refuse(t, "not-here", NO_ONE_HERE);
    return undefined;
  }
  if (!st.alive) {
    refuse(t, "dead", `${capitalize(the(def.name))} is dead.`);
    return undefined;
  }
  return def;
}

export type Target =
  | { kind: "item"; id: string; def: Item; ref: EntityRef }
  | { kind: "npc"; id: string; def: Npc; alive: boolean; ref: EntityRef }
  | { kind: "door"; id: string; def: Door; ref: EntityRef }
  | { kind: "feature"; name: string; text: string; ref: EntityRef };

export function targetName(target: Target): string {
  return target.kind === "feature" ? the(target.name) : the(target.def.name);
}

/** Anything an EntityRef can name that the player can perceive here; NPCs may be dead. */
export function findTarget(t: Turn, ref: EntityRef): Target | undefined {
  const here = t.state.player.location;
  if ("item" in ref) {
    const def = seeItem(t, ref.item);
    return def && { kind: "item", id: ref.item, def, ref };
  }
  if ("npc" in ref) {
    const def = own(t.world.npcs, ref.npc);
    const st = own(t.state.npcs, ref.npc);
    if (def && st && st.location === here) return { kind: "npc", id: ref.npc, def, alive: st.alive, ref };
    refuse(t, "not-here", NO_ONE_HERE);
    return undefined;
  }
  if ("door" in ref) {
    const def = t.world.doors.find((d) => d.id === ref.door);
    if (def && own(t.state.doors, ref.door) && doorsHere(t.world, t.state).includes(ref.door)) {
      return { kind: "door", id: ref.door, def, ref };
    }
    refuse(t, "not-here", NOT_HERE);
    return undefined;
  }
  const features = own(t.world.locations, here)?.features ?? {};
  const wanted = ref.feature.toLowerCase();
  const name = ref.location === here ? Object.keys(features).find((k) => k.toLowerCase() === wanted) : undefined;
  const text = name === undefined ? undefined : own(features, name);
  if (name === undefined || text === undefined) {
    refuse(t, "not-here", NOT_HERE);
    return undefined;
  }
  return { kind: "feature", name, text, ref: { feature: name, location: here } };
}

/** "a rusty key", "an apple", and proper names as they are. */
export function a(name: string): string {
  const first = name.charAt(0);
  if (first !== first.toLowerCase()) return name;
  return /^[aeiou]/i.test(name) ? `an ${name}` : `a ${name}`;
}

function listNames(names: readonly string[]): string {
  if (names.length <= 1) return names.join("");
  return `${names.slice(0, -1).join(", ")} and ${names[names.length - 1] ?? ""}`;
}

/** Items directly inside a container that the player would see there. */
export function visibleContentsOf(t: Turn, container: string): string[] {
  return itemsAt(t.state, { in: container }).filter((id) => own(t.state.items, id)?.hidden === false);
}

/** What a look inside (or on top of) a container shows. */
export function contentsText(t: Turn, container: string): string {
  const def = own(t.world.items, container)?.container;
  const st = own(t.state.items, container);
  if (!def || !st) return "";
  if (!def.surface && st.closed) return st.locked ? "It is closed and locked." : "It is closed.";
  const names = visibleContentsOf(t, container).map((id) => a(own(t.world.items, id)?.name ?? id));
  if (names.length === 0) return def.surface ? "There is nothing on it." : "It is empty.";
  return `${def.surface ? "On" : "In"} it you see ${listNames(names)}.`;
}
