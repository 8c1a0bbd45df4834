import { describe, expect, it } from "vitest";
import { COMPLEXITIES, DEFAULT_ROUTES, Slot as EngineSlot, TASK_TYPES } from "../llm/index.js";
import { Complexity, RoutesTable, Slot, TaskType } from "./protocol.js";

/**
 * The protocol names the engine's slots, task types and complexities itself, so that the renderer
 * can use them without importing engine/llm; this keeps the two lists the same.
 */
describe("the protocol's routing names", () => {
  it("are the engine's", () => {
    expect(Slot.options).toEqual(EngineSlot.options);
    expect(TaskType.options).toEqual([...TASK_TYPES]);
    expect(Complexity.options).toEqual([...COMPLEXITIES]);
    expect(RoutesTable.parse(DEFAULT_ROUTES)).toEqual(DEFAULT_ROUTES);
  });

  it("describe a whole table: a missing or unknown task is refused", () => {
    const { narration: _dropped, ...partial } = DEFAULT_ROUTES;
    expect(RoutesTable.safeParse(partial).success).toBe(false);
    expect(RoutesTable.safeParse({ ...DEFAULT_ROUTES, juggling: DEFAULT_ROUTES.narration }).success).toBe(false);
  });
});
