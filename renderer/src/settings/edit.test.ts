import { describe, expect, it } from "vitest";
import { routesTable } from "../testing/fake-client.js";
import { readSettings, type SettingsDoc } from "./doc.js";
import { addModel, changeProvider, moveModel, removeModel, resolveRoutes, setRouteField, setSlotValue, slotValue } from "./edit.js";

/** The host's defaults in these tests (made up: the renderer keeps no copy of the engine's). */
const defaults = routesTable();

function doc(): SettingsDoc {
  const read = readSettings({
    version: 1,
    slots: { main: [{ provider: "local", file: "a.gguf", threads: 2 }], cot: [], utility: [{ provider: "local", file: "a.gguf" }] },
    defaults: { timeoutMs: 1000 },
  });
  if (!read.ok) throw new Error(read.message);
  return read.doc;
}

describe("settings edits", () => {
  it("read a document loosely, keeping fields the screen does not edit", () => {
    const d = doc();
    expect(d.routes).toEqual({});
    expect(d.budgets).toEqual({});
    expect(d["defaults"]).toEqual({ timeoutMs: 1000 });
    expect(readSettings({ slots: 3 }).ok).toBe(false);
  });

  it("carry over only the fields the new provider takes", () => {
    const local = { provider: "local" as const, file: "a.gguf", threads: 2, contextSize: 2048 };
    expect(changeProvider(local, "openrouter", undefined)).toEqual({ provider: "openrouter", model: "", contextSize: 2048 });
    expect(changeProvider(local, "openai-compatible", undefined)).toEqual({ provider: "openai-compatible", model: "", baseUrl: "", contextSize: 2048 });
    expect(changeProvider({ provider: "gemini", model: "g", pricing: { inputPerMillion: 1, outputPerMillion: 2 } }, "local", "b.gguf")).toEqual({ provider: "local", file: "b.gguf" });
  });

  it("reorder, add and remove models of a chain", () => {
    let d = addModel(doc(), "main", { provider: "openrouter", model: "x/y" });
    d = moveModel(d, "main", 1, -1);
    expect(d.slots.main.map(m => m.provider)).toEqual(["openrouter", "local"]);
    expect(moveModel(d, "main", 0, -1)).toBe(d);
    d = removeModel(d, "main", 0);
    expect(d.slots.main).toEqual([{ provider: "local", file: "a.gguf", threads: 2 }]);
  });

  it("store a route only where it differs from the host's default", () => {
    let d = setRouteField(doc(), defaults, "dialogue", "critical", "maxTokens", 4096);
    expect(d.routes).toEqual({ dialogue: { critical: { maxTokens: 4096 } } });
    expect(resolveRoutes(defaults, d.routes).dialogue.critical).toEqual({ slot: "utility", temperature: 0.2, maxTokens: 4096 });
    d = setRouteField(d, defaults, "dialogue", "critical", "maxTokens", 300);
    expect(d.routes).toEqual({});
  });

  it("set a slot-wide value on every task routed to the slot", () => {
    const table = (d: SettingsDoc) => resolveRoutes(defaults, d.routes);
    // Routine narration (1000 tokens) shares the utility slot with tasks of 300: no one value.
    expect(slotValue(table(doc()), "utility", "maxTokens")).toBeUndefined();
    expect(slotValue(table(doc()), "utility", "temperature")).toBeUndefined();
    expect(slotValue(table(doc()), "cot", "maxTokens")).toBe(1000);
    const d = setSlotValue(doc(), table(doc()), defaults, "utility", "maxTokens", 500);
    expect(slotValue(table(d), "utility", "maxTokens")).toBe(500);
    expect(table(d)["intent-parsing"].routine.maxTokens).toBe(500);
    expect(table(d).narration.routine.maxTokens).toBe(500);
    expect(table(d).narration.critical.maxTokens).toBe(1000);
  });
});
