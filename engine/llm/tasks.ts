import { z } from "zod";
import type { ChatMessage, JsonSchema } from "./provider.js";
import type { LlmErrorKind } from "./errors.js";
import type { Slot } from "./model-spec.js";

/**
 * What the rest of the engine asks of a model: a task with a type and a complexity. The router
 * turns it into a completion request for one slot's chain of models (see routes.ts).
 */

export const TASK_TYPES = [
  "narration",
  "location-description",
  "dialogue",
  "rule-judging",
  "intent-parsing",
  "content-generation",
  "summarization",
] as const;
export const TaskType = z.enum(TASK_TYPES);
export type TaskType = z.infer<typeof TaskType>;

/**
 * How much a task matters. For narration: an ordinary turn, a fight, a turning point (a boss, a
 * death). For content generation: a name, an NPC, a quest.
 */
export const COMPLEXITIES = ["routine", "moderate", "critical"] as const;
export const Complexity = z.enum(COMPLEXITIES);
export type Complexity = z.infer<typeof Complexity>;

/**
 * Told to a streaming caller when text it has already been given must be thrown away: the model
 * producing it failed mid-stream, and what follows (a retry, the next model, or nothing at all
 * when the router ends offline) starts from scratch.
 */
export interface StreamReset {
  /** The model whose partial output is void, as `provider:model`. */
  readonly model: string;
  readonly error: LlmErrorKind;
  /** How many characters of the void output had been passed to onToken. */
  readonly discardedChars: number;
}

interface TaskRequestBase {
  readonly type: TaskType;
  /** Left out, it is detected from the messages (complexity.ts). */
  readonly complexity?: Complexity;
  readonly messages: readonly ChatMessage[];
  /** Ask for JSON following this schema; the router parses it and puts it in `json`. */
  readonly jsonSchema?: JsonSchema;
  /** Overrides the route's token limit. */
  readonly maxTokens?: number;
  /** Overrides the route's temperature. */
  readonly temperature?: number;
  /** Cancels the task: the router stops at once, without falling back. */
  readonly signal?: AbortSignal;
  /** Bounds each model call (not the whole chain); defaults to the settings' timeoutMs. */
  readonly deadlineMs?: number;
  /** Sends the task to this slot whatever the routes say: for trying out one slot. */
  readonly slot?: Slot;
}

/**
 * A streaming caller must also handle resets, or it could show the player the half answer of a
 * model that then failed; the type makes the two callbacks come as a pair.
 */
type StreamCallbacks =
  | { readonly onToken?: undefined; readonly onReset?: undefined }
  | { readonly onToken: (delta: string) => void; readonly onReset: (reset: StreamReset) => void };

export type TaskRequest = TaskRequestBase & StreamCallbacks;
