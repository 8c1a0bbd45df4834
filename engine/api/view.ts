import { effectiveWorld, exitsHere, narrate, type GameState, type WorldPack } from "../game/index.js";
import { sceneFacts, type NarrationPart as StoryPart } from "../story/index.js";
import type { GameView, LogEntry, NarrationPart } from "./protocol.js";

/**
 * What the UI shows, computed from the state: the side panel (GameView) and the story log
 * (LogEntry). The renderer derives nothing from game rules, so everything it needs is here.
 */

export interface ViewSource {
  readonly world: WorldPack;
  readonly state: GameState;
  readonly save: string;
  readonly offline: boolean;
}

export function gameView({ world: pack, state, save, offline }: ViewSource): GameView {
  const world = effectiveWorld(pack, state);
  const facts = sceneFacts(world, state);
  const worn = new Set([state.player.equipment.weapon, state.player.equipment.armour]);
  return {
    save,
    worldTitle: world.title,
    turn: state.turn,
    clock: facts.time.charAt(0).toUpperCase() + facts.time.slice(1),
    hp: state.player.hp,
    maxHp: state.player.maxHp,
    alive: state.player.alive,
    location: { ...facts.location },
    // From the exits themselves rather than sceneFacts, whose door is worded for a prompt.
    exits: exitsHere(world, state).map((exit) => {
      const door = exit.door === undefined ? undefined : state.doors[exit.door];
      return {
        direction: exit.direction,
        to: world.locations[exit.to]?.name ?? exit.to,
        ...(door ? { door: door.locked ? "locked" as const : door.closed ? "closed" as const : "open" as const } : {}),
      };
    }),
    people: facts.people.map((p) => ({ ...p })),
    inventory: facts.inventory.map((item) => ({ ...item, worn: worn.has(item.id) })),
    quests: Object.entries(state.quests).map(([id, quest]) => {
      const def = Object.hasOwn(world.quests, id) ? world.quests[id] : undefined;
      return {
        id,
        name: def?.name ?? id,
        stage: def?.stages.find((s) => s.id === quest.stage)?.description ?? "",
        completed: quest.status === "completed",
      };
    }),
    offline,
  };
}

/**
 * A played turn as a log entry. A dialogue part carries the spoken line alone, since the UI shows
 * the speaker's name beside it; a turn with no parts (an input the parser could not read) shows
 * its narration as one part.
 */
export function turnEntry(turn: number, input: string, parts: readonly StoryPart[], narration: string): LogEntry {
  if (parts.length === 0) return storedEntry(turn, input, narration);
  return {
    turn,
    input,
    parts: parts.map((p): NarrationPart => (p.kind === "dialogue"
      ? { kind: "dialogue", npc: p.npc, name: p.name, text: p.line }
      : { kind: "narration", text: p.text })),
  };
}

/** A turn read back from a save, which keeps the narration as one text. */
export function storedEntry(turn: number, input: string, narration: string): LogEntry {
  return { turn, input, parts: narration === "" ? [] : [{ kind: "narration", text: narration }] };
}

/** Turn 0 of the log: the world's introduction and where the player starts. */
export function openingEntry(pack: WorldPack, start: GameState): LogEntry {
  const world = effectiveWorld(pack, start);
  const opening = narrate(world, start, [{ kind: "location-seen", location: start.player.location, first: true }]);
  return { turn: 0, input: "", parts: [{ kind: "narration", text: world.intro }, { kind: "narration", text: opening }] };
}
