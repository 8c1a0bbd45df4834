import { z } from "zod";
import { canonicalJson } from "../game/index.js";

/**
 * What a replay found different, in words a developer can act on: the fields of the state that
 * changed (path: recorded → replayed), or the model request the code builds now against the one
 * in the record, message by message and line by line.
 */

/** One field of the state that differs. Values are rendered short; "(absent)" when missing. */
export interface StateChange {
  readonly path: string;
  readonly recorded: string;
  readonly replayed: string;
}

/** Why a model request diverged from the record. */
export type RequestProblem =
  /** The code asked a model for something, and the record has no further call this turn. */
  | "unrecorded"
  /** The code asked for something other than the next recorded call. */
  | "different"
  /** The turn ended with recorded calls nobody asked for. */
  | "unasked"
  /** The recorded call cannot be read back as a request and a response. */
  | "unreadable";

export type Divergence =
  | { readonly kind: "initial-state"; readonly turn: 0; readonly changes: readonly StateChange[]; readonly more: number }
  | {
      readonly kind: "state";
      readonly turn: number;
      readonly input: string;
      readonly recordedHash: string;
      readonly replayedHash: string;
      readonly changes: readonly StateChange[];
      /** Changes left out of `changes` to keep the report readable. */
      readonly more: number;
    }
  | {
      readonly kind: "request";
      readonly turn: number;
      readonly input: string;
      readonly problem: RequestProblem;
      /** Which call of the turn, counting from 0. */
      readonly seq: number;
      /** The task type asked for (or recorded, when nothing was asked). */
      readonly task: string;
      readonly detail: readonly string[];
    }
  /** The recorded input is no longer a turn: the parser now reads it as a command such as "save". */
  | { readonly kind: "not-a-turn"; readonly turn: number; readonly input: string; readonly message: string }
  /** The turn failed outright while replaying (the code threw). */
  | { readonly kind: "error"; readonly turn: number; readonly input: string; readonly message: string };

/** A request as the recorder stores it (see recordedRequest), read back leniently enough to diff. */
export const RecordedRequest = z.object({
  type: z.string(),
  complexity: z.string().optional(),
  slot: z.string().optional(),
  messages: z.array(z.object({ role: z.string(), content: z.string() })),
  temperature: z.number().optional(),
  maxTokens: z.number().optional(),
  jsonSchema: z.json().optional(),
});
/** What diffRequests compares: a recorded request, or one built by recordedRequest now. */
export interface RequestView {
  readonly type: string;
  readonly complexity?: string;
  readonly slot?: string;
  readonly messages: readonly { readonly role: string; readonly content: string }[];
  readonly temperature?: number;
  readonly maxTokens?: number;
  readonly jsonSchema?: unknown;
}

const MAX_STATE_CHANGES = 40;
const MAX_VALUE_CHARS = 120;
const MAX_DIFF_LINES = 80;
/** Unchanged lines shown around each changed run, as in a unified diff. */
const CONTEXT_LINES = 1;

/** The fields that differ between two states (or any JSON values), at most `limit` of them. */
export function diffStates(recorded: unknown, replayed: unknown, limit = MAX_STATE_CHANGES): { changes: StateChange[]; more: number } {
  const changes: StateChange[] = [];
  let total = 0;
  const walk = (a: unknown, b: unknown, path: string): void => {
    if (isRecord(a) && isRecord(b)) {
      for (const key of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
        walk(a[key], b[key], path + keyPath(key));
      }
      return;
    }
    if (Array.isArray(a) && Array.isArray(b)) {
      for (let i = 0; i < Math.max(a.length, b.length); i++) walk(a[i], b[i], `${path}[${i}]`);
      return;
    }
    if (same(a, b)) return;
    total++;
    if (changes.length < limit) changes.push({ path: path === "" ? "(the state)" : path.replace(/^\./, ""), recorded: render(a), replayed: render(b) });
  };
  walk(recorded, replayed, "");
  return { changes, more: total - changes.length };
}

/** Field by field, then each message line by line: the recorded request against the one built now. */
export function diffRequests(recorded: RequestView, built: RequestView): string[] {
  const out: string[] = [];
  for (const field of ["type", "complexity", "slot", "temperature", "maxTokens", "jsonSchema"] as const) {
    if (!same(recorded[field], built[field])) out.push(`${field}: ${render(recorded[field])} → ${render(built[field])}`);
  }
  const count = Math.max(recorded.messages.length, built.messages.length);
  if (recorded.messages.length !== built.messages.length) {
    out.push(`messages: ${recorded.messages.length} recorded, ${built.messages.length} now`);
  }
  for (let i = 0; i < count; i++) {
    const a = recorded.messages[i];
    const b = built.messages[i];
    if (a !== undefined && b !== undefined && a.role === b.role && a.content === b.content) continue;
    const role = a?.role === b?.role ? a?.role : `${a?.role ?? "(none)"} → ${b?.role ?? "(none)"}`;
    out.push(`message ${i} (${role}):`);
    const lines = a === undefined ? b!.content.split("\n").map((l) => `+ ${l}`)
      : b === undefined ? a.content.split("\n").map((l) => `- ${l}`)
      : lineDiff(a.content, b.content);
    out.push(...lines.map((line) => `  ${line}`));
  }
  if (out.length === 0) out.push("the requests are equal, but their fingerprints differ: the fingerprint function changed");
  return out.length > MAX_DIFF_LINES ? [...out.slice(0, MAX_DIFF_LINES), `… ${out.length - MAX_DIFF_LINES} more lines`] : out;
}

/**
 * A unified-style diff of two texts: "- " recorded lines, "+ " lines built now, "  " context,
 * and "@@ line N" where each changed run starts. Prompts are a few hundred lines at most, so the
 * plain longest-common-subsequence table is small.
 */
export function lineDiff(recorded: string, built: string): string[] {
  const a = recorded.split("\n");
  const b = built.split("\n");
  // lcs[i][j]: the longest common subsequence of a[i..] and b[j..].
  const lcs = Array.from({ length: a.length + 1 }, () => new Uint32Array(b.length + 1));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
    }
  }
  type Op = { readonly mark: " " | "-" | "+"; readonly text: string; readonly line: number };
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) ops.push({ mark: " ", text: a[i++]!, line: j++ + 1 });
    else if (i < a.length && (j === b.length || lcs[i + 1]![j]! >= lcs[i]![j + 1]!)) ops.push({ mark: "-", text: a[i++]!, line: j + 1 });
    else ops.push({ mark: "+", text: b[j++]!, line: j });
  }
  const near = (k: number): boolean => {
    for (let d = -CONTEXT_LINES; d <= CONTEXT_LINES; d++) if (ops[k + d] !== undefined && ops[k + d]!.mark !== " ") return true;
    return false;
  };
  const out: string[] = [];
  let shown = -2;
  ops.forEach((op, k) => {
    if (!near(k)) return;
    if (shown !== k - 1) out.push(`@@ line ${op.line}`);
    out.push(`${op.mark} ${op.text}`);
    shown = k;
  });
  return out;
}

/** The divergence as a few lines of text, for a terminal or a test failure. */
export function formatDivergence(d: Divergence): string {
  const where = d.kind === "initial-state" ? "the start of the game" : `turn ${d.turn} (${JSON.stringify(d.input)})`;
  switch (d.kind) {
    case "initial-state":
    case "state": {
      const head = d.kind === "state"
        ? `Divergence at ${where}: the state differs from the recorded one (recorded ${d.recordedHash.slice(0, 12)}…, replayed ${d.replayedHash.slice(0, 12)}…).`
        : `Divergence at ${where}: the initial state differs from the recorded one.`;
      const lines = d.changes.map((c) => `  ${c.path}: ${c.recorded} → ${c.replayed}`);
      if (d.more > 0) lines.push(`  … and ${d.more} more`);
      return [head, "  (path: recorded → replayed)", ...lines].join("\n");
    }
    case "request": {
      const what = {
        unrecorded: `the code asks for a ${d.task} task (call ${d.seq}), and the record has no answer for it`,
        different: `call ${d.seq} (${d.task}) is not the request that was recorded`,
        unasked: `the record has calls from ${d.seq} on that the code did not ask for`,
        unreadable: `recorded call ${d.seq} cannot be read`,
      }[d.problem];
      const legend = d.problem === "different" ? ["  (- recorded, + built now)"] : [];
      return [`Divergence at ${where}: ${what}.`, ...legend, ...d.detail.map((line) => `  ${line}`)].join("\n");
    }
    case "not-a-turn":
      return `Divergence at ${where}: the input is no longer a turn of the game (${d.message}).`;
    case "error":
      return `Divergence at ${where}: the turn failed: ${d.message}`;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function keyPath(key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
}

function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined) return false;
  return canonicalJson(a) === canonicalJson(b);
}

function render(value: unknown): string {
  if (value === undefined) return "(absent)";
  const text = JSON.stringify(value);
  return text.length > MAX_VALUE_CHARS ? `${text.slice(0, MAX_VALUE_CHARS - 1)}…` : text;
}
