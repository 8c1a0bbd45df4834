import Database from "better-sqlite3";
import { basename } from "node:path";
import { z } from "zod";
import { Action, GameEvent, GameState, canonicalJson } from "../game/index.js";
import { messageOf, openDatabase, type Db } from "./database.js";
import { StoreError, type StoreErrorKind } from "./errors.js";
import { sha256Hex, storedForm } from "./hash.js";
import { JsonValue } from "./json-value.js";
import { SAVE_KIND } from "./save-schema.js";

/**
 * One save file: the game's start, then every turn as it was committed, each with the full state
 * after it. Everything read back is checked (zod, and each state against its hash), so a damaged
 * file is reported as damaged instead of turning into a wrong game.
 */

/** One request to a model and its answer, recorded so a replay can answer it again. */
export const ModelCall = z.object({
  /** Order of the call within its turn. */
  seq: z.number().int().min(0),
  /** Identifies the request; a replay looks the answer up by it. */
  fingerprint: z.string().min(1),
  slot: z.string().min(1),
  provider: z.string().min(1),
  model: z.string().min(1),
  request: JsonValue,
  response: JsonValue,
  inputTokens: z.number().int().min(0),
  outputTokens: z.number().int().min(0),
  latencyMs: z.number().min(0),
  /** Null when the answer was not streamed. */
  firstTokenMs: z.number().min(0).nullable(),
});
export type ModelCall = z.infer<typeof ModelCall>;

/** A turn as the session commits it. */
export interface TurnRecord {
  turn: number;
  input: string;
  /** Null when the input was not understood as an action. */
  action: Action | null;
  events: GameEvent[];
  narration: string;
  /** The state after the turn. */
  state: GameState;
  /** The caller's stateHash(state), if it has one: checked against the store's own. */
  stateHash?: string;
  modelCalls?: ModelCall[];
}

/** A turn as stored: the record without its state (ask stateAt for it), plus its hash and time. */
export interface StoredTurn {
  turn: number;
  input: string;
  action: Action | null;
  events: GameEvent[];
  narration: string;
  stateHash: string;
  /** Wall-clock ISO time of the commit: metadata for people, never part of the game. */
  committedAt: string;
  modelCalls: ModelCall[];
}

/** A stored turn as a replay reads it. */
export type RecordedTurn = Pick<StoredTurn, "turn" | "input" | "stateHash" | "modelCalls">;

export interface SaveInit {
  worldId: string;
  worldVersion?: string;
  seed: number;
  /** The state at turn 0. */
  state: GameState;
}

export interface SaveMeta {
  worldId: string;
  worldVersion: string | null;
  seed: number;
  /** Wall-clock ISO time the game began. */
  createdAt: string;
  schemaVersion: number;
}

export interface StateAtTurn {
  turn: number;
  state: GameState;
  stateHash: string;
}

/** What a list of saves shows without opening each save fully. */
export interface SaveHeader {
  worldId: string;
  worldVersion: string | null;
  turn: number;
  createdAt: string;
  /** Wall-clock ISO time of the last change: a commit, or an undo. */
  updatedAt: string;
}

const TurnRecordSchema = z.object({
  turn: z.number().int().min(1),
  input: z.string(),
  action: Action.nullable(),
  events: z.array(GameEvent),
  narration: z.string(),
  state: GameState,
  stateHash: z.string().optional(),
  modelCalls: z.array(ModelCall).optional(),
});

const SaveInitSchema = z.object({
  worldId: z.string().min(1),
  worldVersion: z.string().optional(),
  seed: z.number().int(),
  state: GameState,
});

const MetaRow = z.object({
  world_id: z.string(),
  world_version: z.string().nullable(),
  seed: z.number().int(),
  created_at: z.string(),
  updated_at: z.string(),
});

const HeaderRow = MetaRow.extend({
  turn: z.number().int().min(0),
  last_commit: z.string().nullable(),
});

const TurnNumberRow = z.object({ turn: z.number().int().min(0) });

const StateRow = z.object({ turn: z.number().int().min(0), state: z.string(), state_hash: z.string() });

const TurnRow = z.object({
  turn: z.number().int().min(1),
  input: z.string(),
  action: z.string().nullable(),
  events: z.string(),
  narration: z.string(),
  state_hash: z.string(),
  committed_at: z.string(),
});

/** A model call as read with its turn; a replay reads the request, most of the row, only when it needs it. */
const ModelCallRow = z.object({
  turn: z.number().int().min(1),
  seq: z.number().int().min(0),
  fingerprint: z.string(),
  slot: z.string(),
  provider: z.string(),
  model: z.string(),
  request: z.string().optional(),
  response: z.string(),
  input_tokens: z.number().int(),
  output_tokens: z.number().int(),
  latency_ms: z.number(),
  first_token_ms: z.number().nullable(),
});
type ModelCallRow = z.infer<typeof ModelCallRow>;

const RequestRow = z.object({ request: z.string() });

/** Whether a page of turns reads its model calls' requests, or leaves them until they are asked for. */
type CallsRead = "with-requests" | "requests-when-asked";

/** Turns read per query by turns(): enough to be fast, few enough to keep memory flat. */
const TURNS_PAGE = 256;

const SQL = {
  meta: "SELECT world_id, world_version, seed, created_at, updated_at FROM meta",
  header: `SELECT world_id, world_version, seed, created_at, updated_at,
             (SELECT coalesce(max(turn), 0) FROM turns) AS turn,
             (SELECT committed_at FROM turns ORDER BY turn DESC LIMIT 1) AS last_commit
           FROM meta`,
  insertMeta: `INSERT INTO meta (id, world_id, world_version, seed, created_at, updated_at, initial_state, initial_hash)
               VALUES (1, ?, ?, ?, ?, ?, ?, ?)`,
  lastTurn: "SELECT coalesce(max(turn), 0) AS turn FROM turns",
  initialState: "SELECT 0 AS turn, initial_state AS state, initial_hash AS state_hash FROM meta",
  stateOf: "SELECT turn, state, state_hash FROM turns WHERE turn = ?",
  insertTurn: `INSERT INTO turns (turn, input, action, events, narration, state, state_hash, committed_at)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  insertCall: `INSERT INTO model_calls (turn, seq, fingerprint, slot, provider, model, request, response,
                 input_tokens, output_tokens, latency_ms, first_token_ms)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  turnsPage: `SELECT turn, input, action, events, narration, state_hash, committed_at FROM turns
              WHERE turn >= ? AND turn <= ? ORDER BY turn LIMIT ?`,
  callsOf: "SELECT * FROM model_calls WHERE turn >= ? AND turn <= ? ORDER BY turn, seq",
  callsOfWithoutRequests: `SELECT turn, seq, fingerprint, slot, provider, model, response, input_tokens, output_tokens, latency_ms, first_token_ms
                           FROM model_calls WHERE turn >= ? AND turn <= ? ORDER BY turn, seq`,
  requestOf: "SELECT request FROM model_calls WHERE turn = ? AND seq = ?",
  deleteCallsAfter: "DELETE FROM model_calls WHERE turn > ?",
  deleteTurnsAfter: "DELETE FROM turns WHERE turn > ?",
  touch: "UPDATE meta SET updated_at = ?",
} as const;

type Statements = { readonly [K in keyof typeof SQL]: Database.Statement };

/** Writes a new save at `file`, which must not exist yet; SaveStore moves it into place. */
export function writeNewSave(file: string, init: SaveInit): void {
  const checked = SaveInitSchema.safeParse(init);
  if (!checked.success) throw new StoreError("invalid-data", file, `the new game cannot be saved: ${describeIssue(checked.error)}`);
  if (init.state.worldId !== init.worldId) {
    throw new StoreError("invalid-data", file, `the state is of world "${init.state.worldId}", not "${init.worldId}"`);
  }
  const db = openDatabase(file, SAVE_KIND, { create: true });
  try {
    const json = canonicalJson(init.state);
    const now = new Date().toISOString();
    db.prepare(SQL.insertMeta).run(init.worldId, init.worldVersion ?? null, init.seed, now, now, json, sha256Hex(json));
  } catch (cause) {
    throw new StoreError("io", file, `cannot write the new save: ${messageOf(cause)}`, { cause });
  } finally {
    db.close();
  }
}

/**
 * Reads what a list of saves shows, without the integrity check and state parsing that opening
 * does: a list must stay quick however many and however long the saves are. Like opening, it
 * migrates a save from an older schema.
 */
export function readSaveHeader(file: string): SaveHeader {
  const db = openDatabase(file, SAVE_KIND);
  try {
    const row = parseRow(HeaderRow, guard(file, () => db.prepare(SQL.header).get()), file, "the save's header");
    const updatedAt = row.last_commit !== null && row.last_commit > row.updated_at ? row.last_commit : row.updated_at;
    return { worldId: row.world_id, worldVersion: row.world_version, turn: row.turn, createdAt: row.created_at, updatedAt };
  } finally {
    db.close();
  }
}

export class SaveFile {
  readonly name: string;
  readonly meta: SaveMeta;
  readonly #db: Db;
  readonly #sql: Statements;
  readonly #commit: (record: TurnRecord, stateJson: string, hash: string) => void;
  #headTurn: number;

  /** Opens an existing save: checks it page by page, migrates it, and checks its head state. */
  constructor(readonly file: string) {
    this.name = basename(file, ".sqlite");
    const db = openDatabase(file, SAVE_KIND, { verify: true });
    this.#db = db;
    try {
      this.#sql = guard(file, () => prepareAll(db));
      const meta = guard(file, () => parseRow(MetaRow, this.#sql.meta.get(), file, "the save's header"));
      this.meta = {
        worldId: meta.world_id,
        worldVersion: meta.world_version,
        seed: meta.seed,
        createdAt: meta.created_at,
        schemaVersion: SAVE_KIND.migrations.length,
      };
      this.#headTurn = guard(file, () => parseRow(TurnNumberRow, this.#sql.lastTurn.get(), file, "the last turn")).turn;
      this.#readState(this.#headTurn);
    } catch (error) {
      db.close();
      throw error;
    }
    this.#commit = db.transaction((record: TurnRecord, stateJson: string, hash: string) => {
      this.#sql.insertTurn.run(
        record.turn,
        record.input,
        record.action === null ? null : JSON.stringify(record.action),
        JSON.stringify(record.events),
        record.narration,
        stateJson,
        hash,
        new Date().toISOString(),
      );
      for (const call of record.modelCalls ?? []) {
        this.#sql.insertCall.run(
          record.turn, call.seq, call.fingerprint, call.slot, call.provider, call.model,
          JSON.stringify(call.request), JSON.stringify(call.response),
          call.inputTokens, call.outputTokens, call.latencyMs, call.firstTokenMs,
        );
      }
    });
  }

  /** The newest state: after the last committed turn, or the start when none was played. */
  head(): StateAtTurn {
    return this.#readState(this.#headTurn);
  }

  /**
   * Stores a turn in one transaction: the turn row with the state after it, and its model calls.
   * Either all of it is on disk afterwards or none of it. Returns the state as stored, which is
   * the state with its records in key order, as a later read gives them, and its hash.
   */
  commitTurn(record: TurnRecord): StateAtTurn {
    const next = this.#headTurn + 1;
    if (record.turn !== next) {
      throw new StoreError("invalid-data", this.file, `turn ${record.turn} cannot be stored after turn ${this.#headTurn}; the next turn is ${next}`);
    }
    // Checked on the way in so that whatever is stored will read back: a state the schema refuses
    // would make the save impossible to open.
    const checked = TurnRecordSchema.safeParse(record);
    if (!checked.success) {
      throw new StoreError("invalid-data", this.file, `turn ${record.turn} cannot be stored: ${describeIssue(checked.error)}`);
    }
    const stored = storedForm(record.state);
    if (record.stateHash !== undefined && record.stateHash !== stored.stateHash) {
      throw new StoreError("invalid-data", this.file, `turn ${record.turn} cannot be stored: its stateHash is not the hash of its state`);
    }
    try {
      this.#commit(record, stored.json, stored.stateHash);
    } catch (cause) {
      throw failure(this.file, `turn ${record.turn} cannot be stored`, cause, "io");
    }
    this.#headTurn = record.turn;
    return { turn: record.turn, state: stored.state, stateHash: stored.stateHash };
  }

  /** The stored turns from `from` to `to` (both included), read a page at a time. */
  *turns(from = 1, to = Number.MAX_SAFE_INTEGER): Generator<StoredTurn> {
    for (const [row, calls] of this.#pages(from, to, "with-requests")) yield this.#storedTurn(row, calls);
  }

  /**
   * What a replay needs of each turn, without reading its action and events: the input to give
   * again, the hash to reach, and the model calls to answer from. Checking the events of every
   * turn, which a replay never looks at, was a fifth of the cost of reading them. A call's
   * request is read from the save when it is first asked for, so only while the save is open: a
   * replay whose requests match the record needs their fingerprints alone, and the prompts were
   * half of what it read.
   */
  *recordedTurns(from = 1, to = Number.MAX_SAFE_INTEGER): Generator<RecordedTurn> {
    for (const [row, modelCalls] of this.#pages(from, to, "requests-when-asked")) yield { turn: row.turn, input: row.input, stateHash: row.state_hash, modelCalls };
  }

  *#pages(from: number, to: number, calls: CallsRead): Generator<[z.infer<typeof TurnRow>, ModelCall[]]> {
    let next = Math.max(1, from);
    while (next <= to) {
      const rows = guard(this.file, () => this.#sql.turnsPage.all(next, to, TURNS_PAGE)).map((raw) => parseRow(TurnRow, raw, this.file, `a turn from ${next} on`));
      const last = rows.at(-1);
      if (last === undefined) return;
      const byTurn = this.#callsByTurn(next, last.turn, calls);
      for (const row of rows) yield [row, byTurn.get(row.turn) ?? []];
      next = last.turn + 1;
    }
  }

  /** The state after `turn` (0 is the start), exactly as it was stored. */
  stateAt(turn: number): StateAtTurn {
    this.#checkTurn(turn);
    return this.#readState(turn);
  }

  /**
   * Undo and rewind: forgets every turn after `turn` and makes the state after it the head, which
   * it returns. The state is read first, so a damaged one is reported before anything is deleted.
   */
  truncateAfter(turn: number): StateAtTurn {
    this.#checkTurn(turn);
    const head = this.#readState(turn);
    try {
      this.#db.transaction(() => {
        this.#sql.deleteCallsAfter.run(turn);
        this.#sql.deleteTurnsAfter.run(turn);
        this.#sql.touch.run(new Date().toISOString());
      })();
    } catch (cause) {
      throw failure(this.file, `the turns after ${turn} cannot be deleted`, cause, "io");
    }
    this.#headTurn = turn;
    return head;
  }

  /** Writes a consistent copy of this save, as of its last commit, to a file that must not exist. */
  copyTo(file: string): void {
    try {
      this.#db.prepare("VACUUM INTO ?").run(file);
    } catch (cause) {
      throw new StoreError("io", file, `cannot copy ${this.file} here: ${messageOf(cause)}`, { cause });
    }
  }

  close(): void {
    if (this.#db.open) this.#db.close();
  }

  #checkTurn(turn: number): void {
    if (!Number.isInteger(turn) || turn < 0 || turn > this.#headTurn) {
      throw new RangeError(`${this.file}: there is no turn ${turn}; stored turns are 0 to ${this.#headTurn}`);
    }
  }

  #readState(turn: number): StateAtTurn {
    const raw = guard(this.file, () => (turn === 0 ? this.#sql.initialState.get() : this.#sql.stateOf.get(turn)));
    if (raw === undefined) throw new StoreError("corrupt", this.file, `the state after turn ${turn} is missing`);
    const row = parseRow(StateRow, raw, this.file, `the state after turn ${turn}`);
    if (sha256Hex(row.state) !== row.state_hash) {
      throw new StoreError("corrupt", this.file, `the state after turn ${turn} does not match its hash`);
    }
    const state = parseJson(GameState, row.state, this.file, `the state after turn ${turn}`);
    return { turn, state, stateHash: row.state_hash };
  }

  #callsByTurn(from: number, to: number, calls: CallsRead): Map<number, ModelCall[]> {
    const byTurn = new Map<number, ModelCall[]>();
    const query = calls === "with-requests" ? this.#sql.callsOf : this.#sql.callsOfWithoutRequests;
    for (const raw of guard(this.file, () => query.all(from, to))) {
      const row = parseRow(ModelCallRow, raw, this.file, `a model call of turn ${from}–${to}`);
      const list = byTurn.get(row.turn) ?? [];
      list.push(this.#modelCall(row));
      byTurn.set(row.turn, list);
    }
    return byTurn;
  }

  #modelCall(row: ModelCallRow): ModelCall {
    const where = `model call ${row.seq} of turn ${row.turn}`;
    let request: JsonValue | undefined;
    const readRequest = (): JsonValue => {
      let text = row.request;
      if (text === undefined) {
        if (!this.#db.open) throw new StoreError("io", this.file, `the request of ${where} is read from the save, which has been closed`);
        text = parseRow(RequestRow, guard(this.file, () => this.#sql.requestOf.get(row.turn, row.seq)), this.file, `the request of ${where}`).request;
      }
      // Whatever JSON.parse returns is JSON, so there is nothing more to check.
      return parseJsonText(text, this.file, `the request of ${where}`);
    };
    return {
      seq: row.seq,
      fingerprint: row.fingerprint,
      slot: row.slot,
      provider: row.provider,
      model: row.model,
      // Parsed when first asked for, and read then too when the row came without it.
      get request(): JsonValue {
        request ??= readRequest();
        return request;
      },
      response: parseJsonText(row.response, this.file, `the response of ${where}`),
      inputTokens: row.input_tokens,
      outputTokens: row.output_tokens,
      latencyMs: row.latency_ms,
      firstTokenMs: row.first_token_ms,
    };
  }

  #storedTurn(row: z.infer<typeof TurnRow>, modelCalls: ModelCall[]): StoredTurn {
    const where = `turn ${row.turn}`;
    return {
      turn: row.turn,
      input: row.input,
      action: row.action === null ? null : parseJson(Action, row.action, this.file, `the action of ${where}`),
      events: parseJson(z.array(GameEvent), row.events, this.file, `the events of ${where}`),
      narration: row.narration,
      stateHash: row.state_hash,
      committedAt: row.committed_at,
      modelCalls,
    };
  }
}

function prepareAll(db: Db): Statements {
  const out: Partial<Record<keyof typeof SQL, Database.Statement>> = {};
  for (const key of Object.keys(SQL) as (keyof typeof SQL)[]) out[key] = db.prepare(SQL[key]);
  return out as Statements;
}

/** Runs a read; a SQLite failure there means a damaged file (a missing table, a bad page), unless it says otherwise. */
function guard<T>(file: string, read: () => T): T {
  try {
    return read();
  } catch (cause) {
    throw failure(file, "not a readable save", cause, "corrupt");
  }
}

function parseRow<T>(schema: z.ZodType<T>, raw: unknown, file: string, what: string): T {
  if (raw === undefined) throw new StoreError("corrupt", file, `${what} is missing`);
  const result = schema.safeParse(raw);
  if (!result.success) throw new StoreError("corrupt", file, `${what} is damaged: ${describeIssue(result.error)}`);
  return result.data;
}

function parseJson<T>(schema: z.ZodType<T>, text: string, file: string, what: string): T {
  return parseRow(schema, parseJsonText(text, file, what), file, what);
}

function parseJsonText(text: string, file: string, what: string): JsonValue {
  try {
    return JSON.parse(text) as JsonValue;
  } catch (cause) {
    throw new StoreError("corrupt", file, `${what} is not valid JSON`, { cause });
  }
}

function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (issue === undefined) return "invalid";
  const path = issue.path.length > 0 ? issue.path.join(".") : "(root)";
  return `${path}: ${issue.message}`;
}

function failure(file: string, what: string, cause: unknown, otherwise: StoreErrorKind): StoreError {
  if (cause instanceof StoreError) return cause;
  const code = cause instanceof Database.SqliteError ? cause.code : "";
  if (code.startsWith("SQLITE_CONSTRAINT")) {
    return new StoreError("invalid-data", file, `${what} (${messageOf(cause)}); is another program writing this save?`, { cause });
  }
  if (code.startsWith("SQLITE_BUSY") || code.startsWith("SQLITE_LOCKED")) {
    return new StoreError("locked", file, `${what}: another program is using this save`, { cause });
  }
  if (code.startsWith("SQLITE_IOERR") || code.startsWith("SQLITE_READONLY") || code === "SQLITE_FULL" || code === "SQLITE_CANTOPEN") {
    return new StoreError("io", file, `${what}: ${messageOf(cause)}`, { cause });
  }
  return new StoreError(otherwise, file, `${what}: ${messageOf(cause)}`, { cause });
}
