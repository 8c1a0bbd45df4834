import type { WorldPack } from "./world.js";
import type { GameState } from "./state.js";

/**
 * The world as it stands in this game: the pack plus the content generated during play. Every
 * part of the core takes a WorldPack, so handing it this keeps generated things first-class —
 * they can be taken, talked to and walked into exactly like the pack's own.
 */
export function effectiveWorld(world: WorldPack, state: GameState): WorldPack {
  const c = state.content;
  if (
    c.exits.length === 0 && isEmpty(c.locations) && isEmpty(c.items) && isEmpty(c.npcs) && isEmpty(c.quests)
  ) return world;
  // The same content gives the same world object, so what is cached per world (the parser's
  // lexicon) survives from turn to turn; every step copies the state, so identity cannot be the key.
  const key = JSON.stringify(c);
  const cached = merged.get(world);
  if (cached?.key === key) return cached.world;
  const result = merge(world, c);
  merged.set(world, { key, world: result });
  return result;
}

const merged = new WeakMap<WorldPack, { readonly key: string; readonly world: WorldPack }>();

function merge(world: WorldPack, c: GameState["content"]): WorldPack {
  const locations = { ...world.locations, ...c.locations };
  for (const { from, exit } of c.exits) {
    const loc = locations[from];
    // Skipping a direction already there keeps this idempotent: a world passed through twice is unchanged.
    if (loc && !loc.exits.some((e) => e.direction === exit.direction)) locations[from] = { ...loc, exits: [...loc.exits, exit] };
  }
  return {
    ...world,
    locations,
    items: { ...world.items, ...c.items },
    npcs: { ...world.npcs, ...c.npcs },
    quests: { ...world.quests, ...c.quests },
  };
}

function isEmpty(record: Readonly<Record<string, unknown>>): boolean {
  for (const _ in record) return false;
  return true;
}
