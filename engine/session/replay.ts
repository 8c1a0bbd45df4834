import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { WorldPack } from "../game/index.js";
import { SaveStore, stateHash, type RecordedTurn, type SaveFile } from "../store/index.js";
import { diffStates, type Divergence } from "./divergence.js";
import { ReplayDivergence, ReplayRunner } from "./replay-runner.js";
import { GameSession, SessionError, type SessionOptions, type SubmitOutcome } from "./session.js";

/**
 * Replays a save: a fresh game of the same world and seed, fed each recorded input through the
 * real turn pipeline, with model calls answered from the record. After every turn the state's
 * hash must equal the recorded one; the first difference stops the replay and is reported with
 * the turn and what changed. This is how the game is tested (saves/fixtures).
 *
 * The replayed game is written to a scratch save in a temporary directory, so a replay never
 * touches the save it reads, and runs exactly the code that plays.
 */

export interface ReplayOptions {
  /** Where to make the temporary directory for the scratch save; the system's by default. */
  readonly scratchDir?: string;
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

const SCRATCH_NAME = "replay";

export async function replaySave(world: WorldPack, save: SaveFile, options: ReplayOptions = {}): Promise<ReplayReport> {
  const { worldId, seed } = save.meta;
  if (worldId !== world.id) {
    throw new SessionError("wrong-world", `${save.file}: this save is a game of "${worldId}", not of "${world.id}"; give its world with --world`);
  }
  const started = performance.now();
  const turns = save.head().turn;
  const scratch = mkdtempSync(join(options.scratchDir ?? tmpdir(), "taleweave-replay-"));
  const runner = new ReplayRunner();
  const recent = options.recentTurns === undefined ? {} : { recentTurns: options.recentTurns };
  const sessionOptions = (online: boolean): SessionOptions => (online ? { runner, ...recent } : recent);
  const divergences: Divergence[] = [];
  let replayed = 0;
  let session: GameSession | undefined;
  let online = false;
  try {
    const store = new SaveStore(scratch, { scratch: true });
    // Begun as the first turn was played, so a save played online never reopens the scratch save.
    online = (save.recordedTurns(1, 1).next().value?.modelCalls.length ?? 0) > 0;
    session = GameSession.start(world, store, SCRATCH_NAME, seed, sessionOptions(online));
    const initial = save.stateAt(0);
    if (stateHash(session.state) !== initial.stateHash) {
      divergences.push({ kind: "initial-state", turn: 0, ...diffStates(initial.state, session.state) });
      return report();
    }
    const playOnline = (wanted: boolean): void => {
      if (wanted === online) return;
      session?.close();
      session = GameSession.resume(world, store, SCRATCH_NAME, sessionOptions(wanted));
      online = wanted;
    };
    for (const turn of save.recordedTurns()) {
      // A turn with recorded calls needs the runner. A turn without was played offline, or online
      // without needing a model (a question back from the parser): it is tried as the session
      // stands, and offline if that asks a model for something — a failed turn commits nothing.
      // So a save played online switches sessions rarely (reopening the scratch save is not free).
      if (turn.modelCalls.length > 0) playOnline(true);
      runner.load(turn.turn, turn.modelCalls);
      let divergence = await replayTurn(session, runner, turn, save);
      if (divergence?.kind === "request" && divergence.problem === "unrecorded" && turn.modelCalls.length === 0) {
        playOnline(false);
        runner.load(turn.turn, turn.modelCalls);
        divergence = await replayTurn(session, runner, turn, save);
      }
      if (divergence !== undefined) {
        divergences.push(divergence);
        break;
      }
      replayed++;
    }
    return report();
  } finally {
    session?.close();
    rmSync(scratch, { recursive: true, force: true });
  }

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

async function replayTurn(session: GameSession, runner: ReplayRunner, turn: RecordedTurn, save: SaveFile): Promise<Divergence | undefined> {
  const at = { turn: turn.turn, input: turn.input };
  let outcome: SubmitOutcome;
  try {
    outcome = await session.submit(turn.input);
    runner.finish();
  } catch (error) {
    if (error instanceof ReplayDivergence) return { kind: "request", ...error.divergence, input: turn.input };
    return { kind: "error", ...at, message: error instanceof Error ? error.message : String(error) };
  }
  if (outcome.type !== "turn") {
    return { kind: "not-a-turn", ...at, message: outcome.type === "meta" ? `now read as "${outcome.command}": ${outcome.message}` : "it was cancelled" };
  }
  if (outcome.summary.stateHash === turn.stateHash) return undefined;
  const recorded = save.stateAt(turn.turn).state;
  return {
    kind: "state",
    ...at,
    recordedHash: turn.stateHash,
    replayedHash: outcome.summary.stateHash,
    ...diffStates(recorded, session.state),
  };
}
