import {
  effectiveWorld, GameState, initialState, narrate,
  type GameEvent, type MetaCommand, type WorldPack,
} from "../game/index.js";
import type { SaveFile, SaveStore } from "../store/index.js";
import {
  generateContent, narrateTurn, noteNpcs, shouldSummarize, stepWithJudgement, summarize, understand,
  type NarrationPart, type RecentTurn, type TaskRunner,
} from "../story/index.js";
import { RecordingRunner } from "./recording-runner.js";
import type { TurnAction, TurnSummary } from "./turn-record.js";

/**
 * The turn pipeline, program-first:
 *   understand (parser, else a model) → judge fuzzy rules (a model) → game.step (the engine
 *   decides) → invent what the world asked for (a model, validated; else fallback tables)
 *   → narrate (a model, streamed; else the engine) → remember (notes, summaries)
 *   → one SQLite transaction holding the turn and every model call made for it.
 * A session plays one save at a time. Without a runner it plays fully offline.
 */

export type SessionEvent =
  | { readonly type: "turn-started"; readonly turn: number; readonly input: string }
  | { readonly type: "narration-delta"; readonly turn: number; readonly text: string }
  /** Throw away the narration streamed so far this turn: a model failed mid-answer. */
  | { readonly type: "narration-reset"; readonly turn: number }
  | { readonly type: "turn-completed"; readonly summary: TurnSummary; readonly parts: readonly NarrationPart[] }
  | { readonly type: "turn-cancelled"; readonly turn: number }
  | { readonly type: "state-changed"; readonly state: GameState; readonly save: string };

export type SessionListener = (event: SessionEvent) => void;

/** What `submit` did: played a turn, carried out a command about the game, or was cancelled. */
export type SubmitOutcome =
  | { readonly type: "turn"; readonly summary: TurnSummary; readonly parts: readonly NarrationPart[] }
  | { readonly type: "meta"; readonly command: MetaCommand; readonly message: string; readonly ok: boolean }
  | { readonly type: "cancelled"; readonly turn: number };

export interface SessionOptions {
  /** How the story reaches models; without one, the engine parses and narrates alone. */
  readonly runner?: TaskRunner;
  /** How many past turns the storyteller keeps at hand for prompts. */
  readonly recentTurns?: number;
}

const RECENT_TURNS = 16;

export class GameSession {
  #save: SaveFile;
  #state: GameState;
  #recent: RecentTurn[];
  #busy = false;
  readonly #runner: TaskRunner | undefined;
  readonly #recentLimit: number;
  readonly #listeners = new Set<SessionListener>();

  private constructor(
    readonly world: WorldPack,
    readonly store: SaveStore,
    save: SaveFile,
    options: SessionOptions,
  ) {
    this.#save = save;
    this.#state = save.head().state;
    this.#runner = options.runner;
    this.#recentLimit = options.recentTurns ?? RECENT_TURNS;
    this.#recent = this.#loadRecent();
  }

  /** Starts a new game of `world` in a new save called `name`. */
  static start(world: WorldPack, store: SaveStore, name: string, seed: number, options: SessionOptions = {}): GameSession {
    const state = initialState(world, seed);
    const save = store.create(name, { worldId: world.id, seed, state });
    return new GameSession(world, store, save, options);
  }

  /** Continues the save called `name`; it must be a save of `world`. */
  static resume(world: WorldPack, store: SaveStore, name: string, options: SessionOptions = {}): GameSession {
    const save = store.open(name);
    if (save.meta.worldId !== world.id) {
      const found = save.meta.worldId;
      save.close();
      throw new SessionError("wrong-world", `The save "${name}" is a game of "${found}", not of "${world.id}".`);
    }
    return new GameSession(world, store, save, options);
  }

  /**
   * Rewind and branch: the game of save `from` as it was after `turn`, continued in a new save
   * called `newName`; `from` is left exactly as it was. Every turn row holds its whole state, so
   * this copies the turns up to `turn` with their model calls (a later replay of the new save
   * runs from the start as for any other) rather than playing them again.
   */
  static rewind(world: WorldPack, store: SaveStore, from: string, turn: number, newName: string, options: SessionOptions = {}): GameSession {
    const source = store.open(from);
    try {
      if (source.meta.worldId !== world.id) {
        throw new SessionError("wrong-world", `The save "${from}" is a game of "${source.meta.worldId}", not of "${world.id}".`);
      }
      return new GameSession(world, store, store.branch(source, turn, newName), options);
    } finally {
      source.close();
    }
  }

  get state(): GameState {
    return this.#state;
  }

  get saveName(): string {
    return this.#save.name;
  }

  get offline(): boolean {
    return this.#runner === undefined;
  }

  on(listener: SessionListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** The opening text: where the player stands. */
  opening(): string {
    return narrate(effectiveWorld(this.world, this.#state), this.#state, [{ kind: "location-seen", location: this.#state.player.location, first: true }]);
  }

  /**
   * Plays one input. Turns are strictly one at a time. Cancelling through `signal` leaves the
   * game and the save exactly as they were.
   */
  async submit(input: string, options: { signal?: AbortSignal } = {}): Promise<SubmitOutcome> {
    if (this.#busy) throw new SessionError("busy", "A turn is already in progress.");
    this.#busy = true;
    try {
      return await this.#play(input, options.signal);
    } finally {
      this.#busy = false;
    }
  }

  close(): void {
    this.#save.close();
  }

  async #play(input: string, signal: AbortSignal | undefined): Promise<SubmitOutcome> {
    const before = this.#state;
    const world = effectiveWorld(this.world, before);
    const recorder = this.#runner ? new RecordingRunner(this.#runner) : undefined;
    const story = { ...(recorder ? { runner: recorder } : {}), ...(signal ? { signal } : {}) };

    const understood = await understand(input, { world, state: before, ...story });
    if (understood.type === "meta") return this.#meta(understood.command, understood.argument);

    const turn = before.turn + 1;
    this.#emit({ type: "turn-started", turn, input });
    const cancelled = (): SubmitOutcome => {
      this.#emit({ type: "turn-cancelled", turn });
      return { type: "cancelled", turn };
    };
    if (signal?.aborted) return cancelled();

    let action: TurnAction;
    let next: GameState;
    let events: GameEvent[] = [];
    if (understood.type === "action") {
      action = understood.action;
      const result = await stepWithJudgement({ world, state: { ...before, parser: understood.memory }, action: understood.action, input, ...story });
      next = result.state;
      events = [...result.events];
      // One request after another: each is checked against the state the previous one left.
      for (const event of result.events) {
        if (event.kind !== "content-requested") continue;
        const invented = await generateContent(event, { world: this.world, state: next, ...story });
        if (invented.ok) {
          next = invented.state;
          events.push(...invented.events);
        }
      }
    } else {
      action = { kind: "unknown", reason: understood.type, message: understood.message };
      next = { ...before, turn, parser: understood.memory };
    }
    if (signal?.aborted) return cancelled();

    let text = action.kind === "unknown" ? action.message : "";
    let parts: readonly NarrationPart[] = [];
    let contextTurns = this.#recent.length;
    if (understood.type === "action") {
      next = { ...next, story: noteNpcs(world, before, next, events, input) };
      const narration = await narrateTurn({
        world: effectiveWorld(this.world, next),
        state: next,
        input,
        events,
        recent: this.#recent,
        ...story,
        onText: (delta) => this.#emit({ type: "narration-delta", turn, text: delta }),
        onReset: () => this.#emit({ type: "narration-reset", turn }),
      });
      ({ text, parts, contextTurns } = narration);
    } else if (text) {
      this.#emit({ type: "narration-delta", turn, text });
    }
    if (signal?.aborted) return cancelled();

    const recent = [...this.#recent, { turn, input, narration: text }].slice(-this.#recentLimit);
    // This turn will be in the next prompt too, so it counts among the turns that still fit.
    if (recorder && shouldSummarize(next, contextTurns + 1)) {
      const summary = await summarize({ world: effectiveWorld(this.world, next), state: next, turns: recent, ...story });
      next = { ...next, story: summary.memory };
      if (signal?.aborted) return cancelled();
    }

    const modelCalls = recorder?.take() ?? [];
    const committed = this.#save.commitTurn({
      turn,
      input,
      action: understood.type === "action" ? understood.action : null,
      events,
      narration: text,
      state: next,
      modelCalls,
    });
    const summary: TurnSummary = { turn, input, action, events, narration: text, stateHash: committed.stateHash, modelCalls: modelCalls.length };
    // Played on from the state exactly as a reload of the save gives it (records in key order):
    // the game iterates some records in key order (who is here, what lies here), and a game
    // resumed from its save must play, and replay, the same as one played without a break.
    this.#state = committed.state;
    this.#recent = recent;
    this.#emit({ type: "turn-completed", summary, parts });
    this.#emit({ type: "state-changed", state: this.#state, save: this.#save.name });
    return { type: "turn", summary, parts };
  }

  #meta(command: MetaCommand, argument: string | undefined): SubmitOutcome {
    const done = (ok: boolean, message: string): SubmitOutcome => ({ type: "meta", command, ok, message });
    try {
      switch (command) {
        case "save": {
          if (!argument) return done(true, `Your game is saved after every turn, as "${this.#save.name}". To keep a copy, type: save <name>.`);
          const copy = this.store.saveAs(this.#save, argument);
          this.#switchTo(copy);
          return done(true, `Saved as "${argument}". You are now playing that save.`);
        }
        case "load": {
          if (!argument) {
            const names = this.store.list().filter((s) => !s.problem).map((s) => s.name);
            return done(false, `Load which save? ${names.length ? `You have: ${names.join(", ")}.` : "You have none yet."}`);
          }
          const other = this.store.open(argument);
          if (other.meta.worldId !== this.world.id) {
            other.close();
            return done(false, `"${argument}" is a game of another world.`);
          }
          this.#switchTo(other);
          return done(true, `Loaded "${argument}".`);
        }
        case "undo": {
          if (this.#state.turn === 0) return done(false, "There is nothing to undo.");
          this.#state = this.#save.truncateAfter(this.#state.turn - 1).state;
          this.#recent = this.#loadRecent();
          this.#emit({ type: "state-changed", state: this.#state, save: this.#save.name });
          return done(true, "Undone. You are back where you were a turn ago.");
        }
        case "quit":
          return done(true, "Goodbye. Your game is saved.");
        case "restart":
          return done(true, "To start again, begin a new game: your current save is kept as it is.");
      }
    } catch (error) {
      return done(false, error instanceof Error ? error.message : String(error));
    }
  }

  #switchTo(save: SaveFile): void {
    this.#save.close();
    this.#save = save;
    this.#state = save.head().state;
    this.#recent = this.#loadRecent();
    this.#emit({ type: "state-changed", state: this.#state, save: save.name });
  }

  #loadRecent(): RecentTurn[] {
    const head = this.#state.turn;
    const out: RecentTurn[] = [];
    for (const t of this.#save.turns(Math.max(1, head - this.#recentLimit + 1), head)) {
      out.push({ turn: t.turn, input: t.input, narration: t.narration });
    }
    return out;
  }

  #emit(event: SessionEvent): void {
    for (const listener of this.#listeners) listener(event);
  }
}

export class SessionError extends Error {
  override readonly name = "SessionError";
  constructor(readonly kind: "wrong-world" | "busy", message: string) {
    super(message);
  }
}
