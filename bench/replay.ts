import { copyFileSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { FIXTURES, FIXTURES_DIR, FixtureRunner, type FixtureScript } from "../app/cli/make-fixtures.js";
import { GameSession, replaySave } from "../engine/session/index.js";
import { SaveFile, SaveStore } from "../engine/store/index.js";
import type { WorldPack } from "../engine/game/index.js";
import { loadBuiltInWorld } from "../engine/worlds/index.js";
import { round } from "./stats.js";

/**
 * Record and replay, as a player and a test run meet them:
 * - replay throughput on the fixtures, against playing the same inputs (with the same scripted
 *   model, or offline) in the same run — the baseline a replay must not fall far behind;
 * - a 10,000-turn save (played offline): the time to open it, and to rewind to its middle into a
 *   new save, against copying the whole save (save-as) as the baseline.
 * Each figure is the median of a few runs after one untimed warm-up.
 */

export const GOALS = { replayTurnsPerSecond: 2000, openMs: 300, rewindMs: 500 } as const;

export interface ReplayThroughput {
  readonly fixture: string;
  readonly turns: number;
  readonly modelCalls: number;
  readonly replayTurnsPerSecond: number;
  /** Playing the same inputs from a new game, saved as in play. */
  readonly playTurnsPerSecond: number;
  readonly ratioToPlay: number;
}

export interface ReplayBenchResult {
  readonly benchmark: "replay";
  readonly replay: readonly ReplayThroughput[];
  readonly longSave: {
    readonly turns: number;
    readonly fileMb: number;
    /** GameSession.resume: integrity check, head state, recent turns. */
    readonly openMs: number;
    /** GameSession.rewind to the middle: the branch written, checked and opened. */
    readonly rewindMs: number;
    readonly branchFileMb: number;
    /** Copying the whole save (SaveStore.saveAs), for scale. */
    readonly saveAsMs: number;
    readonly rewindRatioToSaveAs: number;
  };
  readonly goals: typeof GOALS;
  readonly meetsGoals: { readonly replay: boolean; readonly open: boolean; readonly rewind: boolean };
}

const COMMANDS = ["look", "n", "e", "talk to hob", "w", "s", "inventory", "wait", "search", "x me", "n", "w", "take all", "e", "drop all", "s"];

export async function benchReplay(options: { longTurns?: number; runs?: number } = {}): Promise<ReplayBenchResult> {
  const longTurns = options.longTurns ?? 10_000;
  const runs = options.runs ?? 5;
  const world = loadBuiltInWorld();
  const dir = mkdtempSync(join(tmpdir(), "taleweave-bench-replay-"));
  try {
    const replay: ReplayThroughput[] = [];
    for (const script of FIXTURES) replay.push(await throughput(world, script, dir, runs));

    const store = new SaveStore(join(dir, "long"));
    const session = GameSession.start(world, store, "long", 42);
    for (let i = 0; i < longTurns; i++) await session.submit(COMMANDS[(i * 7) % COMMANDS.length]!);
    session.close();
    const middle = Math.floor(longTurns / 2);

    const openMs = median(runs, () => timed(() => GameSession.resume(world, store, "long").close()));
    let branch = 0;
    const rewindMs = median(runs, () => {
      const name = `branch-${branch++}`;
      const ms = timed(() => GameSession.rewind(world, store, "long", middle, name).close());
      if (branch > 1) store.delete(name);
      return ms;
    });
    let copies = 0;
    const saveAsMs = median(runs, () => {
      const name = `copy-${copies++}`;
      const ms = timed(() => store.saveAs("long", name).close());
      store.delete(name);
      return ms;
    });
    const mb = (name: string): number => round(statSync(store.path(name)).size / 1e6, 1);
    const longSave = {
      turns: longTurns,
      fileMb: mb("long"),
      openMs: round(openMs, 1),
      rewindMs: round(rewindMs, 1),
      branchFileMb: mb("branch-0"),
      saveAsMs: round(saveAsMs, 1),
      rewindRatioToSaveAs: round(rewindMs / saveAsMs, 2),
    };
    const story = replay.find((r) => r.modelCalls > 0) ?? replay[0]!;
    return {
      benchmark: "replay",
      replay,
      longSave,
      goals: GOALS,
      meetsGoals: {
        replay: story.replayTurnsPerSecond >= GOALS.replayTurnsPerSecond,
        open: longSave.openMs <= GOALS.openMs,
        rewind: longSave.rewindMs <= GOALS.rewindMs,
      },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Replays a fixture (from a copy) and plays its inputs afresh, alternately, `runs` times each after a warm-up. */
async function throughput(world: WorldPack, script: FixtureScript, dir: string, runs: number): Promise<ReplayThroughput> {
  const copy = join(dir, `${script.name}.sqlite`);
  copyFileSync(join(FIXTURES_DIR, `${script.name}.sqlite`), copy);
  const save = new SaveFile(copy);
  const inputs = script.inputs();
  const replays: number[] = [];
  const plays: number[] = [];
  let modelCalls = 0;
  try {
    for (let run = 0; run <= runs; run++) {
      const report = await replaySave(world, save);
      if (!report.ok) throw new Error(`${script.name} does not replay: run npm run replay -- ${join(FIXTURES_DIR, `${script.name}.sqlite`)}`);
      modelCalls = report.modelCalls;
      const store = new SaveStore(join(dir, `play-${run}`));
      const started = performance.now();
      const session = GameSession.start(world, store, "play", script.seed, script.models ? { runner: new FixtureRunner() } : {});
      for (const input of inputs) await session.submit(input);
      session.close();
      const playMs = performance.now() - started;
      rmSync(store.dir, { recursive: true, force: true });
      // The first run warms the code up; it is not counted.
      if (run === 0) continue;
      replays.push(report.turns / (report.ms / 1000));
      plays.push(inputs.length / (playMs / 1000));
    }
  } finally {
    save.close();
  }
  const replayed = median(runs, (i) => replays[i]!);
  const played = median(runs, (i) => plays[i]!);
  return {
    fixture: script.name,
    turns: inputs.length,
    modelCalls,
    replayTurnsPerSecond: round(replayed, 0),
    playTurnsPerSecond: round(played, 0),
    ratioToPlay: round(replayed / played, 2),
  };
}

function timed(run: () => void): number {
  const started = performance.now();
  run();
  return performance.now() - started;
}

function median(runs: number, sample: (run: number) => number): number {
  const samples = Array.from({ length: runs }, (_, i) => sample(i)).sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)]!;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  console.log(JSON.stringify(await benchReplay(), null, 2));
}
