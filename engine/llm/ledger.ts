import { basename } from "node:path";
import { z } from "zod";
import { openDatabase, type Db, type DatabaseKind } from "../store/database.js";
import { StoreError } from "../store/errors.js";
import { LLM_ERROR_KINDS } from "./errors.js";
import { Slot, type ModelSpec } from "./model-spec.js";
import { PROVIDER_KINDS } from "./provider.js";
import { redactSecrets } from "./settings.js";
import { Complexity, TaskType } from "./tasks.js";

/**
 * The usage ledger: one SQLite row per attempt the router makes (and per skip, cache hit, and
 * run that ended offline), in `<data dir>/usage.sqlite`. Rows are buffered and written in
 * batches with one prepared statement, so recording costs the router next to nothing.
 */

export const LEDGER_APPLICATION_ID = 0x54574c47; // "TWLG"
export const LEDGER_FILE = "usage.sqlite";

export const SKIP_REASONS = ["circuit-open", "budget-daily", "budget-session", "context"] as const;
export type SkipReason = (typeof SKIP_REASONS)[number];

/**
 * - ok: the model answered. cached: the answer came from the response cache.
 * - retried: failed; the same model was tried again. fell-back: failed; the router moved on to
 *   the next model of the chain. error:<kind>: failed, and there was nothing after it (the last
 *   model of the chain, or the caller cancelled).
 * - skipped:<reason>: the model was not called (circuit open, budget spent, prompt too long).
 * - offline: no model answered the run; the caller falls back to the engine's own text.
 */
export const LedgerOutcome = z.union([
  z.enum(["ok", "cached", "retried", "fell-back", "offline"]),
  z.templateLiteral(["error:", z.enum(LLM_ERROR_KINDS)]),
  z.templateLiteral(["skipped:", z.enum(SKIP_REASONS)]),
]);
export type LedgerOutcome = z.infer<typeof LedgerOutcome>;

export const LedgerRow = z.strictObject({
  /** Which router run the attempt belongs to; unique within one ledger. */
  request: z.number().int().min(0),
  /** ISO 8601, UTC. */
  time: z.string(),
  taskType: TaskType,
  complexity: Complexity,
  slot: Slot,
  provider: z.union([z.enum(PROVIDER_KINDS), z.literal("offline")]),
  /** The model as settings name it: a GGUF file name, or the provider's model id. */
  model: z.string(),
  inputTokens: z.number().int().min(0),
  outputTokens: z.number().int().min(0),
  costUsd: z.number().min(0),
  latencyMs: z.number().min(0),
  firstTokenMs: z.number().min(0).optional(),
  outcome: LedgerOutcome,
  errorKind: z.enum(LLM_ERROR_KINDS).optional(),
  errorMessage: z.string().optional(),
});
export type LedgerRow = z.infer<typeof LedgerRow>;

/**
 * The name the ledger (and the response cache, and record/replay) knows a model by: the file name
 * of a local model, wherever the models folder is; the model id of a cloud one, qualified by its
 * server for OpenAI-compatible endpoints, where the same id on two servers is two models.
 */
export function modelName(spec: ModelSpec): string {
  switch (spec.provider) {
    case "local":
      return basename(spec.file);
    case "openai-compatible":
      return `${spec.model}@${spec.baseUrl}`;
    case "openrouter":
    case "gemini":
      return spec.model;
  }
}

export const LEDGER_KIND: DatabaseKind = {
  applicationId: LEDGER_APPLICATION_ID,
  label: "usage ledger",
  migrations: [
    db => {
      db.exec(`
        CREATE TABLE attempts (
          id             INTEGER PRIMARY KEY,
          request        INTEGER NOT NULL,
          time           TEXT    NOT NULL,
          task_type      TEXT    NOT NULL,
          complexity     TEXT    NOT NULL,
          slot           TEXT    NOT NULL,
          provider       TEXT    NOT NULL,
          model          TEXT    NOT NULL,
          input_tokens   INTEGER NOT NULL,
          output_tokens  INTEGER NOT NULL,
          cost_usd       REAL    NOT NULL,
          latency_ms     REAL    NOT NULL,
          first_token_ms REAL,
          outcome        TEXT    NOT NULL,
          error_kind     TEXT,
          error_message  TEXT
        );
        CREATE INDEX attempts_time ON attempts (time);
      `);
    },
  ],
};

/** Error messages are for diagnosis; beyond this they are noise (and a place for a prompt to leak into). */
export const MAX_ERROR_MESSAGE_CHARS = 500;

export interface LedgerOptions {
  /** Rows buffered before a write is scheduled. */
  readonly batchSize?: number;
  /** A partial batch is written this long after its first row at the latest. */
  readonly flushAfterMs?: number;
  /**
   * Told when a batch written in the background fails (disk full, file locked). The rows stay
   * buffered for the next write, up to a bound beyond which the oldest are dropped.
   */
  readonly onWriteError?: (error: unknown) => void;
}

export interface TimeRange {
  /** Inclusive, ISO 8601. */
  readonly since?: string;
  /** Exclusive, ISO 8601. */
  readonly until?: string;
}

interface StoredRow {
  request: number;
  time: string;
  task_type: string;
  complexity: string;
  slot: string;
  provider: string;
  model: string;
  input_tokens: number;
  output_tokens: number;
  cost_usd: number;
  latency_ms: number;
  first_token_ms: number | null;
  outcome: string;
  error_kind: string | null;
  error_message: string | null;
}

// A buffer that cannot be written (disk full, file locked) must not grow without bound.
const MAX_BUFFERED_ROWS = 10_000;
const STARVED_BATCHES = 8;

export class Ledger {
  readonly file: string;
  readonly #db: Db;
  readonly #insert: (rows: readonly LedgerRow[]) => void;
  readonly #batchSize: number;
  readonly #flushAfterMs: number;
  #buffer: LedgerRow[] = [];
  #soon: NodeJS.Immediate | undefined;
  #later: NodeJS.Timeout | undefined;
  #nextRequest: number;
  readonly #onWriteError: ((error: unknown) => void) | undefined;

  /** Opens (creating if need be) a ledger file, or ":memory:". Throws a StoreError for a file that is not one. */
  static open(file: string, options: LedgerOptions = {}): Ledger {
    return new Ledger(file, openDatabase(file, LEDGER_KIND, { create: true }), options);
  }

  private constructor(file: string, db: Db, options: LedgerOptions) {
    this.file = file;
    this.#db = db;
    this.#batchSize = options.batchSize ?? 256;
    this.#flushAfterMs = options.flushAfterMs ?? 1_000;
    this.#onWriteError = options.onWriteError;
    const statement = db.prepare(`
      INSERT INTO attempts (request, time, task_type, complexity, slot, provider, model, input_tokens,
        output_tokens, cost_usd, latency_ms, first_token_ms, outcome, error_kind, error_message)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    this.#insert = db.transaction((rows: readonly LedgerRow[]) => {
      for (const row of rows) {
        statement.run(
          row.request, row.time, row.taskType, row.complexity, row.slot, row.provider, row.model, row.inputTokens,
          row.outputTokens, row.costUsd, row.latencyMs, row.firstTokenMs ?? null, row.outcome, row.errorKind ?? null,
          row.errorMessage === undefined ? null : redactSecrets(row.errorMessage).slice(0, MAX_ERROR_MESSAGE_CHARS),
        );
      }
    });
    const last = db.prepare("SELECT max(request) AS n FROM attempts").get() as { n: number | null };
    this.#nextRequest = (last.n ?? -1) + 1;
  }

  /** A fresh id for a router run. */
  nextRequestId(): number {
    return this.#nextRequest++;
  }

  /**
   * Buffers a row, as given: the caller must not change it afterwards. Never throws, because the
   * ledger must not break play. Error messages are stripped of anything that looks like a key
   * before they are written.
   */
  record(row: LedgerRow): void {
    this.#buffer.push(row);
    if (this.#buffer.length > MAX_BUFFERED_ROWS) this.#buffer.shift();
    const pending = this.#buffer.length;
    // A full batch is written on the event loop's next turn, not inside the router call that
    // filled it; only when the loop gets no turn for many batches is it written right here.
    if (pending >= this.#batchSize * STARVED_BATCHES) this.#tryFlush();
    else if (pending >= this.#batchSize) {
      this.#soon ??= setImmediate(() => this.#tryFlush()).unref();
    } else {
      this.#later ??= setTimeout(() => this.#tryFlush(), this.#flushAfterMs).unref();
    }
  }

  get pendingRows(): number {
    return this.#buffer.length;
  }

  /** Writes buffered rows now; throws if they cannot be written. */
  flush(): void {
    if (this.#soon !== undefined) {
      clearImmediate(this.#soon);
      this.#soon = undefined;
    }
    if (this.#later !== undefined) {
      clearTimeout(this.#later);
      this.#later = undefined;
    }
    if (this.#buffer.length === 0) return;
    this.#insert(this.#buffer);
    this.#buffer = [];
  }

  rows(range: TimeRange = {}): LedgerRow[] {
    this.flush();
    const stored = this.#db
      .prepare(`SELECT * FROM attempts WHERE time >= ? AND time < ? ORDER BY id`)
      .all(range.since ?? "", range.until ?? "\uffff") as StoredRow[];
    return stored.map(row => this.#fromStored(row));
  }

  /** USD spent since an ISO time. */
  costSince(time: string): number {
    this.flush();
    const row = this.#db.prepare("SELECT coalesce(sum(cost_usd), 0) AS usd FROM attempts WHERE time >= ?").get(time) as { usd: number };
    return row.usd;
  }

  close(): void {
    try {
      this.flush();
    } finally {
      this.#db.close();
    }
  }

  #tryFlush(): void {
    try {
      this.flush();
    } catch (error) {
      this.#onWriteError?.(error);
    }
  }

  #fromStored(row: StoredRow): LedgerRow {
    const parsed = LedgerRow.safeParse({
      request: row.request,
      time: row.time,
      taskType: row.task_type,
      complexity: row.complexity,
      slot: row.slot,
      provider: row.provider,
      model: row.model,
      inputTokens: row.input_tokens,
      outputTokens: row.output_tokens,
      costUsd: row.cost_usd,
      latencyMs: row.latency_ms,
      firstTokenMs: row.first_token_ms ?? undefined,
      outcome: row.outcome,
      errorKind: row.error_kind ?? undefined,
      errorMessage: row.error_message ?? undefined,
    });
    if (!parsed.success) throw new StoreError("corrupt", this.file, `a usage ledger row is not valid: ${z.prettifyError(parsed.error)}`);
    return parsed.data;
  }
}
