import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DEFAULT_ROUTES, type LedgerRow } from "../llm/index.js";
import { GameView, HostEvent, METHODS, Response, type Method, type Params, type Result } from "./protocol.js";
import { GameService, type KeyEnv, type KeyStore } from "./service.js";
import { usageView } from "./usage.js";

/**
 * GameService without a host in front: every method through `handle`, offline (the engine
 * narrates), with each answer checked against the protocol's own schemas.
 */

let dir: string;
let service: GameService;
let events: HostEvent[];
let nextId: number;

function options(extra: Partial<ConstructorParameters<typeof GameService>[0]> = {}): ConstructorParameters<typeof GameService>[0] {
  return { savesDir: join(dir, "saves"), dataDir: join(dir, "data"), modelsDir: join(dir, "models"), offline: true, watchModels: false, env: {}, ...extra };
}

async function start(extra: Partial<ConstructorParameters<typeof GameService>[0]> = {}): Promise<void> {
  service = await GameService.open(options(extra));
  events = [];
  service.onEvent((event) => events.push(HostEvent.parse(event)));
}

async function raw(request: unknown): Promise<Response> {
  return Response.parse(await service.handle(request));
}

async function call<M extends Method>(method: M, params: Params<M>): Promise<Result<M>> {
  const id = nextId++;
  const response = await raw({ id, method, params });
  expect(response.id).toBe(id);
  if (!response.ok) throw new Error(`${method} failed: ${response.error.kind}: ${response.error.message}`);
  return METHODS[method].result.parse(response.result) as Result<M>;
}

async function fail(method: Method, params: unknown): Promise<{ kind: string; message: string }> {
  const response = await raw({ id: nextId++, method, params });
  if (response.ok) throw new Error(`${method} should have failed`);
  return response.error;
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "taleweave-service-"));
  nextId = 1;
});

afterEach(async () => {
  await service?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("requests", () => {
  it("answers what is not a request with invalid-request, never a throw", async () => {
    await start();
    for (const bad of [null, 42, "game.new", [], {}, { id: 1 }, { id: "1", method: "saves.list", params: {} }]) {
      const response = await raw(bad);
      expect(response.ok).toBe(false);
      if (!response.ok) expect(response.error.kind).toBe("invalid-request");
    }
    const unknown = await raw({ id: 7, method: "game.explode", params: {} });
    expect(unknown).toEqual({ id: 7, ok: false, error: { kind: "invalid-request", message: 'Unknown method "game.explode".' } });
  });

  it("checks params against the method's schema", async () => {
    await start();
    const error = await fail("game.new", { save: "" });
    expect(error.kind).toBe("invalid-request");
    expect(error.message).toMatch(/^Bad parameters for game.new/);
    expect((await fail("game.submit", { input: "x".repeat(2001) })).kind).toBe("invalid-request");
    expect((await fail("slots.test", { slot: "everything" })).kind).toBe("invalid-request");
  });

  it("needs params, {} for methods without any", async () => {
    await start();
    expect(await raw({ id: 3, method: "saves.list", params: {} })).toEqual({ id: 3, ok: true, result: [] });
    expect(await raw({ id: 4, method: "saves.list" })).toMatchObject({ id: 4, ok: false, error: { kind: "invalid-request" } });
  });
});

describe("a game", () => {
  it("starts, plays a turn with streamed narration, and shows the state", async () => {
    await start();
    const started = await call("game.new", { save: "first", seed: 7 });
    expect(started.view).toMatchObject({ save: "first", turn: 0, offline: true, alive: true });
    expect(started.view.clock).toMatch(/^Day 1, \d\d:\d\d$/);
    expect(started.log).toHaveLength(1);
    expect(started.log[0]!.parts.map((p) => p.text).join("\n")).toContain(started.view.location.name);

    const looked = await call("game.submit", { input: "look" });
    if (looked.type !== "turn") throw new Error("look should play a turn");
    expect(looked.entry).toMatchObject({ turn: 1, input: "look" });
    expect(looked.entry.parts.length).toBeGreaterThan(0);
    expect(looked.view.turn).toBe(1);

    const types = events.map((e) => e.type);
    expect(types[0]).toBe("turn-started");
    expect(types).toContain("narration-delta");
    expect(types.at(-1)).toBe("turn-completed");
    const streamed = events.flatMap((e) => (e.type === "narration-delta" ? [e.text] : [])).join("");
    expect(streamed).toBe(looked.entry.parts.map((p) => p.text).join("\n\n"));
    const completed = events.at(-1);
    expect(completed?.type === "turn-completed" && completed.entry).toEqual(looked.entry);
  });

  it("shows exits with their doors, people with moods, worn items and quests", async () => {
    await start();
    await call("game.new", { save: "walk", seed: 7 });
    for (const input of ["n", "talk to elder", "ask elder about dead", "e", "talk to hob", "ask hob about room", "take bread"]) {
      await call("game.submit", { input });
    }
    const result = await call("game.submit", { input: "look" });
    if (result.type !== "turn") throw new Error("look should play a turn");
    const view = GameView.parse(result.view);
    expect(view.people.length).toBeGreaterThan(0);
    expect(view.people.every((p) => ["hostile", "unfriendly", "neutral", "friendly", "devoted"].includes(p.mood))).toBe(true);
    expect(view.exits.some((e) => e.door !== undefined)).toBe(true);
    expect(view.inventory.some((i) => i.name.toLowerCase().includes("bread") && !i.worn)).toBe(true);
    expect(view.quests.length).toBeGreaterThan(0);
    expect(view.quests[0]!.stage).not.toBe("");
  });

  it("answers meta commands with a message, not a turn", async () => {
    await start();
    await call("game.new", { save: "meta", seed: 1 });
    const undo = await call("game.submit", { input: "undo" });
    expect(undo).toMatchObject({ type: "meta", ok: false });
    await call("game.submit", { input: "wait" });
    const undone = await call("game.submit", { input: "undo" });
    expect(undone).toMatchObject({ type: "meta", ok: true });
    if (undone.type === "meta") expect(undone.view.turn).toBe(0);
  });

  it("refuses to play without a game, and cancels nothing when idle", async () => {
    await start();
    expect(await fail("game.submit", { input: "look" })).toMatchObject({ kind: "no-game", message: "No game is open. Start a new game or load a save." });
    expect(await call("game.cancel", {})).toEqual({ cancelled: false });
    expect(await fail("saves.saveAs", { name: "copy" })).toMatchObject({ kind: "no-game" });
  });
});

describe("saves", () => {
  it("lists, copies, opens with the log, and deletes", async () => {
    await start();
    await call("game.new", { save: "one", seed: 3 });
    for (const input of ["look", "n", "wait"]) await call("game.submit", { input });

    const copied = await call("saves.saveAs", { name: "two" });
    expect(copied.view).toMatchObject({ save: "two", turn: 3 });
    await call("game.submit", { input: "wait" });

    const list = await call("saves.list", {});
    expect(list.map((s) => [s.name, s.turn])).toEqual([["one", 3], ["two", 4]]);
    expect(list[0]).toMatchObject({ worldId: "greyhollow" });

    const opened = await call("game.open", { save: "one" });
    expect(opened.view).toMatchObject({ save: "one", turn: 3 });
    expect(opened.log.map((e) => [e.turn, e.input])).toEqual([[0, ""], [1, "look"], [2, "n"], [3, "wait"]]);
    expect(opened.log[2]!.parts[0]!.text).not.toBe("");

    expect(await call("saves.turns", { save: "two" })).toEqual([
      { turn: 1, input: "look" }, { turn: 2, input: "n" }, { turn: 3, input: "wait" }, { turn: 4, input: "wait" },
    ]);

    expect(await fail("saves.delete", { name: "one" })).toMatchObject({ kind: "in-use" });
    expect(await call("saves.delete", { name: "two" })).toEqual({ deleted: true });
    expect(await call("saves.delete", { name: "two" })).toEqual({ deleted: false });
    expect((await call("saves.list", {})).map((s) => s.name)).toEqual(["one"]);
  });

  it("rewinds a save to a turn, into a new save, leaving the old one as it was", async () => {
    await start();
    await call("game.new", { save: "story", seed: 3 });
    for (const input of ["look", "n", "wait"]) await call("game.submit", { input });

    const rewound = await call("saves.rewind", { save: "story", turn: 1, newName: "story at 1" });
    expect(rewound.view).toMatchObject({ save: "story at 1", turn: 1 });
    expect(rewound.log.map((e) => [e.turn, e.input])).toEqual([[0, ""], [1, "look"]]);
    const played = await call("game.submit", { input: "wait" });
    expect(played.type === "turn" && played.entry.turn).toBe(2);

    const start0 = await call("saves.rewind", { save: "story", turn: 0, newName: "story at 0" });
    expect(start0.view.turn).toBe(0);
    expect(start0.log.map((e) => e.turn)).toEqual([0]);

    expect((await call("saves.list", {})).map((s) => [s.name, s.turn])).toEqual([["story at 0", 0], ["story at 1", 2], ["story", 3]]);
    expect(await fail("saves.rewind", { save: "story", turn: 9, newName: "later" })).toEqual({
      kind: "invalid-data",
      message: 'The save "story" was not changed: there is no turn 9 to branch from: this save\'s turns are 0 to 3.',
    });
    expect(await fail("saves.rewind", { save: "story", turn: 1, newName: "story at 1" })).toMatchObject({ kind: "exists" });
    expect(await fail("saves.rewind", { save: "nothing", turn: 1, newName: "x" })).toMatchObject({ kind: "not-found" });
    expect((await call("saves.list", {})).map((s) => s.name)).toEqual(["story at 0", "story at 1", "story"]);
  });

  it("keeps only the last turns in the log of a long game", async () => {
    await start();
    await call("game.new", { save: "long", seed: 5 });
    for (let i = 0; i < 205; i++) await call("game.submit", { input: "wait" });
    const opened = await call("game.open", { save: "long" });
    expect(opened.log).toHaveLength(200);
    expect(opened.log[0]!.turn).toBe(6);
    expect(opened.log.at(-1)!.turn).toBe(205);
  }, 120_000);

  it("says what to do when a save is missing, taken, badly named or damaged", async () => {
    await start();
    expect(await fail("game.open", { save: "nowhere" })).toEqual({ kind: "not-found", message: 'No save called "nowhere". Choose one from the list.' });
    await call("game.new", { save: "taken" });
    expect(await fail("game.new", { save: "taken" })).toMatchObject({ kind: "exists", message: expect.stringContaining("Choose another name") });
    expect(await fail("game.new", { save: "../escape" })).toMatchObject({ kind: "invalid-name" });
    writeFileSync(join(dir, "saves", "broken.sqlite"), "not a database at all, just some text that is long enough");
    const listed = (await call("saves.list", {})).find((s) => s.name === "broken");
    expect(listed?.problem).toBeTruthy();
    const error = await fail("game.open", { save: "broken" });
    expect(["corrupt", "foreign"]).toContain(error.kind);
    expect(error.message).toMatch(/Choose another save\.$/);
    expect(error.message).not.toMatch(/\n\s+at /);
    // A failed open leaves the game being played as it was.
    expect((await call("game.submit", { input: "wait" })).type).toBe("turn");
  });
});

describe("settings and keys", () => {
  it("shows settings and which keys are set, never a key", async () => {
    await start({ env: { OPENROUTER_API_KEY: "sk-or-v1-abcdefghijklmnopqrstuvwxyz0123456789" } });
    const response = await raw({ id: 1, method: "settings.get", params: {} });
    expect(JSON.stringify(response)).not.toContain("abcdefghijklmnopqrstuvwxyz");
    const got = METHODS["settings.get"].result.parse(response.ok ? response.result : undefined);
    expect(got.keys).toEqual({ GEMINI_API_KEY: "not set", OPENAI_COMPATIBLE_API_KEY: "not set", OPENROUTER_API_KEY: "set" });
    expect(got.settings).toMatchObject({ version: 1 });
  });

  it("applies valid settings and refuses invalid ones with the reason", async () => {
    await start();
    const { settings } = await call("settings.get", {});
    const next = { ...(settings as Record<string, unknown>), budgets: { dailyUsd: 2 } };
    const updated = await call("settings.update", { settings: next });
    expect(updated.settings).toMatchObject({ budgets: { dailyUsd: 2 } });
    expect((await call("settings.get", {})).settings).toMatchObject({ budgets: { dailyUsd: 2 } });

    const invalid = await fail("settings.update", { settings: { version: 1, slots: { main: [{ provider: "nowhere" }] } } });
    expect(invalid.kind).toBe("invalid-settings");
    expect(invalid.message).toMatch(/^These settings cannot be used: invalid settings/);
    expect(invalid.message).toContain("slots.main[0]");
    expect(invalid.message).not.toContain(dir);

    const secret = await fail("settings.update", { settings: { version: 1, apiKey: "x" } });
    expect(secret.message).toContain("secrets are not settings");
  });

  it("gives the engine's routing defaults with the settings, which hold only overrides", async () => {
    await start();
    const { settings, routeDefaults } = await call("settings.get", {});
    expect(routeDefaults).toEqual(DEFAULT_ROUTES);
    const overrides = { narration: { critical: { maxTokens: 4096 } } };
    const updated = await call("settings.update", { settings: { ...(settings as Record<string, unknown>), routes: overrides } });
    expect(updated.settings).toMatchObject({ routes: overrides });
    expect((await call("settings.get", {})).routeDefaults).toEqual(DEFAULT_ROUTES);
  });

  it("refuses to store a key without a key store", async () => {
    await start();
    const error = await fail("settings.setKey", { env: "OPENROUTER_API_KEY", key: "sk-or-v1-abcdefghijklmnopqrstuvwxyz" });
    expect(error).toMatchObject({ kind: "unsupported" });
    expect(error.message).toMatch(/^Keys are read from the environment in the web host: set OPENROUTER_API_KEY/);
  });

  it("stores a key in the key store and reports it set", async () => {
    const stored = new Map<KeyEnv, string>([["GEMINI_API_KEY", "AIza-from-the-keychain"]]);
    const keyStore: KeyStore = { get: (env) => stored.get(env), set: (env, key) => void stored.set(env, key) };
    await start({ keyStore });
    expect((await call("settings.get", {})).keys).toMatchObject({ GEMINI_API_KEY: "set", OPENROUTER_API_KEY: "not set" });
    const result = await call("settings.setKey", { env: "OPENROUTER_API_KEY", key: "sk-or-v1-new" });
    expect(result.keys).toMatchObject({ OPENROUTER_API_KEY: "set" });
    expect(stored.get("OPENROUTER_API_KEY")).toBe("sk-or-v1-new");
  });
});

describe("models, slots and usage", () => {
  it("lists the models folder, with a problem for a bad file", async () => {
    await start();
    const empty = await call("models.list", {});
    expect(empty).toEqual({ dir: join(dir, "models"), files: [] });
    mkdirSync(join(dir, "models"));
    writeFileSync(join(dir, "models", "fake.gguf"), "not gguf");
    const listed = await call("models.list", {});
    expect(listed.files).toHaveLength(1);
    expect(listed.files[0]).toMatchObject({ name: "fake.gguf", size: 8 });
    expect(listed.files[0]!.problem).toBeTruthy();
  });

  it("tests a slot with no model as not ok, with what to do", async () => {
    await start();
    const result = await call("slots.test", { slot: "main" });
    expect(result).toMatchObject({ slot: "main", ok: false });
    expect(result.error).toContain("no model is configured for the main slot");
  });

  it("reports usage from the ledger", async () => {
    await start();
    await call("slots.test", { slot: "utility" });
    const usage = await call("usage.get", {});
    expect(usage).toMatchObject({ rows: [], totalCostUsd: 0, allMainCostUsd: null, turnsNeedingModel: 0 });
    expect(usage.series).toHaveLength(1);
    expect(usage.series[0]).toMatchObject({ calls: 0, costUsd: 0 });
  });
});

describe("usageView", () => {
  const row = (over: Partial<LedgerRow>): LedgerRow => ({
    request: 0, time: "2026-01-01T10:15:00.000Z", taskType: "narration", complexity: "routine", slot: "utility",
    provider: "openrouter", model: "small", inputTokens: 10, outputTokens: 5, costUsd: 0.001, latencyMs: 100, outcome: "ok", ...over,
  });

  it("groups by slot and model, counts the turns that needed a model, and charts per hour", () => {
    const view = usageView([
      row({ request: 0 }),
      row({ request: 1, latencyMs: 300, time: "2026-01-01T10:45:00.000Z" }),
      row({ request: 2, taskType: "intent-parsing", outcome: "fell-back", costUsd: 0, latencyMs: 50 }),
      row({ request: 2, taskType: "intent-parsing", slot: "utility", model: "other", provider: "gemini", time: "2026-01-01T11:05:00.000Z" }),
      row({ request: 3, slot: "main", model: "big", costUsd: 0.01, time: "2026-01-01T11:10:00.000Z" }),
      row({ request: 4, provider: "offline", model: "offline", outcome: "offline", costUsd: 0, inputTokens: 0, outputTokens: 0 }),
    ], { provider: "openrouter", model: "big", pricing: { inputPerMillion: 1000, outputPerMillion: 2000 } });
    expect(view.rows).toEqual([
      { slot: "utility", model: "small", calls: 3, tokensIn: 30, tokensOut: 15, costUsd: 0.002, p50Ms: 100, p95Ms: 300 },
      { slot: "utility", model: "other", calls: 1, tokensIn: 10, tokensOut: 5, costUsd: 0.001, p50Ms: 100, p95Ms: 100 },
      { slot: "main", model: "big", calls: 1, tokensIn: 10, tokensOut: 5, costUsd: 0.01, p50Ms: 100, p95Ms: 100 },
    ]);
    expect(view.totalCostUsd).toBeCloseTo(0.013);
    // Four answered calls of 10 in and 5 out, at $1000/$2000 per million.
    expect(view.allMainCostUsd).toBeCloseTo(4 * (10 * 1000 + 5 * 2000) / 1e6);
    expect(view.turnsNeedingModel).toBe(1);
    expect(view.series).toEqual([
      { hour: "2026-01-01T10:00:00.000Z", calls: 3, costUsd: 0.002 },
      { hour: "2026-01-01T11:00:00.000Z", calls: 2, costUsd: 0.011 },
    ]);
  });
});
