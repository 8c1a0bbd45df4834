import { copyFileSync, existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import type { WorldPack } from "../../engine/game/index.js";
import { formatDivergence, replaySave, SessionError, type ReplayReport } from "../../engine/session/index.js";
import { defaultSavesDir, SaveFile, saveNameProblem, StoreError } from "../../engine/store/index.js";
import { BUILT_IN_WORLD_ID, loadBuiltInWorld, loadWorldFile, WorldLoadError } from "../../engine/worlds/index.js";
import type { CliIo } from "./io.js";

/**
 * `npm run replay -- <save> [--world PATH] [--json]`: re-runs a save from its start, model calls
 * answered from its record, and checks the state after every turn. Exit 0 when the whole save
 * replays, 1 on the first divergence (or a save that cannot be read), 2 on a usage error.
 */

const USAGE = `Usage: npm run replay -- <save name or file> [--world PATH] [--json]

  <save>        a save's name (in TALEWEAVE_SAVES_DIR, else saves/) or the path of a .sqlite file
  --world PATH  the world-pack JSON the save was played in (default: the built-in world)
  --json        print the report as JSON`;

export async function runReplayCli(argv: readonly string[], io: CliIo): Promise<number> {
  const out = (text: string): void => void io.stdout.write(`${text}\n`);
  const fail = (message: string, code: number): number => {
    io.stderr.write(`taleweave replay: ${message}\n${code === 2 ? `\n${USAGE}\n` : ""}`);
    return code;
  };
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: { world: { type: "string" }, json: { type: "boolean", default: false }, help: { type: "boolean", short: "h", default: false } },
    });
  } catch (error) {
    return fail(error instanceof Error ? error.message : String(error), 2);
  }
  if (parsed.values.help) {
    out(USAGE);
    return 0;
  }
  const [target, ...extra] = parsed.positionals;
  if (target === undefined || extra.length > 0) return fail(target === undefined ? "which save?" : `one save at a time, not ${parsed.positionals.length}`, 2);

  let file: string;
  try {
    file = saveFileOf(target, io.env);
  } catch (error) {
    return fail(error instanceof Error ? error.message : String(error), 2);
  }
  if (!existsSync(file)) return fail(`${file}: no save file here`, 1);
  if (!statSync(file).isFile()) return fail(`${file}: not a file`, 1);

  // The replay reads a copy: opening a save from an older schema migrates it, and a replay (of a
  // committed fixture, say) must leave the file exactly as it was. Its WAL holds its newest turns.
  const scratch = mkdtempSync(join(tmpdir(), "taleweave-replay-copy-"));
  try {
    const copy = join(scratch, basename(file));
    copyFileSync(file, copy);
    if (existsSync(`${file}-wal`)) copyFileSync(`${file}-wal`, `${copy}-wal`);
    let save: SaveFile;
    try {
      save = new SaveFile(copy);
    } catch (error) {
      // Named as the player knows it, not as the copy.
      if (error instanceof StoreError) return fail(`${file}: ${error.problem}`, 1);
      throw error;
    }
    try {
      const world = parsed.values.world === undefined ? builtIn(save, file) : loadWorldFile(parsed.values.world);
      const report = { ...(await replaySave(world, save)), file };
      if (parsed.values.json) out(JSON.stringify(report, null, 2));
      else printReport(report, out);
      return report.ok ? 0 : 1;
    } catch (error) {
      if (error instanceof StoreError) return fail(`${file}: ${error.problem}`, 1);
      if (error instanceof SessionError || error instanceof WorldLoadError) return fail(error.message.replaceAll(copy, file), 1);
      throw error;
    } finally {
      save.close();
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** A bare name is a save in the saves folder; anything with a slash or ending in .sqlite is a path. */
function saveFileOf(target: string, env: NodeJS.ProcessEnv): string {
  if (target.includes("/") || target.includes("\\") || target.endsWith(".sqlite")) return resolve(target);
  const problem = saveNameProblem(target);
  if (problem !== undefined) throw new Error(`"${target}" is not a save name: ${problem}`);
  return join(defaultSavesDir(env), `${target}.sqlite`);
}

function builtIn(save: SaveFile, file: string): WorldPack {
  if (save.meta.worldId !== BUILT_IN_WORLD_ID) {
    throw new SessionError("wrong-world", `${file}: this save is a game of "${save.meta.worldId}"; give its world with --world PATH`);
  }
  return loadBuiltInWorld();
}

function printReport(report: ReplayReport, out: (text: string) => void): void {
  out(`${report.file}`);
  out(`  world ${report.worldId}, seed ${report.seed}, ${report.turns} turns`);
  out(`  replayed ${report.replayed} of ${report.turns} turns, ${report.modelCalls} model calls answered from the record`);
  out(`  ${Math.round(report.ms)} ms (${Math.round(report.turnsPerSecond)} turns/s)`);
  for (const divergence of report.divergences) out(formatDivergence(divergence));
  out(report.ok ? "OK: every turn reached the recorded state." : "FAILED: the replay diverged.");
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  process.exitCode = await runReplayCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env });
}
