import type { Complexity } from "../../llm/index.js";
import { narrate, type EventOf, type GameEvent, type GameState, type Npc, type WorldPack } from "../../game/index.js";

/**
 * How a turn will be told, decided from its events alone: how much it matters (which picks the
 * model), and its parts in the order they happened — stretches of narration, and each line an
 * NPC speaks. Every part carries the engine's own text for it, which is what the model is asked
 * to retell and what stands in when no model answers.
 */

export type PlannedPart =
  | {
      readonly kind: "narration";
      readonly events: readonly GameEvent[];
      readonly engineText: string;
      /** False when the engine's text is shown as it is, without asking a model. */
      readonly tell: boolean;
    }
  | {
      readonly kind: "dialogue";
      readonly event: EventOf<"npc-spoke">;
      readonly name: string;
      /** Undefined for an NPC the world does not know: without a personality there is no voice to give it. */
      readonly speaker: Npc | undefined;
      readonly engineText: string;
    };

export interface NarrationPlan {
  readonly complexity: Complexity;
  /** The engine's narration of the whole turn: the parts' engine texts, joined. */
  readonly engineText: string;
  readonly parts: readonly PlannedPart[];
}

/**
 * Exact messages that retelling could only blur: a refusal says precisely why, help and the
 * inventory are lists the player reads for facts.
 */
const VERBATIM: ReadonlySet<GameEvent["kind"]> = new Set(["refused", "help-shown", "inventory-listed"]);

/** Death, a boss falling and a quest completed are turning points; any blow makes a fight. */
export function narrationComplexity(world: WorldPack, events: readonly GameEvent[]): Complexity {
  const critical = events.some((e) =>
    e.kind === "player-died" || e.kind === "quest-completed" || (e.kind === "npc-died" && npcOf(world, e.npc)?.boss === true));
  if (critical) return "critical";
  return events.some((e) => e.kind === "attacked") ? "moderate" : "routine";
}

export function planNarration(world: WorldPack, state: GameState, events: readonly GameEvent[]): NarrationPlan {
  const parts: PlannedPart[] = [];
  let stretch: GameEvent[] = [];
  const flush = (): void => {
    const engineText = narrate(world, state, stretch);
    // Events with nothing to tell (a rule fired, a variable set) make no part and no model call.
    if (engineText !== "") parts.push({ kind: "narration", events: stretch, engineText, tell: stretch.some((e) => !VERBATIM.has(e.kind) && narrate(world, state, [e]) !== "") });
    stretch = [];
  };
  for (const event of events) {
    if (event.kind !== "npc-spoke") {
      stretch.push(event);
      continue;
    }
    flush();
    const speaker = npcOf(world, event.npc);
    parts.push({ kind: "dialogue", event, name: speaker?.name ?? event.npc, speaker, engineText: narrate(world, state, [event]) });
  }
  flush();
  return { complexity: narrationComplexity(world, events), engineText: parts.map((p) => p.engineText).join("\n\n"), parts };
}

/** Ids in events can come from model-made content: "constructor" must not find Object.prototype's. */
function npcOf(world: WorldPack, id: string): Npc | undefined {
  return Object.hasOwn(world.npcs, id) ? world.npcs[id] : undefined;
}
