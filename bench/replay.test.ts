import { describe, expect, it } from "vitest";
import { benchReplay, GOALS } from "./replay.js";

describe("bench/replay", () => {
  it("reports replay against play for each fixture, and open and rewind times for a long save", async () => {
    const result = await benchReplay({ longTurns: 60, runs: 1 });
    expect(result).toMatchObject({ benchmark: "replay", goals: GOALS, longSave: { turns: 60 } });
    expect(result.replay.map((r) => r.fixture).sort()).toEqual(["greyhollow-offline", "greyhollow-story"]);
    for (const figure of result.replay) {
      expect(figure.replayTurnsPerSecond).toBeGreaterThan(0);
      expect(figure.ratioToPlay).toBeCloseTo(figure.replayTurnsPerSecond / figure.playTurnsPerSecond, 1);
    }
    expect(result.replay.find((r) => r.fixture === "greyhollow-story")?.modelCalls).toBeGreaterThan(200);
    expect(result.longSave.branchFileMb).toBeLessThanOrEqual(result.longSave.fileMb);
  });
});
