import Database from "better-sqlite3";
import { closeSync, existsSync, openSync, readSync } from "node:fs";
import { StoreError } from "./errors.js";

/**
 * Opens a Taleweave SQLite file of one kind (a save, the usage ledger), checks that it is one,
 * and migrates it forward. A file of another kind, a corrupt file, or one written by a newer
 * version is refused with a StoreError, and is not modified.
 */

export type Db = Database.Database;

export interface DatabaseKind {
  /** SQLite's application_id header field: tells our files from any other SQLite file. */
  readonly applicationId: number;
  /** A word for messages: "save", "usage ledger". */
  readonly label: string;
  /** migrations[i] takes the schema from version i to i + 1. */
  readonly migrations: readonly ((db: Db) => void)[];
  /** The page size of files created from now on (SQLite's default is 4096); an existing file keeps its own. */
  readonly pageSize?: number;
}

export interface OpenOptions {
  /** Create the file if it is missing, and accept an existing empty file as a new one. */
  readonly create?: boolean;
  readonly readonly?: boolean;
  /**
   * Run SQLite's quick_check before anything is written. It reads every page (about 35 ms for
   * 100 MB), so damage in the middle of a file is found on open rather than in the middle of play.
   */
  readonly verify?: boolean;
  /**
   * For a file no one reads until it is complete, such as a branch being written: locked for this
   * connection alone, journalled in memory and never synced, so the caller syncs it once, whole,
   * before anyone may open it. A crash can leave such a file damaged, so never a save in play.
   */
  readonly scratch?: boolean;
}

const SQLITE_MAGIC = "SQLite format 3\0";

export function openDatabase(file: string, kind: DatabaseKind, options: OpenOptions = {}): Db {
  const inMemory = file === ":memory:";
  const exists = inMemory || existsSync(file);
  if (!exists && !options.create) throw new StoreError("not-found", file, `no ${kind.label} file here`);
  if (exists && !inMemory) checkHeader(file, kind, options.create ?? false);

  let db: Db;
  try {
    db = new Database(file, { readonly: options.readonly ?? false, fileMustExist: !options.create });
  } catch (cause) {
    throw new StoreError("io", file, `cannot open the ${kind.label}: ${messageOf(cause)}`, { cause });
  }
  try {
    checkAndMigrate(db, file, kind, options, exists && !inMemory);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/**
 * Looks at the first bytes before SQLite does, so a text file or an empty file is called what it
 * is rather than "corrupt", and an empty file is never turned into a database unless asked.
 */
function checkHeader(file: string, kind: DatabaseKind, create: boolean): void {
  const head = Buffer.alloc(SQLITE_MAGIC.length);
  let read: number;
  try {
    const fd = openSync(file, "r");
    try {
      read = readSync(fd, head, 0, head.length, 0);
    } finally {
      closeSync(fd);
    }
  } catch (cause) {
    throw new StoreError("io", file, `cannot read the ${kind.label}: ${messageOf(cause)}`, { cause });
  }
  if (read === 0) {
    if (create) return;
    throw new StoreError("foreign", file, `this file is empty, not a Taleweave ${kind.label}`);
  }
  if (read < head.length || head.toString("latin1") !== SQLITE_MAGIC) {
    throw new StoreError("foreign", file, `this is not a SQLite database, so not a Taleweave ${kind.label}`);
  }
}

function checkAndMigrate(db: Db, file: string, kind: DatabaseKind, options: OpenOptions, existed: boolean): void {
  const readonly = options.readonly ?? false;
  let appId: number;
  let version: number;
  try {
    appId = db.pragma("application_id", { simple: true }) as number;
    version = db.pragma("user_version", { simple: true }) as number;
    // Reading the schema touches every page header SQLite needs; a damaged file fails here.
    db.prepare("SELECT count(*) FROM sqlite_master").get();
  } catch (cause) {
    throw new StoreError("corrupt", file, `not a readable ${kind.label} (${messageOf(cause)})`, { cause });
  }

  const isEmpty = appId === 0 && version === 0 && tableCount(db) === 0;
  if (!isEmpty && appId !== kind.applicationId) {
    throw new StoreError("foreign", file, `this SQLite file is not a Taleweave ${kind.label}`);
  }
  if (existed && isEmpty && (readonly || !options.create)) {
    throw new StoreError("foreign", file, `this SQLite file is empty, not a Taleweave ${kind.label}`);
  }
  const latest = kind.migrations.length;
  if (version > latest) {
    throw new StoreError("too-new", file, `this ${kind.label} was written by a newer Taleweave (schema ${version}; this version reads up to ${latest})`);
  }
  if (options.verify && existed) quickCheck(db, file, kind);

  if (!readonly) {
    try {
      // Only a file with nothing in it yet can take a page size; the journal mode below would fix it.
      if (isEmpty && kind.pageSize !== undefined) db.pragma(`page_size = ${kind.pageSize}`);
      if (options.scratch) {
        // Nobody else reads the file yet, so it is locked once rather than at every commit.
        db.pragma("main.locking_mode = EXCLUSIVE");
        db.pragma("journal_mode = MEMORY");
        db.pragma("synchronous = OFF");
      } else {
        db.pragma("journal_mode = WAL");
        db.pragma("synchronous = NORMAL");
      }
    } catch (cause) {
      throw new StoreError("locked", file, `cannot write to the ${kind.label}: ${messageOf(cause)}`, { cause });
    }
  }
  db.pragma("foreign_keys = ON");
  if (version === latest) return;
  if (readonly) throw new StoreError("too-new", file, `this ${kind.label} needs migrating (schema ${version} → ${latest}); open it writable first`);

  try {
    db.transaction(() => {
      for (let v = version; v < latest; v++) kind.migrations[v]!(db);
      db.pragma(`application_id = ${kind.applicationId}`);
      db.pragma(`user_version = ${latest}`);
    })();
  } catch (cause) {
    throw new StoreError("corrupt", file, `migrating the ${kind.label} from schema ${version} failed: ${messageOf(cause)}`, { cause });
  }
}

function quickCheck(db: Db, file: string, kind: DatabaseKind): void {
  let problems: string[];
  try {
    problems = (db.pragma("quick_check(3)") as { quick_check: string }[])
      .flatMap((row) => row.quick_check.split("\n"))
      .filter((line) => line !== "" && !line.startsWith("*** in database"));
  } catch (cause) {
    throw new StoreError("corrupt", file, `the ${kind.label} is damaged (${messageOf(cause)})`, { cause });
  }
  if (problems.length !== 1 || problems[0] !== "ok") {
    throw new StoreError("corrupt", file, `the ${kind.label} is damaged (${problems.join("; ")})`);
  }
}

function tableCount(db: Db): number {
  return (db.prepare("SELECT count(*) AS n FROM sqlite_master").get() as { n: number }).n;
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
