import { z } from "zod";

/**
 * The contract between the engine and any UI: requests a client may make, what each returns,
 * and the events the host pushes. Every message crossing IPC or the WebSocket is parsed with
 * these schemas on the receiving side; nothing else crosses. The renderer imports only this
 * folder's types (and zod), never engine internals.
 */

const Name = z.string().min(1).max(64);

/** The three model slots. */
export const Slot = z.enum(["main", "cot", "utility"]);
export type Slot = z.infer<typeof Slot>;

// ---------------------------------------------------------------------------------------------
// Routing: which slot does each task, how warm and how long. The engine's own lists live in
// engine/llm, which the renderer may not import; protocol.test.ts keeps these equal to them.

export const TaskType = z.enum([
  "narration",
  "location-description",
  "dialogue",
  "rule-judging",
  "intent-parsing",
  "content-generation",
  "summarization",
]);
export type TaskType = z.infer<typeof TaskType>;

export const Complexity = z.enum(["routine", "moderate", "critical"]);
export type Complexity = z.infer<typeof Complexity>;

export const Route = z.object({
  slot: Slot,
  temperature: z.number().min(0).max(2),
  maxTokens: z.number().int().min(1),
});
export type Route = z.infer<typeof Route>;

/** Every (task, complexity) cell: a record keyed by an enum needs all of its keys and refuses others. */
export const RoutesTable = z.record(TaskType, z.record(Complexity, Route));
export type RoutesTable = z.infer<typeof RoutesTable>;

// ---------------------------------------------------------------------------------------------
// What the UI shows

export const NarrationPart = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("narration"), text: z.string() }),
  z.object({ kind: z.literal("dialogue"), npc: z.string(), name: z.string(), text: z.string() }),
]);
export type NarrationPart = z.infer<typeof NarrationPart>;

/** One entry of the story log: what the player typed and what the game answered. */
export const LogEntry = z.object({
  turn: z.number().int().min(0),
  input: z.string(),
  parts: z.array(NarrationPart),
});
export type LogEntry = z.infer<typeof LogEntry>;

/** Everything the side panel shows, computed by the host from the state (the UI derives nothing). */
export const GameView = z.object({
  save: z.string(),
  worldTitle: z.string(),
  turn: z.number().int().min(0),
  clock: z.string(),
  hp: z.number().int(),
  maxHp: z.number().int(),
  alive: z.boolean(),
  location: z.object({ id: z.string(), name: z.string(), description: z.string() }),
  exits: z.array(z.object({ direction: z.string(), to: z.string(), door: z.enum(["open", "closed", "locked"]).optional() })),
  people: z.array(z.object({ id: z.string(), name: z.string(), mood: z.string() })),
  inventory: z.array(z.object({ id: z.string(), name: z.string(), worn: z.boolean() })),
  quests: z.array(z.object({ id: z.string(), name: z.string(), stage: z.string(), completed: z.boolean() })),
  offline: z.boolean(),
});
export type GameView = z.infer<typeof GameView>;

export const SaveInfo = z.object({
  name: z.string(),
  worldId: z.string().optional(),
  turn: z.number().int().optional(),
  updatedAt: z.string().optional(),
  /** Why this file cannot be opened; it is listed so the player sees it, not silently hidden. */
  problem: z.string().optional(),
});
export type SaveInfo = z.infer<typeof SaveInfo>;

export const ModelFile = z.object({
  name: z.string(),
  size: z.number(),
  architecture: z.string().optional(),
  parameters: z.string().optional(),
  quantization: z.string().optional(),
  contextLength: z.number().optional(),
  chatTemplate: z.boolean().optional(),
  problem: z.string().optional(),
});
export type ModelFile = z.infer<typeof ModelFile>;

/** Whether each provider's key is available. The key itself never leaves the host. */
export const KeyStatus = z.record(z.string(), z.enum(["set", "not set"]));
export type KeyStatus = z.infer<typeof KeyStatus>;

export const SlotTestResult = z.object({
  slot: Slot,
  ok: z.boolean(),
  model: z.string().optional(),
  latencyMs: z.number().optional(),
  sample: z.string().optional(),
  error: z.string().optional(),
});
export type SlotTestResult = z.infer<typeof SlotTestResult>;

export const UsageRow = z.object({
  slot: z.string(),
  model: z.string(),
  calls: z.number(),
  tokensIn: z.number(),
  tokensOut: z.number(),
  costUsd: z.number(),
  p50Ms: z.number().nullable(),
  p95Ms: z.number().nullable(),
});
export const UsageView = z.object({
  rows: z.array(UsageRow),
  totalCostUsd: z.number(),
  /** The same calls, had every one gone to the main slot's primary model. */
  allMainCostUsd: z.number().nullable(),
  /** Turns whose words the parser could not read alone and a model had to understand. */
  turnsNeedingModel: z.number(),
  /** Cost and calls per hour, oldest first, for the chart. */
  series: z.array(z.object({ hour: z.string(), calls: z.number(), costUsd: z.number() })),
});
export type UsageView = z.infer<typeof UsageView>;

export const Progress = z.object({
  /** "load" of a model file, or "download" of a catalog model. */
  kind: z.enum(["load", "download"]),
  file: z.string(),
  /** 0..1 */
  progress: z.number().min(0).max(1),
});
export type Progress = z.infer<typeof Progress>;

/** How a catalog id is spelt (models/catalog.json's rule). */
const CatalogId = z.string().min(1).max(100).regex(/^[a-z0-9][a-z0-9.-]*$/);

/** A recommended model from the catalog, and whether it is in the models folder. */
export const CatalogModel = z.object({
  id: CatalogId,
  /** The slot it is recommended for. */
  slot: Slot,
  name: z.string(),
  /** Its file name in the models folder. */
  file: z.string(),
  sizeBytes: z.number().int().min(0),
  licence: z.string(),
  licenceUrl: z.string().optional(),
  notes: z.string(),
  /** Whether the download is checked against a published sha256. */
  verified: z.boolean(),
  /**
   * absent: can be downloaded; present: in the folder; different: a file of that name but
   * another size is in the folder, and a download would not replace it; downloading: under way.
   */
  status: z.enum(["absent", "present", "different", "downloading"]),
  /** While downloading: 0..1. */
  progress: z.number().min(0).max(1).optional(),
});
export type CatalogModel = z.infer<typeof CatalogModel>;

/** An error as the UI shows it: what happened and what to do, never dressed up as narration. */
export const ApiError = z.object({ kind: z.string(), message: z.string() });
export type ApiError = z.infer<typeof ApiError>;

// ---------------------------------------------------------------------------------------------
// Requests: method → params and result

export const METHODS = {
  "game.new": { params: z.object({ save: Name, seed: z.number().int().optional() }), result: z.object({ view: GameView, log: z.array(LogEntry) }) },
  "game.open": { params: z.object({ save: Name }), result: z.object({ view: GameView, log: z.array(LogEntry) }) },
  "game.submit": { params: z.object({ input: z.string().max(2000) }), result: z.discriminatedUnion("type", [
    z.object({ type: z.literal("turn"), entry: LogEntry, view: GameView }),
    z.object({ type: z.literal("meta"), ok: z.boolean(), message: z.string(), view: GameView }),
    z.object({ type: z.literal("cancelled") }),
  ]) },
  "game.cancel": { params: z.object({}), result: z.object({ cancelled: z.boolean() }) },
  "saves.list": { params: z.object({}), result: z.array(SaveInfo) },
  "saves.saveAs": { params: z.object({ name: Name }), result: z.object({ view: GameView }) },
  "saves.delete": { params: z.object({ name: Name }), result: z.object({ deleted: z.boolean() }) },
  /** The turns of a save, for choosing where to rewind to. */
  "saves.turns": { params: z.object({ save: Name }), result: z.array(z.object({ turn: z.number().int(), input: z.string() })) },
  /** Opens the game as it was after `turn` of `save`, as a new save `newName`; `save` is untouched. */
  "saves.rewind": { params: z.object({ save: Name, turn: z.number().int().min(0), newName: Name }), result: z.object({ view: GameView, log: z.array(LogEntry) }) },
  /**
   * Settings as a JSON document (AppSettings), with which keys are available. Settings hold only
   * route overrides, so the engine's routing defaults come too: an editor lays the overrides over
   * them, as the router does, and drops an override equal to its default.
   */
  "settings.get": { params: z.object({}), result: z.object({ settings: z.unknown(), routeDefaults: RoutesTable, keys: KeyStatus, problem: z.string().optional() }) },
  /** Validated by the host; applies to the next model call. */
  "settings.update": { params: z.object({ settings: z.unknown() }), result: z.object({ settings: z.unknown() }) },
  /** Stores an API key in the OS keychain (desktop only); the web host refuses. */
  "settings.setKey": { params: z.object({ env: z.enum(["OPENROUTER_API_KEY", "GEMINI_API_KEY", "OPENAI_COMPATIBLE_API_KEY"]), key: z.string().min(1).max(500) }), result: z.object({ keys: KeyStatus }) },
  "models.list": { params: z.object({}), result: z.object({ dir: z.string(), files: z.array(ModelFile) }) },
  /** The catalog of recommended models, each with whether it is in the models folder. */
  "models.catalog": { params: z.object({}), result: z.object({ dir: z.string(), models: z.array(CatalogModel) }) },
  /**
   * Downloads a catalog model into the models folder; answers when it is there (or was already),
   * or `cancelled`. Progress comes as `progress` events of kind "download", the end as
   * `download-ended`, and `models-changed` once the file is in place. Only a complete file whose
   * size and sha256 match the catalog is ever put in the folder.
   */
  "models.download": { params: z.object({ id: CatalogId }), result: z.discriminatedUnion("status", [
    z.object({ status: z.literal("downloaded"), file: z.string(), verified: z.boolean() }),
    z.object({ status: z.literal("already-present"), file: z.string(), verified: z.boolean() }),
    z.object({ status: z.literal("cancelled") }),
  ]) },
  /** Stops a download under way; its models.download answers `cancelled`. */
  "models.cancelDownload": { params: z.object({ id: CatalogId }), result: z.object({ cancelled: z.boolean() }) },
  "slots.test": { params: z.object({ slot: Slot }), result: SlotTestResult },
  "usage.get": { params: z.object({}), result: UsageView },
} as const;

export type Method = keyof typeof METHODS;
export type Params<M extends Method> = z.infer<(typeof METHODS)[M]["params"]>;
export type Result<M extends Method> = z.infer<(typeof METHODS)[M]["result"]>;

export const Request = z.object({
  id: z.number().int().min(0),
  method: z.enum(Object.keys(METHODS) as [Method, ...Method[]]),
  params: z.unknown(),
});
export type Request = z.infer<typeof Request>;

export const Response = z.union([
  z.object({ id: z.number().int(), ok: z.literal(true), result: z.unknown() }),
  z.object({ id: z.number().int(), ok: z.literal(false), error: ApiError }),
]);
export type Response = z.infer<typeof Response>;

// ---------------------------------------------------------------------------------------------
// Events the host pushes

export const HostEvent = z.discriminatedUnion("type", [
  z.object({ type: z.literal("turn-started"), turn: z.number().int(), input: z.string() }),
  z.object({ type: z.literal("narration-delta"), turn: z.number().int(), text: z.string() }),
  z.object({ type: z.literal("narration-reset"), turn: z.number().int() }),
  z.object({ type: z.literal("turn-completed"), entry: LogEntry, view: GameView }),
  z.object({ type: z.literal("turn-cancelled"), turn: z.number().int() }),
  z.object({ type: z.literal("models-changed") }),
  z.object({ type: z.literal("progress"), progress: Progress }),
  /** A download is over, however it went: its bar goes, in every client (the error goes to the one that asked). */
  z.object({ type: z.literal("download-ended"), id: z.string(), file: z.string(), outcome: z.enum(["downloaded", "already-present", "failed", "cancelled"]) }),
  z.object({ type: z.literal("error"), error: ApiError }),
]);
export type HostEvent = z.infer<typeof HostEvent>;

/** The one interface the renderer talks to; each host provides an implementation. */
export interface GameClient {
  call<M extends Method>(method: M, params: Params<M>): Promise<Result<M>>;
  /** Returns a function that stops listening. */
  onEvent(listener: (event: HostEvent) => void): () => void;
}

/** A request the host refused or could not carry out, with the error to show. */
export class ApiCallError extends Error {
  override readonly name = "ApiCallError";
  constructor(readonly error: ApiError) {
    super(error.message);
  }
}
