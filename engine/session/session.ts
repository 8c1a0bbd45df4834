import {
  effectiveWorld, initialState, narrate, parse, step,
  type GameState, type MetaCommand, type WorldPack,
} from "../game/index.js";
import type { SaveFile, SaveStore } from "../store/index.js";
import type { TurnAction, TurnSummary } from "./turn-record.js";

/**
 * The turn pipeline: player text → parser → game.step → narration → one SQLite transaction.
 * A session plays one save at a time; every turn is autosaved before `submit` resolves, so a
 * crash loses at most the turn in progress.
 */

export type SessionEvent =
  | { readonly type: "turn-started"; readonly turn: number; readonly input: string }
  | { readonly type: "narration-delta"; readonly turn: number; readonly text: string }
  | { readonly type: "turn-completed"; readonly summary: TurnSummary }
  | { readonly type: "state-changed"; readonly state: GameState; readonly save: string };

export type SessionListener = (event: SessionEvent) => void;

/** What `submit` did: played a turn, or carried out a command about the game itself. */
export type SubmitOutcome =
  | { readonly type: "turn"; readonly summary: TurnSummary }
  | { readonly type: "meta"; readonly command: MetaCommand; readonly message: string; readonly ok: boolean };

export class GameSession {
  #save: SaveFile;
  #state: GameState;
  readonly #listeners = new Set<SessionListener>();

  private constructor(
    readonly world: WorldPack,
    readonly store: SaveStore,
    save: SaveFile,
  ) {
    this.#save = save;
    this.#state = save.head().state;
  }

  /** Starts a new game of `world` in a new save called `name`. */
  static start(world: WorldPack, store: SaveStore, name: string, seed: number): GameSession {
    const state = initialState(world, seed);
    const save = store.create(name, { worldId: world.id, seed, state });
    return new GameSession(world, store, save);
  }

  /** Continues the save called `name`; it must be a save of `world`. */
  static resume(world: WorldPack, store: SaveStore, name: string): GameSession {
    const save = store.open(name);
    if (save.meta.worldId !== world.id) {
      const found = save.meta.worldId;
      save.close();
      throw new SessionError("wrong-world", `The save "${name}" is a game of "${found}", not of "${world.id}".`);
    }
    return new GameSession(world, store, save);
  }

  get state(): GameState {
    return this.#state;
  }

  get saveName(): string {
    return this.#save.name;
  }

  on(listener: SessionListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** The opening text: the world's introduction and where the player stands. */
  opening(): string {
    return narrate(effectiveWorld(this.world, this.#state), this.#state, [{ kind: "location-seen", location: this.#state.player.location, first: true }]);
  }

  async submit(input: string): Promise<SubmitOutcome> {
    const world = effectiveWorld(this.world, this.#state);
    const parsed = parse(world, this.#state, input);
    if (parsed.type === "meta") return this.#meta(parsed.command, parsed.argument);

    const turn = this.#state.turn + 1;
    this.#emit({ type: "turn-started", turn, input });

    let action: TurnAction;
    let next: GameState;
    let events: TurnSummary["events"] = [];
    let narration: string;
    if (parsed.type === "action") {
      action = parsed.action;
      const result = step(world, { ...this.#state, parser: parsed.memory }, parsed.action);
      next = result.state;
      events = result.events;
      narration = narrate(world, next, events);
    } else {
      const message = parsed.type === "clarify" ? parsed.question : parsed.type === "unknown" ? parsed.message : "";
      action = { kind: "unknown", reason: parsed.type, message };
      next = { ...this.#state, turn, parser: parsed.memory };
      narration = message;
    }

    const hash = this.#save.commitTurn({
      turn,
      input,
      action: parsed.type === "action" ? parsed.action : null,
      events,
      narration,
      state: next,
    });
    const summary: TurnSummary = { turn, input, action, events, narration, stateHash: hash };
    this.#state = next;
    if (narration) this.#emit({ type: "narration-delta", turn, text: narration });
    this.#emit({ type: "turn-completed", summary });
    this.#emit({ type: "state-changed", state: next, save: this.#save.name });
    return { type: "turn", summary };
  }

  close(): void {
    this.#save.close();
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
          this.#save.truncateAfter(this.#state.turn - 1);
          this.#state = this.#save.head().state;
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
    this.#emit({ type: "state-changed", state: this.#state, save: save.name });
  }

  #emit(event: SessionEvent): void {
    for (const listener of this.#listeners) listener(event);
  }
}

export class SessionError extends Error {
  override readonly name = "SessionError";
  constructor(readonly kind: "wrong-world", message: string) {
    super(message);
  }
}
