import { z } from "zod";

/**
 * The world-pack format: everything about a world that does not change during play.
 * What changes lives in GameState; a world pack is validated once, on load.
 */

export const DIRECTIONS = [
  "north", "south", "east", "west",
  "northeast", "northwest", "southeast", "southwest",
  "up", "down", "in", "out",
] as const;
export const Direction = z.enum(DIRECTIONS);
export type Direction = z.infer<typeof Direction>;

const Id = z.string()
  .regex(/^[a-z][a-z0-9_-]*$/, "ids are lower-case letters, digits, '_' or '-'")
  // Every object answers to "constructor": as an id it would find something in every lookup
  // table, whether or not the world defines it.
  .refine((id) => !(id in Object.prototype), { error: (issue) => `"${String(issue.input)}" cannot be an id: every object already has it` });

export const Stats = z.object({
  strength: z.number().int().min(0).max(20),
  agility: z.number().int().min(0).max(20),
  wits: z.number().int().min(0).max(20),
});
export type Stats = z.infer<typeof Stats>;

/** Where a thing starts: a location, the player, an NPC, or inside a container item. */
export const Placement = z.union([
  z.object({ room: Id }),
  z.object({ player: z.literal(true) }),
  z.object({ npc: Id }),
  z.object({ in: Id }),
  z.object({ nowhere: z.literal(true) }),
]);
export type Placement = z.infer<typeof Placement>;

export const Door = z.object({
  id: Id,
  name: z.string().min(1),
  aliases: z.array(z.string()).default([]),
  closed: z.boolean().default(true),
  locked: z.boolean().default(false),
  key: Id.optional(),
});
export type Door = z.infer<typeof Door>;

export const Exit = z.object({
  direction: Direction,
  to: Id,
  /** Doors are shared by both sides of a passage: give both exits the same door id. */
  door: Id.optional(),
  /** Hidden exits are not listed nor usable until revealed (by search or a rule). */
  hidden: z.boolean().default(false),
  description: z.string().optional(),
});
export type Exit = z.infer<typeof Exit>;

/** What the engine can ask a model (or its fallback tables) to invent during play. */
export const CONTENT_KINDS = ["npc", "item", "quest", "location"] as const;
export const ContentKind = z.enum(CONTENT_KINDS);
export type ContentKind = z.infer<typeof ContentKind>;

/** A few words for the inventor ("a stranger sheltering from the rain"); prompts stay short. */
const ContentHint = z.string().min(1).max(300);

export const Location = z.object({
  name: z.string().min(1),
  description: z.string().min(1),
  exits: z.array(Exit).default([]),
  /** Text shown when the player searches here; searching also reveals hidden exits and items. */
  searchText: z.string().optional(),
  /** Fixed features that can be examined but not taken: name -> description. */
  features: z.record(z.string(), z.string()).default({}),
  /**
   * The first time the player sees this place, a side location is invented and joined to it by a
   * new exit in a free direction (see engine/game/content.ts).
   */
  unexplored: z.object({ hint: ContentHint.optional() }).strict().optional(),
});
export type Location = z.infer<typeof Location>;

export const ITEM_KINDS = ["weapon", "armour", "key", "consumable", "container", "readable", "treasure", "tool", "scenery"] as const;

export const Item = z.object({
  name: z.string().min(1),
  /** Extra nouns that name it ("blade" for a sword). */
  aliases: z.array(z.string()).default([]),
  /** Words that narrow it ("rusty", "iron"). */
  adjectives: z.array(z.string()).default([]),
  description: z.string().min(1),
  kind: z.enum(ITEM_KINDS),
  at: Placement,
  portable: z.boolean().default(true),
  /** Not visible until the player searches where it is. */
  hidden: z.boolean().default(false),
  weight: z.number().min(0).default(1),
  value: z.number().int().min(0).default(0),
  weapon: z.object({ damage: z.tuple([z.number().int().min(0), z.number().int().min(0)]), accuracy: z.number().int().default(0) }).optional(),
  armour: z.object({ defense: z.number().int().min(0) }).optional(),
  consumable: z.object({ verb: z.enum(["eat", "drink"]), heal: z.number().int(), message: z.string().optional() }).optional(),
  container: z.object({
    closed: z.boolean().default(false),
    locked: z.boolean().default(false),
    key: Id.optional(),
    /** Surfaces (a table) take "put X on Y"; others "put X in Y". */
    surface: z.boolean().default(false),
    capacity: z.number().int().min(1).default(10),
  }).optional(),
  text: z.string().optional(),
  /** What push/pull/turn/use does when no rule takes over. */
  onManipulate: z.string().optional(),
});
export type Item = z.infer<typeof Item>;

export const Npc = z.object({
  name: z.string().min(1),
  aliases: z.array(z.string()).default([]),
  adjectives: z.array(z.string()).default([]),
  description: z.string().min(1),
  personality: z.string().min(1),
  location: Id,
  hp: z.number().int().min(1),
  attack: z.number().int().min(0).max(20),
  defense: z.number().int().min(0).max(20),
  damage: z.tuple([z.number().int().min(0), z.number().int().min(0)]),
  /** -100 (hates you) .. 100 (devoted). At -50 or below an NPC attacks on sight. */
  disposition: z.number().int().min(-100).max(100),
  boss: z.boolean().default(false),
  greeting: z.string().min(1),
  /** Topic keyword -> what they say when asked about it. */
  topics: z.record(z.string(), z.string()).default({}),
  /** Said when asked about something they know nothing of. */
  unknownTopic: z.string().default("I know nothing about that."),
  /** Items they accept as gifts: item id -> line they say. Accepting improves disposition. */
  wants: z.record(z.string(), z.string()).default({}),
});
export type Npc = z.infer<typeof Npc>;

export const QuestStage = z.object({ id: Id, description: z.string().min(1) });
export const Quest = z.object({
  name: z.string().min(1),
  description: z.string().min(1),
  stages: z.array(QuestStage).min(1),
});
export type Quest = z.infer<typeof Quest>;

export const VarValue = z.union([z.number(), z.string(), z.boolean()]);
export type VarValue = z.infer<typeof VarValue>;

const Range = z.object({
  eq: VarValue.optional(), ne: VarValue.optional(),
  gt: z.number().optional(), gte: z.number().optional(),
  lt: z.number().optional(), lte: z.number().optional(),
});
export type Range = z.infer<typeof Range>;

/** Rule conditions. Every condition is decided by the engine except `judge`, which a model answers. */
export type Condition =
  | { all: Condition[] }
  | { any: Condition[] }
  | { not: Condition }
  | { var: string; is: Range }
  | { playerAt: string }
  | { has: string }
  | { itemAt: string; place: Placement }
  | { quest: string; stage?: string; status?: "inactive" | "active" | "completed" }
  | { turn: Range }
  /** Minutes since the game began, or the hour of the day (0-23). */
  | { time: Range }
  | { hour: Range }
  | { disposition: string; is: Range }
  | { npcAlive: string }
  | { npcAt: string; location: string }
  /** This turn's events contain one of this kind, whose fields match. */
  | { event: string; with?: Record<string, VarValue> }
  /** A question in words about this turn ("did the player insult the king?"), answered by a model. */
  | { judge: string };

export const Condition: z.ZodType<Condition> = z.lazy(() => z.union([
  z.object({ all: z.array(Condition) }).strict(),
  z.object({ any: z.array(Condition) }).strict(),
  z.object({ not: Condition }).strict(),
  z.object({ var: z.string(), is: Range }).strict(),
  z.object({ playerAt: Id }).strict(),
  z.object({ has: Id }).strict(),
  z.object({ itemAt: Id, place: Placement }).strict(),
  z.object({ quest: Id, stage: Id.optional(), status: z.enum(["inactive", "active", "completed"]).optional() }).strict(),
  z.object({ turn: Range }).strict(),
  z.object({ time: Range }).strict(),
  z.object({ hour: Range }).strict(),
  z.object({ disposition: Id, is: Range }).strict(),
  z.object({ npcAlive: Id }).strict(),
  z.object({ npcAt: Id, location: Id }).strict(),
  z.object({ event: z.string(), with: z.record(z.string(), VarValue).optional() }).strict(),
  z.object({ judge: z.string().min(1) }).strict(),
]));

export const RuleAction = z.union([
  z.object({ setVar: z.string(), value: VarValue }).strict(),
  z.object({ incVar: z.string(), by: z.number() }).strict(),
  z.object({ moveNpc: Id, to: Id }).strict(),
  z.object({ movePlayer: Id }).strict(),
  z.object({ giveItem: Id }).strict(),
  z.object({ removeItem: Id }).strict(),
  z.object({ placeItem: Id, at: Placement }).strict(),
  z.object({ startQuest: Id }).strict(),
  z.object({ advanceQuest: Id, stage: Id }).strict(),
  z.object({ completeQuest: Id }).strict(),
  z.object({ changeDisposition: Id, by: z.number().int() }).strict(),
  z.object({ message: z.string().min(1) }).strict(),
  z.object({ revealExit: Id, direction: Direction }).strict(),
  z.object({ unlockDoor: Id }).strict(),
  z.object({ heal: z.number().int() }).strict(),
  /**
   * Asks for new content of a kind, placed at `at` (the player's location when left out): the
   * turn's events get a `content-requested`, which the story layer answers through addContent.
   */
  z.object({ generate: ContentKind, hint: ContentHint.optional(), at: Id.optional() }).strict(),
]);
export type RuleAction = z.infer<typeof RuleAction>;

export const Rule = z.object({
  id: Id,
  description: z.string().optional(),
  when: Condition,
  then: z.array(RuleAction).min(1),
  /** Fire at most once per game (the default), or every turn the condition holds. */
  once: z.boolean().default(true),
});
export type Rule = z.infer<typeof Rule>;

export const WorldPack = z.object({
  format: z.literal(1),
  id: Id,
  title: z.string().min(1),
  intro: z.string().min(1),
  player: z.object({
    name: z.string().min(1),
    location: Id,
    hp: z.number().int().min(1),
    stats: Stats,
    /** Minutes after midnight of day one when play begins. */
    startTime: z.number().int().min(0).default(8 * 60),
  }),
  doors: z.array(Door).default([]),
  locations: z.record(Id, Location),
  items: z.record(Id, Item),
  npcs: z.record(Id, Npc),
  quests: z.record(Id, Quest).default({}),
  rules: z.array(Rule).default([]),
  variables: z.record(z.string(), VarValue).default({}),
});
export type WorldPack = z.infer<typeof WorldPack>;
/** What a world-pack file may omit (defaults) before validation. */
export type WorldPackInput = z.input<typeof WorldPack>;
