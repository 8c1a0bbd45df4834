import { Complexity, TaskType, type CatalogModel, type GameClient, type GameView, type HostEvent, type LogEntry, type Method, type Params, type Result, type Route, type RoutesTable } from "../../../engine/api/index.js";

/** A GameClient for tests: each method answers from a handler, and events are pushed by hand. */
export class FakeClient implements GameClient {
  readonly calls: { method: Method; params: unknown }[] = [];
  readonly #listeners = new Set<(event: HostEvent) => void>();
  readonly #handlers: { [M in Method]?: (params: Params<M>) => Promise<Result<M>> | Result<M> } = {};

  on<M extends Method>(method: M, handler: (params: Params<M>) => Promise<Result<M>> | Result<M>): this {
    (this.#handlers as Record<Method, unknown>)[method] = handler;
    return this;
  }

  async call<M extends Method>(method: M, params: Params<M>): Promise<Result<M>> {
    this.calls.push({ method, params });
    const handler = this.#handlers[method] as ((params: Params<M>) => Promise<Result<M>> | Result<M>) | undefined;
    if (handler === undefined) throw new Error(`FakeClient: no handler for ${method}`);
    return handler(params);
  }

  onEvent(listener: (event: HostEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  emit(event: HostEvent): void {
    for (const listener of this.#listeners) listener(event);
  }
}

export function view(overrides: Partial<GameView> = {}): GameView {
  return {
    save: "alpha",
    worldTitle: "Greyhollow",
    turn: 0,
    clock: "Morning, day 1",
    hp: 10,
    maxHp: 10,
    alive: true,
    location: { id: "square", name: "Village square", description: "A quiet square." },
    exits: [{ direction: "north", to: "Old mill", door: "locked" }],
    people: [{ id: "mira", name: "Mira", mood: "wary" }],
    inventory: [
      { id: "knife", name: "a knife", worn: true },
      { id: "bread", name: "bread", worn: false },
    ],
    quests: [{ id: "q1", name: "The missing miller", stage: "Ask around", completed: false }],
    offline: false,
    ...overrides,
  };
}

export function entry(turn: number, text: string, input = `input ${turn}`): LogEntry {
  return { turn, input, parts: [{ kind: "narration", text }] };
}

/**
 * A routes table for tests, made up rather than copied from the engine: the renderer must work
 * with whatever defaults the host sends. Narration moves up a slot with its complexity.
 */
export function routesTable(cell: (task: TaskType, complexity: Complexity) => Route = testRoute): RoutesTable {
  return Object.fromEntries(TaskType.options.map(task => [task, Object.fromEntries(Complexity.options.map(c => [c, cell(task, c)]))])) as RoutesTable;
}

function testRoute(task: TaskType, complexity: Complexity): Route {
  if (task === "narration") return { slot: complexity === "routine" ? "utility" : complexity === "moderate" ? "cot" : "main", temperature: 0.7, maxTokens: 1000 };
  return { slot: "utility", temperature: 0.2, maxTokens: 300 };
}

export function catalogModel(overrides: Partial<CatalogModel> = {}): CatalogModel {
  return {
    id: "tiny", slot: "utility", name: "Tiny Story Model", file: "tiny.gguf", sizeBytes: 1_185_376, licence: "MIT",
    licenceUrl: "https://opensource.org/license/mit", notes: "Writes children's stories.", verified: true, status: "absent",
    ...overrides,
  };
}
