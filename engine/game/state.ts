import { z } from "zod";
import { Direction, Item, Location, Npc, Quest, Exit, Stats, VarValue, type WorldPack } from "./world.js";
import { seedRng, RngState } from "./rng.js";
import { jsonCopy } from "./canonical.js";

/**
 * Everything about a game that changes during play. Plain JSON, so it can be hashed, stored and
 * compared; the schema is the check applied whenever a state crosses a file boundary.
 */

export const Place = z.union([
  z.object({ room: z.string() }),
  z.object({ player: z.literal(true) }),
  z.object({ npc: z.string() }),
  z.object({ in: z.string() }),
  z.object({ nowhere: z.literal(true) }),
]);
export type Place = z.infer<typeof Place>;

export const EntityRef = z.union([
  z.object({ item: z.string() }),
  z.object({ npc: z.string() }),
  z.object({ door: z.string() }),
  z.object({ feature: z.string(), location: z.string() }),
]);
export type EntityRef = z.infer<typeof EntityRef>;

/** What the parser remembers between commands: "it", "again", and a question it asked. */
export const ParserMemory = z.object({
  it: EntityRef.optional(),
  lastCommand: z.string().optional(),
  /** A command waiting for the player to say which one ("Which key do you mean?"). */
  pending: z.object({ command: z.string(), word: z.string(), candidates: z.array(EntityRef) }).optional(),
});
export type ParserMemory = z.infer<typeof ParserMemory>;

export const QuestStatus = z.enum(["active", "completed"]);

/**
 * Content invented during play (by a model or the engine's fallback), in the world pack's own
 * format. The effective world of a game is its pack plus this; see `effectiveWorld`.
 */
export const GeneratedContent = z.object({
  locations: z.record(z.string(), Location),
  items: z.record(z.string(), Item),
  npcs: z.record(z.string(), Npc),
  quests: z.record(z.string(), Quest),
  /** Exits added to existing locations, leading into generated ones. */
  exits: z.array(z.object({ from: z.string(), exit: Exit })),
});
export type GeneratedContent = z.infer<typeof GeneratedContent>;

/**
 * What the storyteller remembers: a running summary of older turns and what each NPC saw and was
 * told. Models write it; the game core carries it along and never reads it.
 */
export const StoryMemory = z.object({
  summary: z.string(),
  /** The last turn the summary covers. */
  summaryTurn: z.number().int().min(0),
  npcNotes: z.record(z.string(), z.array(z.string())),
});
export type StoryMemory = z.infer<typeof StoryMemory>;

export const GameState = z.object({
  schema: z.literal(1),
  worldId: z.string(),
  turn: z.number().int().min(0),
  /** Minutes since midnight of day one. The only clock the game knows. */
  clock: z.number().int().min(0),
  rng: RngState,
  player: z.object({
    name: z.string(),
    location: z.string(),
    hp: z.number().int(),
    maxHp: z.number().int().min(1),
    stats: Stats,
    alive: z.boolean(),
    equipment: z.object({ weapon: z.string().optional(), armour: z.string().optional() }),
  }),
  npcs: z.record(z.string(), z.object({
    location: z.string(),
    hp: z.number().int(),
    disposition: z.number().int().min(-100).max(100),
    alive: z.boolean(),
  })),
  /** Where every item is. Inventory is every item whose place is the player. */
  items: z.record(z.string(), z.object({
    at: Place,
    hidden: z.boolean(),
    closed: z.boolean().optional(),
    locked: z.boolean().optional(),
  })),
  doors: z.record(z.string(), z.object({ closed: z.boolean(), locked: z.boolean() })),
  /** Hidden exits that have been revealed, as "location:direction". */
  revealedExits: z.array(z.string()),
  variables: z.record(z.string(), VarValue),
  quests: z.record(z.string(), z.object({ stage: z.string(), status: QuestStatus })),
  visited: z.array(z.string()),
  /** Ids of once-only rules that have fired. */
  firedRules: z.array(z.string()),
  parser: ParserMemory,
  content: GeneratedContent,
  story: StoryMemory,
});
export type GameState = z.infer<typeof GameState>;

export { Direction };

/**
 * A copy of a state to change, for the game's pure functions: exactly what a reload of the save
 * would give (a state is plain JSON, and the copy is as JSON reads it back).
 */
export function copyState(state: GameState): GameState {
  return jsonCopy(state);
}

/** The state at turn 0 of a world, with the given seed. */
export function initialState(world: WorldPack, seed: number): GameState {
  const p = world.player;
  const items: GameState["items"] = {};
  for (const [id, item] of Object.entries(world.items)) {
    items[id] = {
      at: item.at,
      hidden: item.hidden,
      ...(item.container ? { closed: item.container.closed, locked: item.container.locked } : {}),
    };
  }
  const npcs: GameState["npcs"] = {};
  for (const [id, npc] of Object.entries(world.npcs)) {
    npcs[id] = { location: npc.location, hp: npc.hp, disposition: npc.disposition, alive: true };
  }
  const doors: GameState["doors"] = {};
  for (const door of world.doors) doors[door.id] = { closed: door.closed, locked: door.locked };
  return {
    schema: 1,
    worldId: world.id,
    turn: 0,
    clock: p.startTime,
    rng: seedRng(seed),
    player: {
      name: p.name,
      location: p.location,
      hp: p.hp,
      maxHp: p.hp,
      stats: { ...p.stats },
      alive: true,
      equipment: {},
    },
    npcs,
    items,
    doors,
    revealedExits: [],
    variables: { ...world.variables },
    quests: {},
    visited: [p.location],
    firedRules: [],
    parser: {},
    content: { locations: {}, items: {}, npcs: {}, quests: {}, exits: [] },
    story: { summary: "", summaryTurn: 0, npcNotes: {} },
  };
}
