import { describe, expect, it } from "vitest";
// The one place renderer code reaches past engine/api: a test, run under Node, that keeps the
// renderer's copy of the routing defaults honest. The app itself never imports this.
import { COMPLEXITIES as ENGINE_COMPLEXITIES, DEFAULT_ROUTES as ENGINE_ROUTES, TASK_TYPES as ENGINE_TASKS } from "../../../engine/llm/index.js";
import { COMPLEXITIES, DEFAULT_ROUTES, TASK_TYPES } from "./default-routes.js";

describe("the renderer's routing defaults", () => {
  it("are the engine's", () => {
    expect(TASK_TYPES).toEqual(ENGINE_TASKS);
    expect(COMPLEXITIES).toEqual(ENGINE_COMPLEXITIES);
    expect(DEFAULT_ROUTES).toEqual(ENGINE_ROUTES);
  });
});
