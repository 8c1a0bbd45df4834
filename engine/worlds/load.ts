import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { WorldPack } from "../game/index.js";
import { checkWorld, pathOf, type WorldProblem } from "./check.js";

/**
 * Reading world packs from disk. A world pack is untrusted input (modders write them), so every
 * way it can be wrong ends in one error type that names the file and each problem, and a pack
 * that loads is one the engine can play without meeting a dangling id.
 */

export class WorldLoadError extends Error {
  readonly file: string;
  readonly problems: readonly WorldProblem[];

  constructor(file: string, problems: readonly WorldProblem[]) {
    const lines = problems.map((p) => (p.path === "" ? `  - ${p.message}` : `  - ${p.path}: ${p.message}`));
    super(`Cannot load world pack ${file}:\n${lines.join("\n")}`);
    this.name = "WorldLoadError";
    this.file = file;
    this.problems = problems;
  }
}

/** Validates already-parsed JSON as a world pack; `file` is only used to name it in errors. */
export function parseWorld(data: unknown, file: string): WorldPack {
  const parsed = WorldPack.safeParse(data);
  if (!parsed.success) {
    throw new WorldLoadError(file, parsed.error.issues.map((issue) => ({
      path: pathOf(issue.path),
      message: issue.code === "invalid_union" ? "does not match any of the allowed forms"
        // A bad record key: say what is wrong with it, not only that it is wrong.
        : issue.code === "invalid_key" ? issue.issues.map((inner) => inner.message).join("; ")
        : issue.message,
    })));
  }
  const problems = checkWorld(parsed.data);
  if (problems.length > 0) throw new WorldLoadError(file, problems);
  return parsed.data;
}

export function loadWorldFile(file: string): WorldPack {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    const code = err instanceof Error && "code" in err ? err.code : undefined;
    const message = code === "ENOENT" ? "the file does not exist"
      : code === "EISDIR" ? "this is a directory, not a file"
      : `the file cannot be read (${err instanceof Error ? err.message : String(err)})`;
    throw new WorldLoadError(file, [{ path: "", message }]);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    const detail = err instanceof Error ? err.message : String(err);
    throw new WorldLoadError(file, [{ path: "", message: `not valid JSON${where(text, detail)}: ${detail}` }]);
  }
  return parseWorld(data, file);
}

/**
 * " at line L, column C" for a JSON.parse error. Node 20 reports only a character position;
 * newer engines report the line and column themselves, so both are understood.
 */
function where(text: string, detail: string): string {
  const lc = /line (\d+) column (\d+)/.exec(detail);
  if (lc) return ` at line ${lc[1]}, column ${lc[2]}`;
  const pos = /at position (\d+)/.exec(detail);
  if (!pos) return "";
  const before = text.slice(0, Number(pos[1]));
  const line = before.split("\n").length;
  const column = before.length - before.lastIndexOf("\n");
  return ` at line ${line}, column ${column}`;
}

export const BUILT_IN_WORLD_ID = "greyhollow";

export function builtInWorldPath(): string {
  return fileURLToPath(new URL(`./${BUILT_IN_WORLD_ID}/world.json`, import.meta.url));
}

/** The built-in world's walkthrough: one command per line, "#" comments; it completes both quests. */
export function builtInWalkthroughPath(): string {
  return fileURLToPath(new URL(`./${BUILT_IN_WORLD_ID}/walkthrough.txt`, import.meta.url));
}

export function loadBuiltInWorld(): WorldPack {
  return loadWorldFile(builtInWorldPath());
}
