import { createHash } from "node:crypto";
import type { Slot } from "./model-spec.js";
import type { ChatMessage, JsonSchema } from "./provider.js";

/**
 * The identity of a model request: equal requests get equal fingerprints whatever order their
 * object keys were written in. The response cache keys on it, and record/replay uses it to match
 * a recorded response to the request being replayed.
 */

export interface FingerprintInput {
  readonly slot: Slot;
  /** `provider:model`, as in the usage ledger. */
  readonly model: string;
  readonly messages: readonly ChatMessage[];
  readonly temperature: number;
  readonly maxTokens: number;
  readonly jsonSchema?: JsonSchema;
}

/**
 * JSON with object keys sorted at every level and undefined properties left out. Values JSON
 * cannot represent faithfully (NaN, Infinity, bigint, functions, a hole in an array) are refused:
 * silently turning them into null would let two different requests share a fingerprint.
 */
export function canonicalJson(value: unknown): string {
  // A sorted copy handed to JSON.stringify: half the time of building the text piece by piece,
  // and every model request is fingerprinted.
  return JSON.stringify(sortedCopy(value));
}

function sortedCopy(value: unknown): unknown {
  switch (typeof value) {
    case "string":
    case "boolean":
      return value;
    case "number":
      if (!Number.isFinite(value)) throw new TypeError(`canonicalJson: ${value} has no JSON form`);
      return value;
    case "object": {
      if (value === null) return null;
      if (Array.isArray(value)) return value.map(sortedCopy);
      const record = value as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      for (const key of Object.keys(record).sort()) {
        const item = record[key];
        if (item === undefined) continue;
        // As JSON.parse does: "__proto__" is a key like any other, not the prototype.
        if (key === "__proto__") Object.defineProperty(out, key, { value: sortedCopy(item), enumerable: true, writable: true, configurable: true });
        else out[key] = sortedCopy(item);
      }
      return out;
    }
    default:
      throw new TypeError(`canonicalJson: a ${typeof value} has no JSON form`);
  }
}

/** sha256 (hex) of the request's canonical JSON. Only the fields that shape the answer count. */
export function fingerprint(input: FingerprintInput): string {
  const identity = {
    slot: input.slot,
    model: input.model,
    messages: input.messages.map(m => ({ role: m.role, content: m.content })),
    temperature: input.temperature,
    maxTokens: input.maxTokens,
    jsonSchema: input.jsonSchema,
  };
  return createHash("sha256").update(canonicalJson(identity)).digest("hex");
}

export interface TaskIdentity {
  readonly type: string;
  readonly complexity?: string;
  readonly slot?: Slot;
  readonly messages: readonly ChatMessage[];
  readonly temperature?: number;
  readonly maxTokens?: number;
  readonly jsonSchema?: JsonSchema;
}

/**
 * sha256 (hex) of a task as the story layer asked for it, before routing: which model answered
 * is not part of it, so a save recorded with one model replays under settings naming another.
 *
 * The text hashed is the canonical JSON of the task's fields, written out key by key in
 * canonicalJson's order rather than through a sorted copy: every recorded or replayed call is
 * fingerprinted, and its prompt is most of it. fingerprint.test.ts holds the two to the same text.
 */
export function taskFingerprint(task: TaskIdentity): string {
  let json = "{";
  if (task.complexity !== undefined) json += `"complexity":${JSON.stringify(task.complexity)},`;
  if (task.jsonSchema !== undefined) json += `"jsonSchema":${canonicalJson(task.jsonSchema)},`;
  if (task.maxTokens !== undefined) json += `"maxTokens":${jsonNumber(task.maxTokens)},`;
  json += '"messages":[';
  for (let i = 0; i < task.messages.length; i++) {
    const m = task.messages[i]!;
    json += `${i === 0 ? "" : ","}{"content":${JSON.stringify(m.content)},"role":${JSON.stringify(m.role)}}`;
  }
  json += "],";
  if (task.slot !== undefined) json += `"slot":${JSON.stringify(task.slot)},`;
  if (task.temperature !== undefined) json += `"temperature":${jsonNumber(task.temperature)},`;
  json += `"type":${JSON.stringify(task.type)}}`;
  return createHash("sha256").update(json).digest("hex");
}

function jsonNumber(value: number): string {
  if (!Number.isFinite(value)) throw new TypeError(`canonicalJson: ${value} has no JSON form`);
  return JSON.stringify(value);
}
