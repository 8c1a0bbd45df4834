import { createStore, type StoreApi } from "zustand/vanilla";
import type { GameClient, GameView, LogEntry, SaveInfo, Slot } from "../../../engine/api/index.js";
import { readSettings, type SettingsDoc, type StorableKey } from "../settings/doc.js";
import { appendEntry, appendMeta, itemsFromLog, trimToView } from "./log-items.js";
import { apiErrorOf, makeNotice, notice, type Notice } from "./notices.js";
import { addNotice, reduceEvent, withCatalogStatus, withoutDownload, withoutLoads } from "./reduce-event.js";
import { INITIAL_DATA, type AppData, type CatalogState, type Screen, type SettingsState } from "./state.js";

export interface AppActions {
  go(screen: Screen): void;
  dismiss(id: number): void;
  newGame(save: string, seed: number | undefined): Promise<boolean>;
  openSave(save: string): Promise<boolean>;
  /** Opens the most recently played save, if there is one. */
  continueLatest(): Promise<boolean>;
  submit(input: string): Promise<void>;
  cancelTurn(): Promise<void>;
  loadSaves(): Promise<void>;
  saveAs(name: string): Promise<boolean>;
  deleteSave(name: string): Promise<boolean>;
  turnsOf(save: string): Promise<readonly { turn: number; input: string }[] | undefined>;
  rewind(save: string, turn: number, newName: string): Promise<boolean>;
  loadSettings(): Promise<void>;
  loadModels(): Promise<void>;
  editSettings(edit: (doc: SettingsDoc) => SettingsDoc): void;
  revertSettings(): void;
  saveSettings(): Promise<boolean>;
  setKey(env: StorableKey, key: string): Promise<boolean>;
  testSlot(slot: Slot): Promise<void>;
  loadCatalog(): Promise<void>;
  /** Downloads a catalog model; its progress comes as host events, its end as a notice. */
  downloadModel(id: string): Promise<void>;
  cancelDownload(id: string): Promise<void>;
  loadUsage(): Promise<void>;
}

export type AppState = AppData & AppActions;
export type AppStore = StoreApi<AppState>;

/** How long a notice that needs no action stays up. */
const INFO_MS = 6000;

/** The latest save that can be opened. */
export function latestSave(saves: readonly SaveInfo[]): SaveInfo | undefined {
  return saves
    .filter(save => save.problem === undefined)
    .reduce<SaveInfo | undefined>((best, save) => (best === undefined || (save.updatedAt ?? "") > (best.updatedAt ?? "") ? save : best), undefined);
}

/** The app's one store. Every call to the host goes through here; a rejected call becomes a notice, never narration. */
export function createAppStore(client: GameClient): AppStore {
  return createStore<AppState>()((set, get) => {
    const inform = (tone: Notice["tone"], title: string, message: string): void => {
      const next = makeNotice(tone, title, message);
      set({ notices: addNotice(get().notices, next) });
      if (tone === "info") setTimeout(() => get().dismiss(next.id), INFO_MS);
    };
    const fail = (error: unknown): void => {
      set({ notices: addNotice(get().notices, notice("error", apiErrorOf(error))) });
    };
    /** Runs a call with a status line; undefined when it failed (and the failure is on screen). */
    const run = async <T>(working: string, call: () => Promise<T>): Promise<T | undefined> => {
      set({ working });
      try {
        return await call();
      } catch (error) {
        fail(error);
        return undefined;
      } finally {
        if (get().working === working) set({ working: undefined });
      }
    };
    const enterGame = (view: GameView, log: readonly LogEntry[]): void => {
      set({ view, log: itemsFromLog(log), draft: undefined, screen: "game" });
    };
    const setSettings = (patch: Partial<SettingsState>): void => {
      set({ settings: { ...get().settings, ...patch } });
    };
    // A catalog listing can be made before the host takes up a download this window asked for, and
    // listings can be answered out of order: only the latest is shown, with the downloads asked for
    // and not yet answered still under way, whatever it says.
    const downloadsAsked = new Set<string>();
    let catalogRequests = 0;

    return {
      ...INITIAL_DATA,

      go: screen => set({ screen: screen === "game" && get().view === undefined ? "title" : screen }),

      dismiss: id => set({ notices: get().notices.filter(n => n.id !== id) }),

      async newGame(save, seed) {
        const opened = await run("Starting a new game…", () => client.call("game.new", seed === undefined ? { save } : { save, seed }));
        if (opened === undefined) return false;
        enterGame(opened.view, opened.log);
        return true;
      },

      async openSave(save) {
        const opened = await run(`Opening “${save}”…`, () => client.call("game.open", { save }));
        if (opened === undefined) return false;
        enterGame(opened.view, opened.log);
        return true;
      },

      async continueLatest() {
        await get().loadSaves();
        const latest = latestSave(get().saves ?? []);
        if (latest === undefined) {
          inform("info", "Nothing to continue", "There are no saved games yet. Start a new game.");
          return false;
        }
        return get().openSave(latest.name);
      },

      async submit(input) {
        if (get().turnPending || get().view === undefined) return;
        set({ turnPending: true, draft: { turn: undefined, input, text: "" } });
        try {
          const outcome = await client.call("game.submit", { input });
          switch (outcome.type) {
            case "turn":
              set({ log: appendEntry(get().log, outcome.entry), view: outcome.view, draft: undefined });
              break;
            case "meta": {
              const before = get().view;
              set({ draft: undefined });
              // "load <name>" switches to another game: its story replaces this one.
              if (before !== undefined && outcome.view.save !== before.save) {
                const opened = await client.call("game.open", { save: outcome.view.save });
                set({ log: itemsFromLog(opened.log) });
              }
              set({ view: outcome.view, log: appendMeta(trimToView(get().log, outcome.view), input, outcome.message, outcome.ok) });
              break;
            }
            case "cancelled":
              set({ draft: undefined });
              inform("info", "Turn cancelled", "Nothing changed: the game is as it was before that turn.");
              break;
          }
        } catch (error) {
          set({ draft: undefined });
          fail(error);
        } finally {
          set({ turnPending: false });
        }
      },

      async cancelTurn() {
        if (!get().turnPending) return;
        try {
          await client.call("game.cancel", {});
        } catch (error) {
          fail(error);
        }
      },

      async loadSaves() {
        const saves = await run("Reading the saves…", () => client.call("saves.list", {}));
        if (saves !== undefined) set({ saves });
      },

      async saveAs(name) {
        const saved = await run(`Saving as “${name}”…`, () => client.call("saves.saveAs", { name }));
        if (saved === undefined) return false;
        set({ view: saved.view });
        inform("info", "Saved", `Saved as “${name}”. You are now playing that save.`);
        await get().loadSaves();
        return true;
      },

      async deleteSave(name) {
        const deleted = await run(`Deleting “${name}”…`, () => client.call("saves.delete", { name }));
        if (deleted === undefined) return false;
        if (!deleted.deleted) inform("info", "Not deleted", `There was no save called “${name}”.`);
        await get().loadSaves();
        return deleted.deleted;
      },

      turnsOf: save => run(`Reading the turns of “${save}”…`, () => client.call("saves.turns", { save })),

      async rewind(save, turn, newName) {
        const opened = await run(`Rewinding “${save}” to turn ${turn}…`, () => client.call("saves.rewind", { save, turn, newName }));
        if (opened === undefined) return false;
        enterGame(opened.view, opened.log);
        inform("info", "Rewound", `“${newName}” starts after turn ${turn} of “${save}”, which is unchanged.`);
        return true;
      },

      async loadSettings() {
        setSettings({ status: "loading", error: undefined, savedMessage: undefined });
        const got = await run("Reading the settings…", () => client.call("settings.get", {}));
        if (got === undefined) {
          setSettings({ status: "idle" });
          return;
        }
        const read = readSettings(got.settings);
        if (!read.ok) {
          setSettings({ status: "unreadable", error: read.message, routeDefaults: got.routeDefaults, keys: got.keys, problem: got.problem });
          return;
        }
        setSettings({ status: "ready", saved: read.doc, draft: read.doc, routeDefaults: got.routeDefaults, keys: got.keys, problem: got.problem });
      },

      async loadModels() {
        const models = await run("Reading the models folder…", () => client.call("models.list", {}));
        if (models !== undefined) set({ models });
      },

      editSettings(edit) {
        const draft = get().settings.draft;
        if (draft !== undefined) setSettings({ draft: edit(draft), savedMessage: undefined });
      },

      revertSettings() {
        setSettings({ draft: get().settings.saved, error: undefined, savedMessage: undefined });
      },

      async saveSettings() {
        const draft = get().settings.draft;
        if (draft === undefined) return false;
        setSettings({ status: "saving", error: undefined, savedMessage: undefined });
        try {
          const updated = await client.call("settings.update", { settings: draft });
          const read = readSettings(updated.settings);
          if (!read.ok) throw new Error(read.message);
          setSettings({ status: "ready", saved: read.doc, draft: read.doc, problem: undefined, savedMessage: "Saved. The next model call uses these settings." });
          return true;
        } catch (error) {
          setSettings({ status: "ready", error: apiErrorOf(error).message });
          return false;
        }
      },

      async setKey(env, key) {
        const stored = await run("Storing the key…", () => client.call("settings.setKey", { env, key }));
        if (stored === undefined) return false;
        setSettings({ keys: stored.keys });
        inform("info", "Key stored", `${env} is set. It is kept by the system keychain and never shown again.`);
        return true;
      },

      async testSlot(slot) {
        const tests = get().slotTests;
        set({ slotTests: { ...tests, [slot]: { running: true } } });
        try {
          const result = await client.call("slots.test", { slot });
          set({ slotTests: { ...get().slotTests, [slot]: { running: false, result } } });
        } catch (error) {
          set({ slotTests: { ...get().slotTests, [slot]: { running: false, error: apiErrorOf(error).message } } });
        } finally {
          set({ progress: withoutLoads(get().progress) });
        }
      },

      async loadCatalog() {
        const request = ++catalogRequests;
        const listed = await run("Reading the model catalog…", () => client.call("models.catalog", {}));
        if (listed === undefined || request !== catalogRequests) return;
        let catalog: CatalogState | undefined = listed;
        for (const id of downloadsAsked) {
          if (listed.models.some(m => m.id === id && m.status !== "downloading")) catalog = withCatalogStatus(catalog, id, "downloading");
        }
        set({ catalog });
      },

      async downloadModel(id) {
        const model = get().catalog?.models.find(m => m.id === id);
        if (model === undefined || model.status === "downloading" || downloadsAsked.has(id)) return;
        // Shown as under way at once: the host's first progress event may take a moment.
        downloadsAsked.add(id);
        set({ catalog: withCatalogStatus(get().catalog, id, "downloading") });
        try {
          const done = await client.call("models.download", { id });
          switch (done.status) {
            case "downloaded":
              inform("info", "Model downloaded", `${model.name} is in the models folder as ${done.file}${done.verified ? ", its sha256 checked" : ""}. Choose it for a slot above.`);
              break;
            case "already-present":
              inform("info", "Already downloaded", `${model.name} is already in the models folder as ${done.file}.`);
              break;
            case "cancelled":
              inform("info", "Download cancelled", `Nothing of ${model.name} was kept; the models folder is as it was.`);
              break;
          }
        } catch (error) {
          fail(error);
        } finally {
          downloadsAsked.delete(id);
          set({ progress: withoutDownload(get().progress, model.file) });
          await get().loadCatalog();
        }
      },

      async cancelDownload(id) {
        try {
          await client.call("models.cancelDownload", { id });
        } catch (error) {
          fail(error);
        }
      },

      async loadUsage() {
        const usage = await run("Reading the usage ledger…", () => client.call("usage.get", {}));
        if (usage !== undefined) set({ usage });
      },
    };
  });
}

/** Feeds the host's events into the store; returns the function that stops it. */
export function bindEvents(store: AppStore, client: GameClient): () => void {
  return client.onEvent(event => store.setState(reduceEvent(store.getState(), event)));
}
