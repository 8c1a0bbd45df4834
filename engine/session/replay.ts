import { initialState, type GameState, type WorldPack } from "../game/index.js";
import { storedForm, type RecordedTurn, type SaveFile } from "../store/index.js";
import type { RecentTurn } from "../story/index.js";
import { diffStates, type Divergence } from "./divergence.js";
import { playTurn, RECENT_TURNS, type PlayedTurn } from "./play-turn.js";
import { ReplayDivergence, ReplayRunner } from "./replay-runner.js";
import { SessionError } from "./session.js";

/**
 * Replays a save: a fresh game of the same world and seed, fed each recorded input through the
 * turn pipeline that play runs (play-turn.ts), with model calls answered from the record. After
 * every turn the state's hash must equal the recorded one; the first difference stops the
 * replay and is reported with the turn and what changed. This is how the game is tested
 * (saves/fixtures).
 *
 * A replay writes nothing. Each turn's state is put in the form a save keeps (storedForm, as a
 * commit does) and compared with the record; it is not checked against the schema again, because
 * a state equal to the recorded one was checked when it was committed, and one that differs is a
 * divergence anyway. Writing every turn to a scratch save, as replays once did, took half their time.
 */

export interface ReplayOptions {
  /** The session's window of recent turns, if the game was played with another than the default. */
  readonly recentTurns?: number;
}

export interface ReplayReport {
  readonly file: string;
  readonly worldId: string;
  readonly seed: number;
  /** Turns in the save. */
  readonly turns: number;
  /** Turns that replayed to the recorded state. */
  readonly replayed: number;
  /** Recorded model calls answered from the record. */
  readonly modelCalls: number;
  /** Wall-clock time of the whole replay: a figure for people, never compared by tests. */
  readonly ms: number;
  readonly turnsPerSecond: number;
  /** Empty, or the first divergence: a replay stops there. */
  readonly divergences: readonly Divergence[];
  readonly ok: boolean;
}

export async function replaySave(world: WorldPack, save: SaveFile, options: ReplayOptions = {}): Promise<ReplayReport> {
  const { worldId, seed } = save.meta;
  if (worldId !== world.id) {
    throw new SessionError("wrong-world", `${save.file}: this save is a game of "${worldId}", not of "${world.id}"; give its world with --world`);
  }
  const started = performance.now();
  const turns = save.head().turn;
  const runner = new ReplayRunner();
  const recentLimit = options.recentTurns ?? RECENT_TURNS;
  const divergences: Divergence[] = [];
  let replayed = 0;

  // The game starts as a new save's head gives it: the recorded start, which must be what this
  // world and seed make now.
  const initial = save.stateAt(0);
  const fresh = storedForm(initialState(world, seed));
  if (fresh.stateHash !== initial.stateHash) {
    divergences.push({ kind: "initial-state", turn: 0, ...diffStates(initial.state, fresh.state) });
    return report();
  }
  let game: Game = { state: initial.state, recent: [] };
  for (const turn of save.recordedTurns()) {
    runner.load(turn.turn, turn.modelCalls);
    let next: Game | Divergence;
    if (turn.modelCalls.length > 0) {
      next = await replayTurn(world, game, turn, runner, recentLimit, save);
    } else {
      // A turn without recorded calls was played offline, or online without needing a model (a
      // question back from the parser), which plays as offline does. Offline is tried first: an
      // offline game's turns would otherwise each be played twice, online until a model is
      // asked for something. If its state is not the recorded one, the turn is played online
      // too, and what that finds is the divergence, unless it asked a model for something.
      // A turn that fails changes nothing, so either may be tried.
      next = await replayTurn(world, game, turn, undefined, recentLimit, save);
      if ("kind" in next) {
        const online = await replayTurn(world, game, turn, runner, recentLimit, save);
        if (!("kind" in online && online.kind === "request" && online.problem === "unrecorded")) next = online;
      }
    }
    if ("kind" in next) {
      divergences.push(next);
      break;
    }
    game = next;
    replayed++;
  }
  return report();

  function report(): ReplayReport {
    const ms = performance.now() - started;
    return {
      file: save.file,
      worldId,
      seed,
      turns,
      replayed,
      modelCalls: runner.answered,
      ms,
      turnsPerSecond: ms > 0 ? (replayed * 1000) / ms : 0,
      divergences,
      ok: divergences.length === 0,
    };
  }
}

/** The game between two turns, as a session holds it. */
interface Game {
  readonly state: GameState;
  readonly recent: readonly RecentTurn[];
}

async function replayTurn(
  world: WorldPack, game: Game, turn: RecordedTurn, runner: ReplayRunner | undefined, recentLimit: number, save: SaveFile,
): Promise<Game | Divergence> {
  const at = { turn: turn.turn, input: turn.input };
  let played: PlayedTurn;
  try {
    played = await playTurn(turn.input, {
      world,
      state: game.state,
      recent: game.recent,
      recentLimit,
      ...(runner === undefined ? {} : { runner }),
      onProgress: () => undefined,
    });
    runner?.finish();
  } catch (error) {
    if (error instanceof ReplayDivergence) return { kind: "request", ...error.divergence, input: turn.input };
    return { kind: "error", ...at, message: error instanceof Error ? error.message : String(error) };
  }
  if (played.type !== "turn") {
    return { kind: "not-a-turn", ...at, message: played.type === "meta" ? `now read as "${played.command}"` : "it was cancelled" };
  }
  const stored = storedForm(played.record.state);
  if (stored.stateHash === turn.stateHash) return { state: stored.state, recent: played.recent };
  return {
    kind: "state",
    ...at,
    recordedHash: turn.stateHash,
    replayedHash: stored.stateHash,
    ...diffStates(save.stateAt(turn.turn).state, stored.state),
  };
}
