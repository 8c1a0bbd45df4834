import { describe, expect, it } from "vitest";
import * as llm from "./index.js";

describe("engine/llm public surface", () => {
  it("exports the router and everything around it, with the contracts", () => {
    for (const name of [
      "Router", "Ledger", "usageReport", "ScriptedProvider", "VirtualTime", "CircuitBreaker", "Budget", "ResponseCache",
      "fingerprint", "canonicalJson", "detectComplexity", "resolveRoutes", "DEFAULT_ROUTES", "retryDelay",
      "AppSettings", "loadSettings", "saveSettings", "defaultSettings", "dataDir", "SettingsError",
      "LlmError", "ModelSpec", "ChatMessage", "SLOTS", "TASK_TYPES",
    ]) {
      expect(llm, name).toHaveProperty(name);
    }
  });

  it("answers a task end to end through the public surface alone", async () => {
    const settings = llm.AppSettings.parse({ version: 1, slots: { utility: [{ provider: "local", file: "a.gguf" }] } });
    const router = new llm.Router({ settings: () => settings, createProvider: () => new llm.ScriptedProvider({ then: llm.say("north") }) });
    expect(await router.run({ type: "intent-parsing", messages: [{ role: "user", content: "go north" }] })).toMatchObject({ ok: true, text: "north" });
  });
});
