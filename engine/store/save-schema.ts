import type { DatabaseKind, Db } from "./database.js";

/**
 * The save file's schema. Every turn row carries the full state after it (see README.md for the
 * measurement behind that choice), so the head is simply the newest turn, and undo or rewind to
 * any turn is one row read.
 */

const SCHEMA_V1 = `
  CREATE TABLE meta (
    id            INTEGER PRIMARY KEY CHECK (id = 1),
    world_id      TEXT NOT NULL,
    world_version TEXT,
    seed          INTEGER NOT NULL,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    initial_state TEXT NOT NULL,
    initial_hash  TEXT NOT NULL
  ) STRICT;

  CREATE TABLE turns (
    turn         INTEGER PRIMARY KEY CHECK (turn >= 1),
    input        TEXT NOT NULL,
    action       TEXT,
    events       TEXT NOT NULL,
    narration    TEXT NOT NULL,
    state        TEXT NOT NULL,
    state_hash   TEXT NOT NULL,
    committed_at TEXT NOT NULL
  ) STRICT;

  CREATE TABLE model_calls (
    turn           INTEGER NOT NULL REFERENCES turns (turn) ON DELETE CASCADE,
    seq            INTEGER NOT NULL,
    fingerprint    TEXT NOT NULL,
    slot           TEXT NOT NULL,
    provider       TEXT NOT NULL,
    model          TEXT NOT NULL,
    request        TEXT NOT NULL,
    response       TEXT NOT NULL,
    input_tokens   INTEGER NOT NULL,
    output_tokens  INTEGER NOT NULL,
    latency_ms     REAL NOT NULL,
    first_token_ms REAL,
    PRIMARY KEY (turn, seq)
  ) STRICT, WITHOUT ROWID;
`;

export const SAVE_KIND: DatabaseKind = {
  // "TWEV" in ASCII: fixed forever, it is how a save is told from any other SQLite file.
  applicationId: 0x54574556,
  label: "save",
  migrations: [(db: Db) => db.exec(SCHEMA_V1)],
  // A turn row holds a 5–10 KB state and a model call a prompt of several KB: with 4 KB pages
  // nearly every row spilled into overflow pages, and branching a 10,000-turn save at its middle
  // copied row by row at a third of the speed it does with 16 KB pages.
  pageSize: 16_384,
};
