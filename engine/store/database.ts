import Database from "better-sqlite3";
import { existsSync } from "node:fs";
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
}

export interface OpenOptions {
  readonly create?: boolean;
  readonly readonly?: boolean;
}

export function openDatabase(file: string, kind: DatabaseKind, options: OpenOptions = {}): Db {
  const exists = file === ":memory:" || existsSync(file);
  if (!exists && !options.create) throw new StoreError("not-found", file, `no ${kind.label} file here`);

  let db: Db;
  try {
    db = new Database(file, { readonly: options.readonly ?? false, fileMustExist: !options.create });
  } catch (cause) {
    throw new StoreError("io", file, `cannot open the ${kind.label}: ${messageOf(cause)}`, { cause });
  }
  try {
    checkAndMigrate(db, file, kind, exists && file !== ":memory:", options.readonly ?? false);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

function checkAndMigrate(db: Db, file: string, kind: DatabaseKind, existed: boolean, readonly: boolean): void {
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
  if (existed && isEmpty && readonly) {
    throw new StoreError("foreign", file, `this file is empty, not a Taleweave ${kind.label}`);
  }
  const latest = kind.migrations.length;
  if (version > latest) {
    throw new StoreError("too-new", file, `this ${kind.label} was written by a newer Taleweave (schema ${version}; this version reads up to ${latest})`);
  }

  if (!readonly) {
    try {
      db.pragma("journal_mode = WAL");
      db.pragma("synchronous = NORMAL");
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

function tableCount(db: Db): number {
  return (db.prepare("SELECT count(*) AS n FROM sqlite_master").get() as { n: number }).n;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
