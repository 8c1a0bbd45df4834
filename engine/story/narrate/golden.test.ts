import { describe, expect, it } from "vitest";
import { narrate, type GameState } from "../../game/index.js";
import type { RecentTurn } from "../memory/context.js";
import { narrateTurn } from "./narrate.js";
import { golden, play, RecordingRunner, renderTask, walkthrough } from "./testing.js";

/**
 * The exact messages the narrator and the characters are sent, pinned for fixed turns of the
 * built-in world. A change to a prompt file or to how prompts are built shows up here as a diff
 * to review; `UPDATE_GOLDEN=1` rewrites the files.
 */

/** The walkthrough up to its `index`-th `command`, with the turns before it as engine-told history. */
function fixture(command: string, index = 0, history = 3): { turn: ReturnType<typeof play>[number]; recent: RecentTurn[] } {
  const lines = walkthrough();
  let seen = -1;
  const at = lines.findIndex((line) => line === command && ++seen === index);
  const turns = play(lines.slice(0, at + 1));
  const turn = turns.at(-1)!;
  const recent = turns.slice(-1 - history, -1).map((t) => ({ turn: t.state.turn, input: t.input, narration: narrate(t.world, t.state, t.events) }));
  return { turn, recent };
}

/** A story memory as the session would have kept it, so the golden files show where it goes. */
function remembering(state: GameState): GameState {
  return {
    ...state,
    story: {
      summary: "Wren reached Greyhollow along the causeway in the rain and read the notice on the green.",
      summaryTurn: 2,
      npcNotes: { elder: ["Turn 2: I saw the player read the notice."], hob: ['Turn 5: the player spoke to me ("talk to hob").'] },
    },
  };
}

const cases: readonly { name: string; command: string; index?: number }[] = [
  { name: "look", command: "look" },
  { name: "talk-to-elder", command: "talk to elder" },
  { name: "give-lump-to-brenna", command: "give lump to brenna" },
  { name: "ghoul-fight", command: "attack ghoul with blade" },
  { name: "barrow-king-falls", command: "attack king with blade", index: 6 },
];

describe("golden prompts", () => {
  for (const c of cases) {
    it(`${c.name}: the messages sent are exactly the golden file's`, async () => {
      const { turn, recent } = fixture(c.command, c.index);
      const runner = new RecordingRunner(() => "Told.");
      await narrateTurn({ world: turn.world, state: remembering(turn.state), input: turn.input, events: turn.events, recent, runner });
      const actual = runner.tasks.map(renderTask).join("\n----------------------------------------\n\n");
      expect(actual).toBe(golden(new URL(`fixtures/${c.name}.golden.txt`, import.meta.url), actual));
    });
  }

  it("keeps the stable prefix byte-identical from turn to turn", async () => {
    const lines = walkthrough().slice(0, 6);
    const turns = play(lines);
    const systems = new Set<string>();
    for (const turn of turns) {
      const runner = new RecordingRunner(() => "Told.");
      await narrateTurn({ world: turn.world, state: remembering(turn.state), input: turn.input, events: turn.events, recent: [], runner });
      for (const task of runner.tasks) if (task.type === "narration") systems.add(task.messages[0]!.content);
    }
    expect(systems.size).toBe(1);
  });
});
