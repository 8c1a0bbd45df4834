import type { GameEvent, GameState, StoryMemory, WorldPack } from "../../game/index.js";
import { quoteUntrusted } from "../narrate/text.js";

/**
 * What each NPC remembers: short notes, in their own voice, of what they saw and were told,
 * written by the engine from the turn's events (no model), so they are as true as the events.
 * Dialogue prompts read them back, so a character can remember a gift or an insult.
 */

/** Notes kept per NPC; older ones are dropped first. */
export const MAX_NOTES_PER_NPC = 12;
/** The player's words are quoted in notes up to this length. */
const QUOTE_CHARS = 80;

/**
 * The story memory after a turn: `stateAfter.story` with a note added for each NPC who
 * witnessed or took part in something this turn. Deterministic, and it changes nothing else.
 */
export function noteNpcs(
  world: WorldPack,
  stateBefore: GameState,
  stateAfter: GameState,
  events: readonly GameEvent[],
  input: string,
): StoryMemory {
  const turn = stateAfter.turn;
  const here = stateAfter.player.location;
  // Whoever was in the room with the player, before or after: they saw what happened there.
  const witnesses = Object.keys(stateAfter.npcs).filter((id) =>
    stateAfter.npcs[id]?.location === here || stateBefore.npcs[id]?.location === stateBefore.player.location);
  const added = new Map<string, string[]>();
  const note = (npc: string, text: string): void => {
    // The dead remember nothing that matters to a conversation, and unknown ids are no one's.
    if (!Object.hasOwn(stateAfter.npcs, npc) || stateAfter.npcs[npc]?.alive !== true) return;
    const line = `Turn ${turn}: ${text}`;
    const list = added.get(npc) ?? [];
    if (!list.includes(line)) list.push(line);
    added.set(npc, list);
  };
  const theItem = (id: string): string => the((Object.hasOwn(world.items, id) ? world.items[id]?.name : undefined) ?? id);
  const theNpc = (id: string): string => the((Object.hasOwn(world.npcs, id) ? world.npcs[id]?.name : undefined) ?? id);
  const words = quoteUntrusted(input, QUOTE_CHARS).replace(/\s+/g, " ");

  for (const event of events) {
    switch (event.kind) {
      case "npc-spoke":
        if (event.topic !== undefined) note(event.npc, `the player asked me about ${quoteUntrusted(event.topic, QUOTE_CHARS)} ("${words}").`);
        // Thanks for a gift is not a conversation; the gift is noted on its own.
        else if (!events.some((e) => e.kind === "given" && e.npc === event.npc)) note(event.npc, `the player spoke to me ("${words}").`);
        break;
      case "player-said": {
        const said = quoteUntrusted(event.text, QUOTE_CHARS).replace(/\s+/g, " ");
        if (event.npc !== undefined) note(event.npc, `the player said to me: "${said}"`);
        for (const id of witnesses) if (id !== event.npc) note(id, `I heard the player say: "${said}"`);
        break;
      }
      case "given":
        note(event.npc, event.accepted
          ? `the player gave me ${theItem(event.item)}.`
          : `the player offered me ${theItem(event.item)}, and I refused it.`);
        break;
      case "shown":
        note(event.npc, `the player showed me ${theItem(event.item)}.`);
        break;
      case "attacked":
        if (event.attacker === "player") {
          note(event.defender, "the player attacked me.");
          for (const id of witnesses) if (id !== event.defender) note(id, `I saw the player attack ${theNpc(event.defender)}.`);
        } else if (event.defender === "player") {
          note(event.attacker, "I fought the player.");
        }
        break;
      case "npc-died":
        for (const id of witnesses) note(id, `I saw ${theNpc(event.npc)} die.`);
        break;
      case "player-died":
        for (const id of witnesses) note(id, "I saw the player fall.");
        break;
      default:
        break;
    }
  }

  const story = stateAfter.story;
  if (added.size === 0) return story;
  const npcNotes: Record<string, string[]> = { ...story.npcNotes };
  for (const [npc, lines] of added) npcNotes[npc] = [...(Object.hasOwn(story.npcNotes, npc) ? story.npcNotes[npc] ?? [] : []), ...lines].slice(-MAX_NOTES_PER_NPC);
  return { ...story, npcNotes };
}

/** As the engine's narration names things: proper names ("Hob Tallow") bare, others with "the". */
function the(name: string): string {
  const first = name.charAt(0);
  return first !== first.toLowerCase() ? name : `the ${name}`;
}
