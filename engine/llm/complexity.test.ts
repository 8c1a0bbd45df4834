import { describe, expect, it } from "vitest";
import { detectComplexity, LONG_MESSAGE_CHARS } from "./complexity.js";
import type { ChatMessage } from "./provider.js";

const user = (content: string): ChatMessage => ({ role: "user", content });

describe("detectComplexity", () => {
  it("calls an ordinary action routine", () => {
    expect(detectComplexity([user("I look around the tavern.")])).toBe("routine");
    expect(detectComplexity([])).toBe("routine");
  });

  it("calls bosses, deaths and quests critical", () => {
    expect(detectComplexity([user("I charge the Boss!")])).toBe("critical");
    expect(detectComplexity([user("The old knight dies in my arms.")])).toBe("critical");
    expect(detectComplexity([user("Invent a quest for the blacksmith.")])).toBe("critical");
  });

  it("calls fights, NPCs, long and structured texts moderate", () => {
    expect(detectComplexity([user("I attack the goblin.")])).toBe("moderate");
    expect(detectComplexity([user("Create an NPC for the market.")])).toBe("moderate");
    expect(detectComplexity([user("a".repeat(LONG_MESSAGE_CHARS + 1))])).toBe("moderate");
    expect(detectComplexity([user("Events:\n- the door opens\n- a draft\n- a candle goes out")])).toBe("moderate");
    expect(detectComplexity([user('{"events": []}')])).toBe("moderate");
  });

  it("matches whole words only, in any case", () => {
    expect(detectComplexity([user("I put on my bossa nova record.")])).toBe("routine");
    expect(detectComplexity([user("She finally sits down.")])).toBe("routine");
    expect(detectComplexity([user("DIES")])).toBe("critical");
  });

  it("reads only the last user message", () => {
    const messages: ChatMessage[] = [
      { role: "system", content: "You narrate quests, fights and deaths." },
      user("I attack the dragon."),
      { role: "assistant", content: "The dragon roars." },
      user("I sit by the fire."),
    ];
    expect(detectComplexity(messages)).toBe("routine");
  });

  it("is deterministic", () => {
    const messages = [user("I fight the boss")];
    expect(detectComplexity(messages)).toBe(detectComplexity(messages));
  });
});
