import { describe, expect, it } from "vitest";
import { COMPLEXITIES, Complexity, TASK_TYPES, TaskType, type TaskRequest } from "./tasks.js";

describe("tasks", () => {
  it("names the seven task types and three complexities", () => {
    expect(TASK_TYPES).toHaveLength(7);
    expect(TaskType.safeParse("narration").success).toBe(true);
    expect(TaskType.safeParse("poetry").success).toBe(false);
    expect(COMPLEXITIES).toEqual(["routine", "moderate", "critical"]);
    expect(Complexity.safeParse("critical").success).toBe(true);
  });

  it("makes a streaming caller handle resets too", () => {
    const plain: TaskRequest = { type: "narration", messages: [] };
    const streaming: TaskRequest = { type: "narration", messages: [], onToken: () => undefined, onReset: () => undefined };
    // @ts-expect-error onToken without onReset could show the player a failed model's half answer
    const unsafe: TaskRequest = { type: "narration", messages: [], onToken: () => undefined };
    expect([plain, streaming, unsafe]).toHaveLength(3);
  });
});
