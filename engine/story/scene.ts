import {
  exitsHere, inventory, npcsHere, visibleItems,
  type GameState, type WorldPack,
} from "../game/index.js";

/**
 * What the player can perceive right now, as facts for a prompt. Ids are included so a model
 * can name things the engine can check; everything else comes from the world, never from
 * earlier model output, so a prompt cannot be steered by what a model once said.
 */

export interface SceneFacts {
  readonly location: { readonly id: string; readonly name: string; readonly description: string };
  readonly exits: readonly { readonly direction: string; readonly to: string; readonly door?: string }[];
  readonly items: readonly { readonly id: string; readonly name: string }[];
  readonly people: readonly { readonly id: string; readonly name: string; readonly mood: string }[];
  readonly inventory: readonly { readonly id: string; readonly name: string }[];
  readonly hp: string;
  readonly time: string;
}

export function sceneFacts(world: WorldPack, state: GameState): SceneFacts {
  const here = state.player.location;
  const loc = world.locations[here];
  const carried = new Set(inventory(state));
  return {
    location: { id: here, name: loc?.name ?? here, description: loc?.description ?? "" },
    exits: exitsHere(world, state).map((e) => {
      const door = e.door ? state.doors[e.door] : undefined;
      const doorText = door ? (door.locked ? "locked door" : door.closed ? "closed door" : "open door") : undefined;
      return { direction: e.direction, to: world.locations[e.to]?.name ?? e.to, ...(doorText ? { door: doorText } : {}) };
    }),
    items: visibleItems(world, state).filter((id) => !carried.has(id)).map((id) => ({ id, name: world.items[id]?.name ?? id })),
    people: npcsHere(state).map((id) => ({ id, name: world.npcs[id]?.name ?? id, mood: mood(state.npcs[id]?.disposition ?? 0) })),
    inventory: [...carried].map((id) => ({ id, name: world.items[id]?.name ?? id })),
    hp: `${state.player.hp}/${state.player.maxHp}`,
    time: clockText(state.clock),
  };
}

/** The facts as compact lines for a prompt. */
export function sceneText(facts: SceneFacts): string {
  const list = <T,>(xs: readonly T[], f: (x: T) => string) => (xs.length ? xs.map(f).join("; ") : "none");
  return [
    `Location: ${facts.location.name} [${facts.location.id}] — ${facts.location.description}`,
    `Exits: ${list(facts.exits, (e) => `${e.direction} to ${e.to}${e.door ? ` (${e.door})` : ""}`)}`,
    `Things here: ${list(facts.items, (i) => `${i.name} [${i.id}]`)}`,
    `People here: ${list(facts.people, (p) => `${p.name} [${p.id}], ${p.mood}`)}`,
    `Carrying: ${list(facts.inventory, (i) => `${i.name} [${i.id}]`)}`,
    `Health: ${facts.hp}. Time: ${facts.time}.`,
  ].join("\n");
}

/** A word for how an NPC feels about the player, from their disposition. */
export function mood(disposition: number): string {
  if (disposition <= -50) return "hostile";
  if (disposition < -10) return "unfriendly";
  if (disposition <= 10) return "neutral";
  if (disposition < 50) return "friendly";
  return "devoted";
}

function clockText(minutes: number): string {
  const day = Math.floor(minutes / 1440) + 1;
  const h = Math.floor((minutes % 1440) / 60);
  const m = minutes % 60;
  return `day ${day}, ${String(h).padStart(2, "0")}:${String(m).padStart(2, "0")}`;
}
