import {
  effectiveWorld, GameState, initialState, narrate, type MetaCommand, type WorldPack,
} from "../game/index.js";
import type { SaveFile, SaveStore } from "../store/index.js";
import type { NarrationPart, RecentTurn, TaskRunner } from "../story/index.js";
import { playTurn, RECENT_TURNS, type TurnProgress } from "./play-turn.js";
import type { TurnSummary } from "./turn-record.js";

/**
 * A game being played into its save: each input goes through the turn pipeline (play-turn.ts),
 * and what it returns is committed in one SQLite transaction holding the turn and every model
 * call made for it. Commands about the game (save, load, undo) are carried out here. A session
 * plays one save at a time. Without a runner it plays fully offline.
 */

export type SessionEvent =
  | TurnProgress
  | { readonly type: "turn-completed"; readonly summary: TurnSummary; readonly parts: readonly NarrationPart[] }
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
    const played = await playTurn(input, {
      world: this.world,
      state: this.#state,
      recent: this.#recent,
      recentLimit: this.#recentLimit,
      ...(this.#runner ? { runner: this.#runner } : {}),
      ...(signal ? { signal } : {}),
      onProgress: (progress) => this.#emit(progress),
    });
    if (played.type === "meta") return this.#meta(played.command, played.argument);
    if (played.type === "cancelled") return played;

    const { record, action, parts } = played;
    const committed = this.#save.commitTurn(record);
    const summary: TurnSummary = {
      turn: record.turn, input, action, events: record.events, narration: record.narration,
      stateHash: committed.stateHash, modelCalls: record.modelCalls.length,
    };
    // Played on from the state exactly as a reload of the save gives it (records in key order):
    // the game iterates some records in key order (who is here, what lies here), and a game
    // resumed from its save must play, and replay, the same as one played without a break.
    this.#state = committed.state;
    this.#recent = played.recent;
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
