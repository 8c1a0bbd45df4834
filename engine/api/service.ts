import { randomInt } from "node:crypto";
import { basename } from "node:path";
import { z } from "zod";
import type { WorldPack } from "../game/index.js";
import { CatalogDownloads, DEFAULT_ROUTES, ModelHost, redactSecrets } from "../llm/index.js";
import { GameSession, type SessionEvent } from "../session/index.js";
import { SaveStore, StoreError } from "../store/index.js";
import type { TaskRunner } from "../story/index.js";
import { loadBuiltInWorld } from "../worlds/index.js";
import { ApiFailure, busy, invalidRequest, toApiError } from "./errors.js";
import {
  METHODS, Request,
  type CatalogModel, type GameView, type HostEvent, type KeyStatus, type LogEntry, type Method, type Params, type Response, type Result,
} from "./protocol.js";
import { usageView } from "./usage.js";
import { gameView, openingEntry, storedEntry, turnEntry } from "./view.js";

/**
 * GameService: every METHOD of the protocol, for any host. The web host puts it behind a
 * WebSocket, the desktop app behind IPC; both hand it raw messages and forward what it emits.
 * It plays one game at a time (a GameSession of the built-in world) and owns the model layer
 * (ModelHost) that settings, models, slots and usage read from.
 *
 * Nothing here trusts its caller: `handle` parses every request with the protocol's schemas,
 * answers a bad one with an error, and never throws.
 */

export type KeyEnv = Params<"settings.setKey">["env"];
/** The API keys a player can store through `settings.setKey`. */
export const KEY_ENVS: readonly KeyEnv[] = METHODS["settings.setKey"].params.shape.env.options;

/** Where the desktop app keeps API keys (the OS keychain, through safeStorage). */
export interface KeyStore {
  get(env: KeyEnv): string | undefined;
  set(env: KeyEnv, key: string): void;
}

export interface GameServiceOptions {
  readonly savesDir: string;
  readonly dataDir: string;
  readonly modelsDir: string;
  /** Where API keys are read from, besides the KeyStore (default: process.env). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Play without models: the engine parses and narrates alone. Settings and usage still work. */
  readonly offline?: boolean;
  /** Without one, `settings.setKey` is refused and keys come from `env` alone. */
  readonly keyStore?: KeyStore;
  /** Watch the models folder for added and removed files (default true). */
  readonly watchModels?: boolean;
  /** Threads for local models whose settings do not say; defaults from the machine. */
  readonly threads?: number;
  /** The catalog `models.catalog` and `models.download` use (default: models/catalog.json beside the code). */
  readonly catalogFile?: string;
}

export type HostEventListener = (event: HostEvent) => void;

/** How many turns `game.open` puts in the log: enough to read back, few enough to send at once. */
export const LOG_TURNS = 200;

type Handlers = { readonly [M in Method]: (params: Params<M>) => Promise<Result<M>> };

interface TurnInProgress {
  readonly controller: AbortController;
  /** Settles (never rejects) when the turn is over. */
  readonly over: Promise<void>;
}

export class GameService {
  readonly #world: WorldPack;
  readonly #store: SaveStore;
  readonly #offline: boolean;
  readonly #keyStore: KeyStore | undefined;
  /** The environment the model layer reads keys from: the host's, with the KeyStore's keys over it. */
  readonly #env: Record<string, string | undefined>;
  readonly #host: Promise<ModelHost>;
  readonly #downloads: CatalogDownloads;
  readonly #listeners = new Set<HostEventListener>();
  readonly #handlers: Handlers;
  #session: GameSession | undefined;
  #unsubscribe: (() => void) | undefined;
  #turn: TurnInProgress | undefined;
  /** Turns and slot tests under way: providers are not released while one is using them. */
  #modelWork = 0;
  /** A key changed: providers built with the old one are released once no model work is under way. */
  #providersStale = false;
  #closed = false;

  /** Starts opening the model layer at once; requests wait for it. `GameService.open` waits first. */
  constructor(options: GameServiceOptions) {
    this.#world = loadBuiltInWorld();
    this.#store = new SaveStore(options.savesDir);
    this.#offline = options.offline ?? false;
    this.#keyStore = options.keyStore;
    this.#env = { ...(options.env ?? process.env) };
    for (const env of KEY_ENVS) {
      const key = options.keyStore?.get(env);
      // A key the player stored in the app is the one they chose, so it wins over the environment.
      if (key !== undefined && key.trim() !== "") this.#env[env] = key;
    }
    this.#host = ModelHost.open({
      dataDir: options.dataDir,
      modelsDir: options.modelsDir,
      env: this.#env,
      ...(options.watchModels === undefined ? {} : { watch: options.watchModels }),
      ...(options.threads === undefined ? {} : { threads: options.threads }),
      onModelsChange: () => this.#emit({ type: "models-changed" }),
      onLoadProgress: ({ file, progress }) => this.#emit({
        type: "progress",
        progress: { kind: "load", file: basename(file), progress: Math.min(1, Math.max(0, progress)) },
      }),
    });
    // Awaited by every request that needs it; marked handled here so a failure is not also an unhandled rejection.
    this.#host.catch(() => undefined);
    this.#downloads = new CatalogDownloads({
      modelsDir: options.modelsDir,
      ...(options.catalogFile === undefined ? {} : { catalogFile: options.catalogFile }),
    });
    this.#handlers = this.#makeHandlers();
  }

  /** A service whose model layer is open: a host learns at startup if settings or the ledger cannot be read. */
  static async open(options: GameServiceOptions): Promise<GameService> {
    const service = new GameService(options);
    await service.#host;
    return service;
  }

  /** Answers one request. Never throws: anything that goes wrong is an error response. */
  async handle(request: unknown): Promise<Response> {
    const id = requestId(request);
    try {
      const parsed = Request.safeParse(request);
      if (!parsed.success) throw invalidRequest(requestProblem(request, parsed.error));
      if (this.#closed) throw new ApiFailure("closed", "The game is shutting down.");
      const result = await this.#dispatch(parsed.data.method, parsed.data.params);
      return { id, ok: true, result };
    } catch (error) {
      return { id, ok: false, error: toApiError(error) };
    }
  }

  /** Returns a function that stops listening. */
  onEvent(listener: HostEventListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Cancels a turn in progress, waits for it to end, and closes the game and the model layer. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const turn = this.#turn;
    turn?.controller.abort();
    await turn?.over;
    this.#closeSession();
    // Downloads stop first: what they had fetched is deleted, and nothing half-written stays behind.
    await this.#downloads.close();
    this.#listeners.clear();
    const host = await this.#host.catch(() => undefined);
    await host?.close();
  }

  async #dispatch<M extends Method>(method: M, raw: unknown): Promise<Result<M>> {
    const schema: z.ZodType = METHODS[method].params;
    const handler: (params: Params<M>) => Promise<Result<M>> = this.#handlers[method];
    const params = schema.safeParse(raw);
    if (!params.success) throw invalidRequest(`Bad parameters for ${method}: ${z.prettifyError(params.error)}`);
    // The schema is METHODS[method].params, so its output is Params<M>; TypeScript cannot follow
    // that through the union of methods.
    return handler(params.data as Params<M>);
  }

  #makeHandlers(): Handlers {
    return {
      "game.new": async ({ save, seed }) => {
        const options = await this.#sessionOptions();
        this.#checkIdle();
        const session = GameSession.start(this.#world, this.#store, save, seed ?? randomInt(0x7fffffff), options);
        this.#use(session);
        return { view: this.#view(session), log: [openingEntry(this.#world, session.state)] };
      },

      "game.open": async ({ save }) => {
        const options = await this.#sessionOptions();
        this.#checkIdle();
        const session = GameSession.resume(this.#world, this.#store, save, options);
        let log: LogEntry[];
        try {
          log = this.#log(save, session.state.turn);
        } catch (error) {
          session.close();
          throw error;
        }
        this.#use(session);
        return { view: this.#view(session), log };
      },

      "game.submit": async ({ input }) => {
        const session = this.#current();
        this.#checkIdle();
        const controller = new AbortController();
        const playing = session.submit(input, { signal: controller.signal });
        this.#turn = { controller, over: playing.then(() => undefined, () => undefined) };
        this.#modelWork++;
        try {
          const outcome = await playing;
          switch (outcome.type) {
            case "turn": {
              const { summary, parts } = outcome;
              return { type: "turn", entry: turnEntry(summary.turn, summary.input, parts, summary.narration), view: this.#view(session) };
            }
            case "meta":
              return { type: "meta", ok: outcome.ok, message: outcome.message, view: this.#view(session) };
            case "cancelled":
              return { type: "cancelled" };
          }
        } finally {
          this.#turn = undefined;
          this.#modelWork--;
          await this.#releaseStaleProviders();
        }
      },

      "game.cancel": async () => {
        const turn = this.#turn;
        if (turn === undefined || turn.controller.signal.aborted) return { cancelled: false };
        turn.controller.abort();
        return { cancelled: true };
      },

      "saves.list": async () => this.#store.list().map((s) => (s.problem === undefined
        ? { name: s.name, worldId: s.worldId, turn: s.turn, updatedAt: s.updatedAt }
        : { name: s.name, problem: s.problem })),

      "saves.saveAs": async ({ name }) => {
        const options = await this.#sessionOptions();
        const current = this.#current();
        this.#checkIdle();
        // Like typing "save <name>": the copy becomes the game being played, the original stays as it was.
        this.#store.saveAs(current.saveName, name).close();
        const session = GameSession.resume(this.#world, this.#store, name, options);
        this.#use(session);
        return { view: this.#view(session) };
      },

      "saves.delete": async ({ name }) => {
        if (this.#session?.saveName === name) {
          throw new ApiFailure("in-use", `"${name}" is the game you are playing. Open another save or start a new game before deleting it.`);
        }
        try {
          this.#store.delete(name);
        } catch (error) {
          if (error instanceof StoreError && error.kind === "not-found") return { deleted: false };
          throw error;
        }
        return { deleted: true };
      },

      "saves.turns": async ({ save }) => {
        const file = this.#store.open(save);
        try {
          return [...file.turns()].map((t) => ({ turn: t.turn, input: t.input }));
        } finally {
          file.close();
        }
      },

      "saves.rewind": async ({ save, turn, newName }) => {
        const options = await this.#sessionOptions();
        this.#checkIdle();
        const session = GameSession.rewind(this.#world, this.#store, save, turn, newName, options);
        let log: LogEntry[];
        try {
          log = this.#log(newName, session.state.turn);
        } catch (error) {
          session.close();
          throw error;
        }
        this.#use(session);
        return { view: this.#view(session), log };
      },

      "settings.get": async () => {
        const host = await this.#host;
        const problem = host.settingsProblem;
        return {
          settings: host.settings,
          routeDefaults: DEFAULT_ROUTES,
          keys: this.#keys(host),
          ...(problem === undefined ? {} : { problem: `The settings file could not be used, so defaults stand in: ${problem.message}` }),
        };
      },

      "settings.update": async ({ settings }) => {
        const host = await this.#host;
        return { settings: host.updateSettings(settings) };
      },

      "settings.setKey": async ({ env, key }) => {
        const keyStore = this.#keyStore;
        if (keyStore === undefined) {
          throw new ApiFailure("unsupported", `Keys are read from the environment in the web host: set ${env} before starting it. The key was not stored.`);
        }
        const host = await this.#host;
        try {
          keyStore.set(env, key);
        } catch (error) {
          const reason = error instanceof Error ? error.message : String(error);
          throw new ApiFailure("key-store", `The key could not be stored in the system keychain (${redactSecrets(reason)}). Set ${env} in the environment instead.`);
        }
        this.#env[env] = key;
        this.#providersStale = true;
        await this.#releaseStaleProviders();
        return { keys: this.#keys(host) };
      },

      "models.list": async () => {
        const host = await this.#host;
        const files = await host.models();
        return {
          dir: host.modelsDir,
          files: files.map((f) => {
            const m = f.metadata;
            return {
              name: f.name,
              size: f.size,
              ...(m === undefined ? {} : {
                architecture: m.architecture,
                parameters: formatCount(m.parameterCount),
                quantization: m.quantization,
                ...(m.contextLength === undefined ? {} : { contextLength: m.contextLength }),
                chatTemplate: m.hasChatTemplate,
              }),
              ...(f.problem === undefined ? {} : { problem: f.problem }),
            };
          }),
        };
      },

      "models.catalog": async () => ({
        dir: this.#downloads.modelsDir,
        models: (await this.#downloads.list()).map(({ entry, status, progress }): CatalogModel => ({
          id: entry.id,
          slot: entry.slot,
          name: entry.name,
          file: entry.file,
          sizeBytes: entry.sizeBytes,
          licence: entry.licence,
          ...(entry.licenceUrl === undefined ? {} : { licenceUrl: entry.licenceUrl }),
          notes: entry.notes,
          verified: entry.sha256 !== undefined,
          status,
          ...(progress === undefined ? {} : { progress }),
        })),
      }),

      "models.download": async ({ id }) => {
        let file = "";
        const ended = (outcome: Extract<HostEvent, { type: "download-ended" }>["outcome"]): void => {
          // Only a download that started has a bar to take away.
          if (file !== "") this.#emit({ type: "download-ended", id, file, outcome });
        };
        try {
          const outcome = await this.#downloads.download(id, (progress) => {
            file = progress.file;
            this.#emit({ type: "progress", progress: { kind: "download", file: progress.file, progress: progress.progress } });
          });
          ended(outcome.status);
          if (outcome.status === "cancelled") return { status: "cancelled" };
          // The folder watcher would notice too, but not at once, and not in a host that does not watch.
          if (outcome.status === "downloaded") this.#emit({ type: "models-changed" });
          return { status: outcome.status, file: basename(outcome.path), verified: outcome.verified };
        } catch (error) {
          ended("failed");
          throw error;
        }
      },

      "models.cancelDownload": async ({ id }) => ({ cancelled: this.#downloads.cancel(id) }),

      "slots.test": async ({ slot }) => {
        const host = await this.#host;
        this.#modelWork++;
        try {
          const result = await host.testSlot(slot);
          if (result.ok) return { slot, ok: true, model: result.model, latencyMs: result.latencyMs, sample: result.sample };
          const why = result.errors.join("; ");
          return { slot, ok: false, error: why === "" ? `No model answered for the ${slot} slot: the engine narrates instead.` : why };
        } finally {
          this.#modelWork--;
          await this.#releaseStaleProviders();
        }
      },

      "usage.get": async () => {
        const host = await this.#host;
        return usageView(host.ledger.rows(), host.settings.slots.main[0]);
      },
    };
  }

  async #sessionOptions(): Promise<{ runner?: TaskRunner }> {
    if (this.#offline) return {};
    return { runner: (await this.#host).router };
  }

  #current(): GameSession {
    if (this.#session === undefined) throw new ApiFailure("no-game", "No game is open. Start a new game or load a save.");
    return this.#session;
  }

  #checkIdle(): void {
    if (this.#turn !== undefined) {
      const { kind, message } = busy();
      throw new ApiFailure(kind, message);
    }
  }

  /** Makes `session` the game being played, closing the one before. */
  #use(session: GameSession): void {
    this.#closeSession();
    this.#session = session;
    this.#unsubscribe = session.on((event) => this.#forward(session, event));
  }

  #closeSession(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    this.#session?.close();
    this.#session = undefined;
  }

  #forward(session: GameSession, event: SessionEvent): void {
    switch (event.type) {
      case "turn-started":
      case "narration-delta":
      case "narration-reset":
      case "turn-cancelled":
        this.#emit(event);
        return;
      case "turn-completed": {
        const { summary, parts } = event;
        this.#emit({ type: "turn-completed", entry: turnEntry(summary.turn, summary.input, parts, summary.narration), view: this.#view(session) });
        return;
      }
      case "state-changed":
        // The request that changed the state (a turn, undo, load) answers with the new view.
        return;
    }
  }

  #emit(event: HostEvent): void {
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch {
        // A host's listener failing (a client gone mid-send) must not break the turn being played.
      }
    }
  }

  #view(session: GameSession): GameView {
    return gameView({ world: this.#world, state: session.state, save: session.saveName, offline: session.offline });
  }

  /** The log `game.open` shows: the last LOG_TURNS turns, after the opening when they reach back to it. */
  #log(save: string, head: number): LogEntry[] {
    const file = this.#store.open(save);
    try {
      const from = Math.max(1, head - LOG_TURNS + 1);
      const log = [...file.turns(from, head)].map((t) => storedEntry(t.turn, t.input, t.narration));
      if (from === 1) log.unshift(openingEntry(this.#world, file.stateAt(0).state));
      return log;
    } finally {
      file.close();
    }
  }

  #keys(host: ModelHost): KeyStatus {
    const names = new Set<string>(KEY_ENVS);
    for (const chain of Object.values(host.settings.slots)) {
      for (const spec of chain) if (spec.provider === "openai-compatible") names.add(spec.apiKeyEnv);
    }
    const keys: KeyStatus = {};
    for (const name of [...names].sort()) keys[name] = this.#env[name]?.trim() ? "set" : "not set";
    return keys;
  }

  async #releaseStaleProviders(): Promise<void> {
    if (!this.#providersStale || this.#modelWork > 0) return;
    this.#providersStale = false;
    // Cloud providers read their key when they are built; the router builds fresh ones on the next call.
    await (await this.#host).router.dispose();
  }
}

/** The request's id when it has a usable one, so even a refused request is answered to its sender. */
export function requestId(request: unknown): number {
  if (typeof request === "object" && request !== null && "id" in request) {
    const id = request.id;
    if (typeof id === "number" && Number.isInteger(id)) return id;
  }
  return -1;
}

function requestProblem(request: unknown, error: z.ZodError): string {
  if (typeof request === "object" && request !== null && "method" in request && typeof request.method === "string" && !Object.hasOwn(METHODS, request.method)) {
    return `Unknown method "${request.method.slice(0, 64)}".`;
  }
  return `Not a valid request: ${z.prettifyError(error)}`;
}

/** A parameter count as people read it: 260K, 7.2B. */
function formatCount(count: number): string {
  if (count >= 1e9) return `${(count / 1e9).toFixed(1)}B`;
  if (count >= 1e6) return `${(count / 1e6).toFixed(1)}M`;
  if (count >= 1e3) return `${Math.round(count / 1e3)}K`;
  return String(count);
}
