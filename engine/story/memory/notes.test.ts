import { describe, expect, it } from "vitest";
import type { GameEvent, GameState } from "../../game/index.js";
import { deepFreeze, play, walkthrough, walkthroughTurn } from "../narrate/testing.js";
import { MAX_NOTES_PER_NPC, noteNpcs } from "./notes.js";

describe("noteNpcs", () => {
  it("notes being spoken to and asked about a topic, with the player's words", () => {
    const turn = walkthroughTurn("ask elder about dead");
    const story = noteNpcs(turn.world, turn.before, turn.state, turn.events, turn.input);
    expect(story.npcNotes.elder).toEqual([`Turn ${turn.state.turn}: the player asked me about dead ("ask elder about dead").`]);
  });

  it("notes a gift, not the thanks that follow it", () => {
    const turn = walkthroughTurn("give lump to brenna");
    const story = noteNpcs(turn.world, turn.before, turn.state, turn.events, turn.input);
    expect(story.npcNotes.brenna).toEqual([`Turn ${turn.state.turn}: the player gave me the lump of star-iron.`]);
  });

  it("notes an attack for the one attacked, once however many blows, and a death for the witnesses", () => {
    const turn = walkthroughTurn("attack ghoul with blade", 2);
    expect(turn.events.some((e) => e.kind === "npc-died")).toBe(true);
    const state: GameState = { ...turn.state, npcs: { ...turn.state.npcs, pell: { ...turn.state.npcs.pell!, location: turn.state.player.location } } };
    const story = noteNpcs(turn.world, turn.before, state, turn.events, turn.input);
    // The ghoul is dead: it remembers nothing. Pell, standing by, saw it all.
    expect(story.npcNotes.ghoul).toBeUndefined();
    expect(story.npcNotes.pell).toEqual([`Turn ${turn.state.turn}: I saw the player attack the ghoul.`, `Turn ${turn.state.turn}: I saw the ghoul die.`]);
  });

  it("notes what was said, to the one addressed and to those who overheard", () => {
    const [turn] = play(["n"]);
    const state = turn!.state;
    const events: GameEvent[] = [{ kind: "player-said", text: "The bell\u0000 will ring again.", npc: "elder" }];
    const withPell: GameState = { ...state, npcs: { ...state.npcs, pell: { ...state.npcs.pell!, location: state.player.location } } };
    const story = noteNpcs(turn!.world, withPell, withPell, events, "say the bell will ring again to elder");
    expect(story.npcNotes.elder).toEqual([`Turn 1: the player said to me: "The bell will ring again."`]);
    expect(story.npcNotes.pell).toEqual([`Turn 1: I heard the player say: "The bell will ring again."`]);
  });

  it("keeps the newest notes per NPC, and changes nothing else", () => {
    const lines = walkthrough();
    const turns = play([...lines.slice(0, lines.indexOf("talk to hob") + 1), ...Array.from({ length: 15 }, (_, i) => `ask hob about thing${i}`)]);
    let story = turns[0]!.state.story;
    for (const turn of turns) {
      const state = deepFreeze({ ...turn.state, story });
      story = noteNpcs(turn.world, turn.before, state, deepFreeze(turn.events), turn.input);
    }
    expect(story.npcNotes.hob).toHaveLength(MAX_NOTES_PER_NPC);
    expect(story.npcNotes.hob?.at(-1)).toContain("thing14");
    expect(story.npcNotes.hob?.[0]).toContain("thing3");
  });

  it("adds nothing for a turn no NPC took part in", () => {
    const turn = walkthroughTurn("take bread");
    expect(noteNpcs(turn.world, turn.before, turn.state, turn.events, turn.input)).toBe(turn.state.story);
  });
});
