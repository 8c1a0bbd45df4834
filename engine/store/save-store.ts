import { randomBytes } from "node:crypto";
import { closeSync, existsSync, fsyncSync, linkSync, mkdirSync, openSync, readdirSync, renameSync, rmSync, unlinkSync } from "node:fs";
import { join, resolve } from "node:path";
import { messageOf, openDatabase } from "./database.js";
import { StoreError } from "./errors.js";
import { SAVE_KIND } from "./save-schema.js";
import { SaveFile, readSaveHeader, writeNewSave, type SaveHeader, type SaveInit } from "./save-file.js";

/**
 * The saves directory: one `<name>.sqlite` per save. New files (create, save-as) are written under
 * a temporary name and moved into place whole, so a crash never leaves half a save under a real
 * name, and an existing save is never overwritten.
 */

export type SaveSummary =
  | ({ name: string; file: string; problem?: undefined } & SaveHeader)
  /** A file that could not be read: listed with why, so one bad file hides no other save. */
  | { name: string; file: string; problem: string };

const EXTENSION = ".sqlite";
const SIDECARS = ["-wal", "-shm"] as const;
const NAME = /^[\p{L}\p{N}_][\p{L}\p{N} _.-]{0,63}$/u;
// Names Windows reserves for devices, whatever the extension: a save called "con" could not exist there.
const WINDOWS_DEVICE = /^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$/i;

/** Why `name` cannot name a save, or undefined when it can. */
export function saveNameProblem(name: string): string | undefined {
  if (!NAME.test(name)) {
    return "a save name is 1 to 64 letters, digits, spaces, '-', '_' or '.', and starts with a letter, digit or '_'";
  }
  // Windows drops a trailing dot or space, which would make two names one file.
  if (/[ .]$/.test(name)) return "a save name cannot end with a space or '.'";
  if (WINDOWS_DEVICE.test(name)) return `"${name}" is a device name on Windows`;
  return undefined;
}

export class SaveStore {
  readonly dir: string;

  constructor(dir: string) {
    this.dir = resolve(dir);
    try {
      mkdirSync(this.dir, { recursive: true });
    } catch (cause) {
      throw new StoreError("io", this.dir, `cannot create the saves directory: ${messageOf(cause)}`, { cause });
    }
  }

  /** The file of the save called `name`, which need not exist yet. */
  path(name: string): string {
    const problem = saveNameProblem(name);
    if (problem !== undefined) throw new StoreError("invalid-name", join(this.dir, name + EXTENSION), problem);
    return join(this.dir, name + EXTENSION);
  }

  /** Every save in the directory, by name. Files that cannot be read are listed with a problem. */
  list(): SaveSummary[] {
    let entries: string[];
    try {
      entries = readdirSync(this.dir);
    } catch (cause) {
      throw new StoreError("io", this.dir, `cannot read the saves directory: ${messageOf(cause)}`, { cause });
    }
    return entries
      .filter((entry) => entry.endsWith(EXTENSION))
      .sort()
      .map((entry): SaveSummary => {
        const name = entry.slice(0, -EXTENSION.length);
        const file = join(this.dir, entry);
        const nameProblem = saveNameProblem(name);
        if (nameProblem !== undefined) return { name, file, problem: `the file name is not a save name: ${nameProblem}` };
        try {
          return { name, file, ...readSaveHeader(file) };
        } catch (error) {
          return { name, file, problem: error instanceof StoreError ? error.problem : messageOf(error) };
        }
      });
  }

  /** Starts a new save called `name`; an existing save of that name is refused, never replaced. */
  create(name: string, init: SaveInit): SaveFile {
    const file = this.#newFile(name);
    this.#placeNew(file, (temp) => writeNewSave(temp, init));
    return new SaveFile(file);
  }

  open(name: string): SaveFile {
    return new SaveFile(this.path(name));
  }

  /** Copies a save, as of its last commit, to a new save called `newName`, and opens the copy. */
  saveAs(from: SaveFile | string, newName: string): SaveFile {
    const file = this.#newFile(newName);
    const source = typeof from === "string" ? this.open(from) : from;
    try {
      this.#placeNew(file, (temp) => source.copyTo(temp));
    } finally {
      if (typeof from === "string") source.close();
    }
    return new SaveFile(file);
  }

  /**
   * Rewind and branch: a new save called `newName` holding `from`'s start (its meta, seed and
   * initial state) and its turns 1 to `turn` with their model calls — the game as it was after
   * that turn, to be continued apart. `from` is only read: its file is not changed.
   */
  branch(from: SaveFile | string, turn: number, newName: string): SaveFile {
    const file = this.#newFile(newName);
    const source = typeof from === "string" ? this.open(from) : from;
    try {
      const head = source.head().turn;
      if (!Number.isInteger(turn) || turn < 0 || turn > head) {
        throw new StoreError("invalid-data", source.file, `there is no turn ${turn} to branch from: this save's turns are 0 to ${head}`);
      }
      // Read and checked against its hash first, so a damaged turn is reported before anything is written.
      source.stateAt(turn);
      this.#placeNew(file, (temp) => copyTurns(source.file, temp, turn, file));
    } finally {
      if (typeof from === "string") source.close();
    }
    return new SaveFile(file);
  }

  /** Deletes a save. Its WAL files go first: left alone, they could be read into a later save of the same name. */
  delete(name: string): void {
    const file = this.path(name);
    if (!existsSync(file)) throw new StoreError("not-found", file, "no save file here");
    try {
      for (const suffix of SIDECARS) rmSync(file + suffix, { force: true });
      unlinkSync(file);
    } catch (cause) {
      throw new StoreError("io", file, `cannot delete the save: ${messageOf(cause)}`, { cause });
    }
  }

  #newFile(name: string): string {
    const file = this.path(name);
    if (existsSync(file)) throw new StoreError("exists", file, `a save called "${name}" already exists`);
    return file;
  }

  /** Writes a file under a temporary name with `write`, then moves it to `file` if that is still free. */
  #placeNew(file: string, write: (temp: string) => void): void {
    const temp = join(this.dir, `.${randomBytes(6).toString("hex")}.creating`);
    try {
      write(temp);
      if (existsSync(file)) throw new StoreError("exists", file, "a save of this name was created meanwhile");
      // WAL files without their database are leftovers of a crash; SQLite would apply them to the new file.
      for (const suffix of SIDECARS) rmSync(file + suffix, { force: true });
      moveIfFree(temp, file);
    } finally {
      for (const suffix of ["", ...SIDECARS]) rmSync(temp + suffix, { force: true });
    }
  }
}

/**
 * Writes a new save at `temp` (to become `file`) with `sourceFile`'s meta and its turns and model calls up to `turn`,
 * copied row by row inside SQLite. Only the rows kept are written, so branching at the middle of a
 * long game writes half of it (a whole-file copy then a delete would write all of it, and leave the
 * file as big as the original).
 */
function copyTurns(sourceFile: string, temp: string, turn: number, file: string): void {
  // The file is not a save until it is complete and moved into place, so it needs no journal and
  // no syncing along the way (a write-ahead log made the copy a third slower): it is synced once,
  // whole, before the move.
  const db = openDatabase(temp, SAVE_KIND, { create: true, scratch: true });
  try {
    db.pragma("journal_mode = OFF");
    db.prepare("ATTACH DATABASE ? AS source").run(sourceFile);
    try {
      db.transaction(() => {
        for (const table of ["meta", "turns", "model_calls"] as const) {
          // The columns of the schema this version writes; the source was migrated to it when opened.
          const columns = (db.pragma(`main.table_info(${table})`) as { name: string }[]).map((c) => `"${c.name}"`).join(", ");
          const where = table === "meta" ? "" : " WHERE turn <= ?";
          const insert = db.prepare(`INSERT INTO main.${table} (${columns}) SELECT ${columns} FROM source.${table}${where}`);
          if (table === "meta") insert.run();
          else insert.run(turn);
        }
        db.prepare("UPDATE main.meta SET updated_at = ?").run(new Date().toISOString());
      })();
    } finally {
      db.prepare("DETACH DATABASE source").run();
    }
    db.close();
    syncFile(temp);
  } catch (cause) {
    throw new StoreError("io", file, `cannot write this branch of ${sourceFile}: ${messageOf(cause)}`, { cause });
  } finally {
    if (db.open) db.close();
  }
}

function syncFile(file: string): void {
  const fd = openSync(file, "r+");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** A hard link refuses an existing target atomically; where links are not supported, rename after a check. */
function moveIfFree(from: string, to: string): void {
  try {
    linkSync(from, to);
    return;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EEXIST") throw new StoreError("exists", to, "a save of this name was created meanwhile", { cause: error });
    if (code !== "EPERM" && code !== "ENOTSUP" && code !== "EOPNOTSUPP" && code !== "ENOSYS") {
      throw new StoreError("io", to, `cannot create the save: ${messageOf(error)}`, { cause: error });
    }
  }
  if (existsSync(to)) throw new StoreError("exists", to, "a save of this name was created meanwhile");
  try {
    renameSync(from, to);
  } catch (cause) {
    throw new StoreError("io", to, `cannot create the save: ${messageOf(cause)}`, { cause });
  }
}
