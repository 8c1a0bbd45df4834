import fs from "node:fs";
import fsp from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { GgufFileError, inspectGguf, type GgufSummary } from "./gguf-info.js";

/** The folder GGUF files live in: `TALEWEAVE_MODELS_DIR`, else `models/` in the repository. */
export function defaultModelsDir(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env.TALEWEAVE_MODELS_DIR;
  if (fromEnv !== undefined && fromEnv.length > 0) return path.resolve(fromEnv);
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../models");
}

function isGgufName(name: string): boolean {
  return name.toLowerCase().endsWith(".gguf");
}

export interface ModelFileInfo {
  readonly name: string;
  readonly path: string;
  /** Bytes. */
  readonly size: number;
  readonly mtimeMs: number;
  /** Present when the file is a readable GGUF model. */
  readonly metadata?: GgufSummary;
  /** Present instead of metadata when the file is missing, unreadable, truncated or not GGUF. */
  readonly problem?: string;
}

/**
 * Every `*.gguf` file directly inside `dir`, sorted by name, with its metadata or the problem
 * that keeps it from loading. One bad file never hides the others. A missing folder has no models.
 */
export async function scanModels(dir: string): Promise<ModelFileInfo[]> {
  let entries: fs.Dirent[];
  try {
    entries = await fsp.readdir(dir, { withFileTypes: true });
  } catch (error) {
    if (isMissing(error)) return [];
    throw error;
  }
  const names = entries
    .filter((entry) => (entry.isFile() || entry.isSymbolicLink()) && isGgufName(entry.name))
    .map((entry) => entry.name)
    .sort((a, b) => a.localeCompare(b));
  return Promise.all(names.map((name) => describeModelFile(path.join(dir, name))));
}

async function describeModelFile(file: string): Promise<ModelFileInfo> {
  const name = path.basename(file);
  try {
    const metadata = await inspectGguf(file);
    return { name, path: file, size: metadata.sizeBytes, mtimeMs: metadata.mtimeMs, metadata };
  } catch (error) {
    if (!(error instanceof GgufFileError)) throw error;
    const stat = await fsp.stat(file).catch(() => undefined);
    return { name, path: file, size: stat?.size ?? 0, mtimeMs: stat?.mtimeMs ?? 0, problem: error.problem };
  }
}

export interface ModelsChange {
  /** Absolute paths, each sorted. */
  readonly added: readonly string[];
  readonly removed: readonly string[];
  readonly changed: readonly string[];
}

export interface WatchModelsOptions {
  /** Quiet time after the last file-system event before the folder is compared; a copy fires many events. */
  readonly debounceMs?: number;
}

interface FileStamp {
  readonly size: number;
  readonly mtimeMs: number;
  readonly ino: number;
}

/**
 * Reports GGUF files added to, removed from or replaced in `dir` (not its subfolders). fs.watch
 * events are only a hint — they differ between platforms and arrive in bursts — so after each
 * burst the folder is compared with the last snapshot and only real differences are reported.
 * A folder that does not exist has nothing to report and is not watched (create it, then watch).
 * Returns a function that stops watching.
 */
export function watchModels(dir: string, onChange: (change: ModelsChange) => void, options: WatchModelsOptions = {}): () => void {
  const debounceMs = options.debounceMs ?? 250;
  let snapshot = snapshotFolder(dir);
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;

  const compare = (): void => {
    timer = undefined;
    if (stopped) return;
    const next = snapshotFolder(dir);
    const change = diffSnapshots(dir, snapshot, next);
    snapshot = next;
    if (change.added.length + change.removed.length + change.changed.length > 0) onChange(change);
  };
  const schedule = (): void => {
    if (stopped) return;
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(compare, debounceMs);
  };

  let watcher: fs.FSWatcher;
  try {
    watcher = fs.watch(dir, { persistent: false }, schedule);
  } catch (error) {
    if (isMissing(error)) return () => undefined;
    throw error;
  }
  // The folder itself vanishing ends the watch; the final comparison reports its files as removed.
  watcher.on("error", () => {
    watcher.close();
    schedule();
  });

  return () => {
    stopped = true;
    if (timer !== undefined) clearTimeout(timer);
    watcher.close();
  };
}

function snapshotFolder(dir: string): Map<string, FileStamp> {
  const stamps = new Map<string, FileStamp>();
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch (error) {
    if (isMissing(error)) return stamps;
    throw error;
  }
  for (const name of names) {
    if (!isGgufName(name)) continue;
    try {
      const stat = fs.statSync(path.join(dir, name));
      if (stat.isFile()) stamps.set(name, { size: stat.size, mtimeMs: stat.mtimeMs, ino: stat.ino });
    } catch (error) {
      // Removed between readdir and stat: it simply is not there.
      if (!isMissing(error)) throw error;
    }
  }
  return stamps;
}

function diffSnapshots(dir: string, before: ReadonlyMap<string, FileStamp>, after: ReadonlyMap<string, FileStamp>): ModelsChange {
  const added: string[] = [];
  const removed: string[] = [];
  const changed: string[] = [];
  for (const [name, stamp] of after) {
    const old = before.get(name);
    if (old === undefined) added.push(path.join(dir, name));
    else if (old.size !== stamp.size || old.mtimeMs !== stamp.mtimeMs || old.ino !== stamp.ino) changed.push(path.join(dir, name));
  }
  for (const name of before.keys()) {
    if (!after.has(name)) removed.push(path.join(dir, name));
  }
  return { added: added.sort(), removed: removed.sort(), changed: changed.sort() };
}

function isMissing(error: unknown): boolean {
  return typeof error === "object" && error !== null && "code" in error && error.code === "ENOENT";
}
