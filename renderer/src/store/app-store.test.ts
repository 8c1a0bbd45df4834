import { describe, expect, it, vi } from "vitest";
import { ApiCallError } from "../../../engine/api/index.js";
import { FakeClient, catalogModel, entry, routesTable, view } from "../testing/fake-client.js";
import { bindEvents, createAppStore, latestSave } from "./app-store.js";

function setup() {
  const client = new FakeClient();
  const store = createAppStore(client);
  bindEvents(store, client);
  return { client, store };
}

describe("the app store", () => {
  it("starts a new game and opens the game screen", async () => {
    const { client, store } = setup();
    client.on("game.new", () => ({ view: view(), log: [entry(0, "You stand in the square.", "")] }));
    expect(await store.getState().newGame("alpha", 7)).toBe(true);
    expect(client.calls).toEqual([{ method: "game.new", params: { save: "alpha", seed: 7 } }]);
    const state = store.getState();
    expect(state.screen).toBe("game");
    expect(state.log).toHaveLength(1);
    expect(state.working).toBeUndefined();
  });

  it("streams narration into the draft while the turn is pending and adds the finished turn once", async () => {
    const { client, store } = setup();
    client.on("game.new", () => ({ view: view(), log: [] }));
    await store.getState().newGame("alpha", undefined);

    let finish: (() => void) | undefined;
    const seen: string[] = [];
    client.on("game.submit", ({ input }) => new Promise(resolve => {
      client.emit({ type: "turn-started", turn: 1, input });
      client.emit({ type: "narration-delta", turn: 1, text: "The wind " });
      seen.push(store.getState().draft?.text ?? "");
      client.emit({ type: "narration-reset", turn: 1 });
      client.emit({ type: "narration-delta", turn: 1, text: "The rain " });
      client.emit({ type: "narration-delta", turn: 1, text: "falls." });
      seen.push(store.getState().draft?.text ?? "");
      finish = () => {
        const done = entry(1, "The rain falls.", input);
        client.emit({ type: "turn-completed", entry: done, view: view({ turn: 1 }) });
        resolve({ type: "turn", entry: done, view: view({ turn: 1 }) });
      };
    }));

    const playing = store.getState().submit("wait");
    expect(store.getState().turnPending).toBe(true);
    expect(seen).toEqual(["The wind ", "The rain falls."]);
    expect(store.getState().log).toHaveLength(0);
    finish?.();
    await playing;

    const state = store.getState();
    expect(state.turnPending).toBe(false);
    expect(state.draft).toBeUndefined();
    expect(state.log).toHaveLength(1);
    expect(state.view?.turn).toBe(1);
  });

  it("shows a failed turn as an error notice, never in the story", async () => {
    const { client, store } = setup();
    client.on("game.new", () => ({ view: view(), log: [] }));
    await store.getState().newGame("alpha", undefined);
    client.on("game.submit", () => {
      throw new ApiCallError({ kind: "busy", message: "A turn is in progress. Wait for it to finish, or cancel it first." });
    });
    await store.getState().submit("look");
    const state = store.getState();
    expect(state.log).toHaveLength(0);
    expect(state.draft).toBeUndefined();
    expect(state.notices).toEqual([expect.objectContaining({ tone: "error", title: "A turn is still in progress" })]);
  });

  it("shows error events from the host as notices", () => {
    const { client, store } = setup();
    client.emit({ type: "error", error: { kind: "model-file", message: "stories.gguf is truncated. Download it again." } });
    expect(store.getState().notices).toEqual([expect.objectContaining({ tone: "error", message: "stories.gguf is truncated. Download it again." })]);
    store.getState().dismiss(store.getState().notices[0]?.id ?? -1);
    expect(store.getState().notices).toEqual([]);
  });

  it("cancels a turn: the draft goes and nothing is added", async () => {
    const { client, store } = setup();
    client.on("game.new", () => ({ view: view(), log: [] }));
    await store.getState().newGame("alpha", undefined);
    let cancelled: (() => void) | undefined;
    client.on("game.submit", () => new Promise(resolve => {
      client.emit({ type: "turn-started", turn: 1, input: "sing" });
      cancelled = () => {
        client.emit({ type: "turn-cancelled", turn: 1 });
        resolve({ type: "cancelled" });
      };
    }));
    client.on("game.cancel", () => {
      cancelled?.();
      return { cancelled: true };
    });
    const playing = store.getState().submit("sing");
    await store.getState().cancelTurn();
    await playing;
    const state = store.getState();
    expect(state.log).toEqual([]);
    expect(state.draft).toBeUndefined();
    expect(state.notices.map(n => n.title)).toEqual(["Turn cancelled"]);
  });

  it("answers a meta command in the log and reloads the story when it switched saves", async () => {
    const { client, store } = setup();
    client.on("game.new", () => ({ view: view(), log: [entry(0, "Start", "")] }));
    await store.getState().newGame("alpha", undefined);
    client.on("game.submit", () => ({ type: "meta", ok: true, message: "Loaded \"beta\".", view: view({ save: "beta", turn: 3 }) }));
    client.on("game.open", () => ({ view: view({ save: "beta", turn: 3 }), log: [entry(0, "B", ""), entry(1, "b1"), entry(2, "b2"), entry(3, "b3")] }));
    await store.getState().submit("load beta");
    const log = store.getState().log;
    expect(log).toHaveLength(5);
    expect(log.at(-1)).toMatchObject({ kind: "meta", message: "Loaded \"beta\".", ok: true });
  });

  it("keeps the settings draft and shows why a save was refused", async () => {
    const { client, store } = setup();
    const settings = { version: 1, slots: { main: [{ provider: "local", file: "a.gguf" }], cot: [], utility: [] }, routes: {}, budgets: {}, cache: { enabled: true, maxEntries: 256 } };
    client.on("settings.get", () => ({ settings, routeDefaults: routesTable(), keys: { OPENROUTER_API_KEY: "not set" } }));
    client.on("settings.update", () => {
      throw new ApiCallError({ kind: "invalid-settings", message: "These settings cannot be used: slots.main[0].file: too short" });
    });
    await store.getState().loadSettings();
    expect(store.getState().settings.status).toBe("ready");
    store.getState().editSettings(doc => ({ ...doc, budgets: { dailyUsd: 1 } }));
    expect(await store.getState().saveSettings()).toBe(false);
    const state = store.getState().settings;
    expect(state.error).toContain("too short");
    expect(state.draft?.budgets).toEqual({ dailyUsd: 1 });
    expect(state.saved?.budgets).toEqual({});
    // Fields the screen does not edit travel back untouched.
    expect(client.calls.at(-1)?.params).toMatchObject({ settings: { cache: { enabled: true, maxEntries: 256 } } });
  });

  it("keeps the host's routing defaults across a save", async () => {
    const { client, store } = setup();
    const settings = { version: 1, slots: { main: [], cot: [], utility: [] }, routes: {} };
    const defaults = routesTable(() => ({ slot: "main", temperature: 0.5, maxTokens: 64 }));
    client.on("settings.get", () => ({ settings, routeDefaults: defaults, keys: {} }));
    await store.getState().loadSettings();
    expect(store.getState().settings.routeDefaults).toBe(defaults);
    client.on("settings.update", ({ settings: sent }) => ({ settings: sent }));
    store.getState().editSettings(doc => ({ ...doc, routes: { narration: { routine: { slot: "utility" } } } }));
    expect(await store.getState().saveSettings()).toBe(true);
    expect(store.getState().settings.routeDefaults).toBe(defaults);
  });

  it("downloads a catalog model: a bar while it runs, a notice at the end, the catalog read again", async () => {
    const { client, store } = setup();
    let present = false;
    client.on("models.catalog", () => ({ dir: "/models", models: [catalogModel({ status: present ? "present" : "absent" })] }));
    await store.getState().loadCatalog();
    expect(store.getState().catalog?.models[0]?.status).toBe("absent");

    const seen: { status?: string; bars: number }[] = [];
    client.on("models.download", ({ id }) => {
      seen.push({ status: store.getState().catalog?.models[0]?.status, bars: store.getState().progress.length });
      client.emit({ type: "progress", progress: { kind: "download", file: "tiny.gguf", progress: 0.4 } });
      seen.push({ bars: store.getState().progress.length });
      present = true;
      client.emit({ type: "download-ended", id, file: "tiny.gguf", outcome: "downloaded" });
      client.emit({ type: "models-changed" });
      return { status: "downloaded", file: "tiny.gguf", verified: true };
    });
    await store.getState().downloadModel("tiny");
    expect(client.calls.filter(c => c.method === "models.download")).toEqual([{ method: "models.download", params: { id: "tiny" } }]);
    expect(seen).toEqual([{ status: "downloading", bars: 0 }, { bars: 1 }]);
    const state = store.getState();
    expect(state.progress).toEqual([]);
    expect(state.catalog?.models[0]?.status).toBe("present");
    expect(state.notices).toEqual([expect.objectContaining({ tone: "info", title: "Model downloaded", message: "Tiny Story Model is in the models folder as tiny.gguf, its sha256 checked. Choose it for a slot above." })]);
  });

  it("cancels a download, and shows a failed one as an error notice with what to do", async () => {
    const { client, store } = setup();
    client.on("models.catalog", () => ({ dir: "/models", models: [catalogModel()] }));
    await store.getState().loadCatalog();
    let cancel: (() => void) | undefined;
    client.on("models.download", ({ id }) => new Promise(resolve => {
      client.emit({ type: "progress", progress: { kind: "download", file: "tiny.gguf", progress: 0.1 } });
      cancel = () => {
        client.emit({ type: "download-ended", id, file: "tiny.gguf", outcome: "cancelled" });
        resolve({ status: "cancelled" });
      };
    }));
    client.on("models.cancelDownload", () => {
      cancel?.();
      return { cancelled: true };
    });
    const downloading = store.getState().downloadModel("tiny");
    expect(store.getState().progress).toEqual([{ kind: "download", file: "tiny.gguf", progress: 0.1 }]);
    await store.getState().cancelDownload("tiny");
    await downloading;
    expect(store.getState().progress).toEqual([]);
    expect(store.getState().catalog?.models[0]?.status).toBe("absent");
    expect(store.getState().notices.map(n => n.title)).toEqual(["Download cancelled"]);

    const message = "Download of tiny has sha256 abc, not the def the catalog expects; it was deleted. Try again; if it happens again, update Taleweave.";
    client.on("models.download", () => {
      throw new ApiCallError({ kind: "download-mismatch", message });
    });
    await store.getState().downloadModel("tiny");
    expect(store.getState().notices.at(-1)).toMatchObject({ tone: "error", title: "The download was damaged", message });
    expect(store.getState().catalog?.models[0]?.status).toBe("absent");
  });

  it("keeps a download under way when a listing made before it started answers late, and shows only the latest listing", async () => {
    const { client, store } = setup();
    const listings: ((status: "absent" | "present") => void)[] = [];
    client.on("models.catalog", () => new Promise(resolve => {
      listings.push(status => resolve({ dir: "/models", models: [catalogModel({ status })] }));
    }));
    const first = store.getState().loadCatalog();
    listings[0]?.("absent");
    await first;

    // A listing asked for just before the download, as the settings screen does when the models folder changes.
    const stale = store.getState().loadCatalog();
    let finish: (() => void) | undefined;
    client.on("models.download", () => new Promise(resolve => {
      finish = () => resolve({ status: "downloaded", file: "tiny.gguf", verified: true });
    }));
    const downloading = store.getState().downloadModel("tiny");
    listings[1]?.("absent");
    await stale;
    expect(store.getState().catalog?.models[0]?.status).toBe("downloading");

    // Two listings answered in reverse order: the older answer is dropped.
    const older = store.getState().loadCatalog();
    const newer = store.getState().loadCatalog();
    listings[3]?.("absent");
    await newer;
    listings[2]?.("present");
    await older;
    expect(store.getState().catalog?.models[0]?.status).toBe("downloading");

    finish?.();
    await vi.waitFor(() => expect(listings).toHaveLength(5));
    listings[4]?.("present");
    await downloading;
    expect(store.getState().catalog?.models[0]?.status).toBe("present");
  });

  it("continues the latest save that can be opened", () => {
    expect(latestSave([
      { name: "old", updatedAt: "2024-01-01T00:00:00Z", turn: 2 },
      { name: "broken", problem: "damaged" },
      { name: "new", updatedAt: "2024-06-01T00:00:00Z", turn: 9 },
    ])?.name).toBe("new");
    expect(latestSave([{ name: "broken", problem: "damaged" }])).toBeUndefined();
  });

  it("rewinds into a new save and opens it", async () => {
    const { client, store } = setup();
    client.on("saves.rewind", ({ newName, turn }) => ({ view: view({ save: newName, turn }), log: [entry(0, "S", ""), entry(1, "one"), entry(2, "two")] }));
    expect(await store.getState().rewind("alpha", 2, "alpha-2")).toBe(true);
    expect(store.getState().view?.save).toBe("alpha-2");
    expect(store.getState().log).toHaveLength(3);
    expect(store.getState().screen).toBe("game");
  });
});
