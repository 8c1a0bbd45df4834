import { describe, expect, it } from "vitest";
import { readSettings, type SettingsDoc } from "./doc.js";
import { addModel, changeProvider, moveModel, removeModel, resolveRoutes, setRouteField, setSlotValue, slotValue } from "./edit.js";

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

  it("store a route only where it differs from the default", () => {
    let d = setRouteField(doc(), "dialogue", "critical", "maxTokens", 4096);
    expect(d.routes).toEqual({ dialogue: { critical: { maxTokens: 4096 } } });
    expect(resolveRoutes(d.routes).dialogue.critical).toEqual({ slot: "main", temperature: 0.3, maxTokens: 4096 });
    d = setRouteField(d, "dialogue", "critical", "maxTokens", 2048);
    expect(d.routes).toEqual({});
  });

  it("set a slot-wide value on every task routed to the slot", () => {
    expect(slotValue(doc(), "utility", "maxTokens")).toBeUndefined();
    expect(slotValue(doc(), "cot", "temperature")).toBeUndefined();
    const d = setSlotValue(doc(), "utility", "maxTokens", 300);
    expect(slotValue(d, "utility", "maxTokens")).toBe(300);
    const table = resolveRoutes(d.routes);
    expect(table["intent-parsing"].routine.maxTokens).toBe(300);
    expect(table.narration.routine.maxTokens).toBe(300);
    expect(table.narration.critical.maxTokens).toBe(2048);
  });
});
