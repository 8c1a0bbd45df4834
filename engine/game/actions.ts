import { z } from "zod";
import { Direction } from "./world.js";
import { EntityRef } from "./state.js";

/**
 * What the player does, as the engine understands it. The parser (or, later, a model) produces
 * these; `step` decides what actually happens. Every id in an action is checked again by `step`,
 * so an action that names something absent is refused in-world, never trusted.
 */

const ItemId = z.string().min(1);
const NpcId = z.string().min(1);

export const MANIPULATIONS = ["push", "pull", "turn"] as const;

export const Action = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("go"), direction: Direction }),
  z.object({ kind: z.literal("look") }),
  z.object({ kind: z.literal("examine"), target: EntityRef }),
  /** `items` is already expanded by the parser ("take all" names each item). */
  z.object({ kind: z.literal("take"), items: z.array(ItemId).min(1), from: ItemId.optional() }),
  z.object({ kind: z.literal("drop"), items: z.array(ItemId).min(1) }),
  z.object({ kind: z.literal("put"), item: ItemId, container: ItemId, preposition: z.enum(["in", "on"]) }),
  z.object({ kind: z.literal("open"), target: EntityRef }),
  z.object({ kind: z.literal("close"), target: EntityRef }),
  z.object({ kind: z.literal("lock"), target: EntityRef, key: ItemId.optional() }),
  z.object({ kind: z.literal("unlock"), target: EntityRef, key: ItemId.optional() }),
  z.object({ kind: z.literal("inventory") }),
  /** talk to X; ask X about T; tell X about T. */
  z.object({ kind: z.literal("talk"), npc: NpcId, topic: z.string().max(200).optional() }),
  z.object({ kind: z.literal("say"), text: z.string().max(2000), npc: NpcId.optional() }),
  z.object({ kind: z.literal("give"), item: ItemId, npc: NpcId }),
  z.object({ kind: z.literal("show"), item: ItemId, npc: NpcId }),
  z.object({ kind: z.literal("attack"), npc: NpcId, weapon: ItemId.optional() }),
  z.object({ kind: z.literal("use"), item: ItemId, target: EntityRef.optional() }),
  z.object({ kind: z.literal("eat"), item: ItemId }),
  z.object({ kind: z.literal("drink"), item: ItemId }),
  z.object({ kind: z.literal("wear"), item: ItemId }),
  z.object({ kind: z.literal("remove"), item: ItemId }),
  z.object({ kind: z.literal("search"), target: EntityRef.optional() }),
  z.object({ kind: z.literal("manipulate"), verb: z.enum(MANIPULATIONS), target: EntityRef }),
  z.object({ kind: z.literal("climb"), target: EntityRef.optional() }),
  z.object({ kind: z.literal("wait"), minutes: z.number().int().min(1).max(600).default(10) }),
  z.object({ kind: z.literal("help") }),
]);
export type Action = z.infer<typeof Action>;
export type ActionKind = Action["kind"];

/** Commands about the game rather than in it; the session, not `step`, carries them out. */
export const META_COMMANDS = ["save", "load", "undo", "quit", "restart"] as const;
export type MetaCommand = (typeof META_COMMANDS)[number];
