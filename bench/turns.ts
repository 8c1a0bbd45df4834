import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { initialState, parse, step, type GameState } from "../engine/game/index.js";
import { loadBuiltInWorld } from "../engine/worlds/index.js";
import { SaveStore, stateHash } from "../engine/store/index.js";
import { GameSession } from "../engine/session/index.js";
import { round, summarize } from "./stats.js";

/**
 * Offline turns per second with a SQLite commit per turn, against the same turns with no store
 * (parse + step in memory) as the baseline measured in the same run.
 */

const COMMANDS = [
  "look", "inventory", "examine the room", "n", "s", "e", "w", "take all", "drop all",
  "search", "wait", "talk to everyone", "open door", "help", "x me", "up", "down",
];

export interface TurnsFigures {
  turns: number;
  turnsPerSecond: number;
  baselineTurnsPerSecond: number;
  ratioToBaseline: number;
  commitMs: { p50: number; p99: number; mean: number };
  goalTurnsPerSecond: number;
}

export async function benchTurns(turns = 3000): Promise<TurnsFigures> {
  const world = loadBuiltInWorld();
  const inputs = Array.from({ length: turns }, (_, i) => COMMANDS[(i * 7) % COMMANDS.length]!);

  let state: GameState = initialState(world, 42);
  const t0 = performance.now();
  for (const input of inputs) {
    const parsed = parse(world, state, input);
    state = parsed.type === "action"
      ? step(world, { ...state, parser: parsed.memory }, parsed.action).state
      : { ...state, turn: state.turn + 1, parser: parsed.memory };
    stateHash(state);
  }
  const baselineSeconds = (performance.now() - t0) / 1000;

  const dir = mkdtempSync(join(tmpdir(), "taleweave-bench-"));
  try {
    const store = new SaveStore(dir);
    const session = GameSession.start(world, store, "bench", 42);
    const t1 = performance.now();
    for (const input of inputs) await session.submit(input);
    const seconds = (performance.now() - t1) / 1000;
    session.close();

    // Commit time alone: the same kind of turn record, written straight to a save.
    const save = store.create("commits", { worldId: world.id, seed: 1, state: initialState(world, 1) });
    const commitSamples: number[] = [];
    let s = initialState(world, 1);
    for (let i = 1; i <= Math.min(turns, 2000); i++) {
      s = { ...s, turn: i };
      const hash = stateHash(s);
      const c0 = performance.now();
      save.commitTurn({ turn: i, input: "wait", action: { kind: "wait", minutes: 10 }, events: [{ kind: "waited", minutes: 10 }], narration: "Time passes.", state: s, stateHash: hash });
      commitSamples.push(performance.now() - c0);
    }
    save.close();

    const turnsPerSecond = turns / seconds;
    const baselineTurnsPerSecond = turns / baselineSeconds;
    return {
      turns,
      turnsPerSecond: round(turnsPerSecond, 0),
      baselineTurnsPerSecond: round(baselineTurnsPerSecond, 0),
      ratioToBaseline: round(turnsPerSecond / baselineTurnsPerSecond),
      commitMs: summarize(commitSamples),
      goalTurnsPerSecond: 2000,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  console.log(JSON.stringify(await benchTurns(), null, 2));
}
