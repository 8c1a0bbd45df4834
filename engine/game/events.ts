import { z } from "zod";
import { ContentKind, Direction, VarValue } from "./world.js";
import { EntityRef, Place } from "./state.js";

/**
 * What happened in a turn. Events are facts decided by the engine; narration (by templates or
 * by a model) only tells them. They are stored in the save, so they are plain JSON.
 */

/** Why an action was refused; the message is the in-world text shown to the player. */
export const REFUSALS = [
  "no-exit", "exit-blocked", "door-locked", "door-closed",
  "not-here", "not-carried", "already-carried", "not-portable", "too-full",
  "not-container", "container-closed", "container-locked", "not-openable", "already-open", "already-closed",
  "not-lockable", "already-locked", "already-unlocked", "no-key", "wrong-key",
  "not-person", "dead", "cannot-attack", "not-edible", "not-drinkable", "not-wearable", "not-worn",
  "nothing-happens", "player-dead", "hostile-blocks", "already-worn", "inside-itself", "not-closed",
] as const;
export const RefusalCode = z.enum(REFUSALS);
export type RefusalCode = z.infer<typeof RefusalCode>;

export const GameEvent = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("refused"), reason: RefusalCode, message: z.string() }),
  z.object({ kind: z.literal("moved"), from: z.string(), to: z.string(), direction: Direction.optional() }),
  /** The player sees a location: after moving, or on "look". `first` on the first visit. */
  z.object({ kind: z.literal("location-seen"), location: z.string(), first: z.boolean() }),
  z.object({ kind: z.literal("examined"), target: EntityRef, text: z.string() }),
  z.object({ kind: z.literal("taken"), item: z.string(), from: z.string().optional() }),
  z.object({ kind: z.literal("dropped"), item: z.string() }),
  z.object({ kind: z.literal("put"), item: z.string(), container: z.string(), preposition: z.enum(["in", "on"]) }),
  z.object({ kind: z.literal("opened"), target: EntityRef, revealed: z.array(z.string()).default([]) }),
  z.object({ kind: z.literal("closed"), target: EntityRef }),
  z.object({ kind: z.literal("locked"), target: EntityRef, key: z.string() }),
  z.object({ kind: z.literal("unlocked"), target: EntityRef, key: z.string() }),
  z.object({ kind: z.literal("inventory-listed"), items: z.array(z.string()), weapon: z.string().optional(), armour: z.string().optional() }),
  /** An NPC speaks. `topic` is what they were asked about, if anything. */
  z.object({ kind: z.literal("npc-spoke"), npc: z.string(), topic: z.string().optional(), line: z.string() }),
  z.object({ kind: z.literal("player-said"), text: z.string(), npc: z.string().optional() }),
  z.object({ kind: z.literal("given"), item: z.string(), npc: z.string(), accepted: z.boolean() }),
  z.object({ kind: z.literal("shown"), item: z.string(), npc: z.string() }),
  /** One blow. `attacker`/`defender` are "player" or an NPC id. */
  z.object({
    kind: z.literal("attacked"),
    attacker: z.string(),
    defender: z.string(),
    weapon: z.string().optional(),
    roll: z.number().int(),
    hit: z.boolean(),
    damage: z.number().int().min(0),
    defenderHp: z.number().int(),
  }),
  z.object({ kind: z.literal("npc-died"), npc: z.string(), dropped: z.array(z.string()) }),
  z.object({ kind: z.literal("player-died") }),
  z.object({ kind: z.literal("consumed"), item: z.string(), verb: z.enum(["eat", "drink"]), healed: z.number().int(), message: z.string().optional() }),
  z.object({ kind: z.literal("worn"), item: z.string(), slot: z.enum(["weapon", "armour"]) }),
  z.object({ kind: z.literal("removed"), item: z.string(), slot: z.enum(["weapon", "armour"]) }),
  z.object({ kind: z.literal("searched"), target: EntityRef.optional(), text: z.string().optional(), found: z.array(z.string()), revealedExits: z.array(Direction) }),
  z.object({ kind: z.literal("manipulated"), verb: z.string(), target: EntityRef, text: z.string() }),
  z.object({ kind: z.literal("used"), item: z.string(), target: EntityRef.optional(), text: z.string() }),
  z.object({ kind: z.literal("climbed"), target: EntityRef.optional(), text: z.string() }),
  z.object({ kind: z.literal("waited"), minutes: z.number().int() }),
  z.object({ kind: z.literal("help-shown") }),
  /** Effects of rules. */
  z.object({ kind: z.literal("variable-set"), name: z.string(), value: VarValue }),
  z.object({ kind: z.literal("npc-moved"), npc: z.string(), from: z.string(), to: z.string() }),
  z.object({ kind: z.literal("player-moved"), from: z.string(), to: z.string() }),
  z.object({ kind: z.literal("item-moved"), item: z.string(), to: Place }),
  z.object({ kind: z.literal("quest-started"), quest: z.string(), stage: z.string() }),
  z.object({ kind: z.literal("quest-advanced"), quest: z.string(), stage: z.string() }),
  z.object({ kind: z.literal("quest-completed"), quest: z.string() }),
  z.object({ kind: z.literal("disposition-changed"), npc: z.string(), from: z.number().int(), to: z.number().int() }),
  z.object({ kind: z.literal("exit-revealed"), location: z.string(), direction: Direction }),
  z.object({ kind: z.literal("door-unlocked"), door: z.string() }),
  z.object({ kind: z.literal("healed"), amount: z.number().int(), hp: z.number().int() }),
  z.object({ kind: z.literal("message"), text: z.string() }),
  /** A rule fired; recorded so replays and debuggers can see why things happened. */
  z.object({ kind: z.literal("rule-fired"), rule: z.string() }),
  /**
   * The world wants new content at a location: a rule's `generate`, or an `unexplored` location
   * seen for the first time. The story layer answers it with addContent, in the same turn.
   */
  z.object({ kind: z.literal("content-requested"), requestId: z.string(), content: ContentKind, at: z.string(), hint: z.string().optional() }),
  /** Generated content entered the game under the engine-given `id`, at the place requested. */
  z.object({ kind: z.literal("content-added"), requestId: z.string(), content: ContentKind, id: z.string(), name: z.string(), at: z.string() }),
]);
export type GameEvent = z.infer<typeof GameEvent>;
export type EventKind = GameEvent["kind"];
export type EventOf<K extends EventKind> = Extract<GameEvent, { kind: K }>;
