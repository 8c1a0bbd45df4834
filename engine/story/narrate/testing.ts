import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import {
  effectiveWorld, initialState, parse, step,
  type GameEvent, type GameState, type WorldPack,
} from "../../game/index.js";
import { builtInWalkthroughPath, loadBuiltInWorld } from "../../worlds/index.js";
import {
  defaultSettings, Router, ScriptedProvider,
  type RouterResult, type RouterSettings, type Sleep, type Slot, type TaskRequest,
} from "../../llm/index.js";
import type { TaskRunner } from "../task-runner.js";

/**
 * Shared by the narrate and memory tests: turns of the built-in world played by the engine, a
 * runner that records tasks, and a Router over scripted providers, one per slot.
 */

export interface PlayedTurn {
  readonly world: WorldPack;
  readonly before: GameState;
  readonly state: GameState;
  readonly events: GameEvent[];
  readonly input: string;
}

/** The walkthrough's commands, comments and blank lines left out. */
export function walkthrough(): string[] {
  return readFileSync(builtInWalkthroughPath(), "utf8").split("\n").map((l) => l.trim()).filter((l) => l !== "" && !l.startsWith("#"));
}

/** Plays `commands` from a new game (seed 7, the walkthrough's) and returns every turn. */
export function play(commands: readonly string[], seed = 7): PlayedTurn[] {
  const pack = loadBuiltInWorld();
  let state = initialState(pack, seed);
  const turns: PlayedTurn[] = [];
  for (const input of commands) {
    const world = effectiveWorld(pack, state);
    const parsed = parse(world, state, input);
    if (parsed.type !== "action") throw new Error(`"${input}" does not parse (${parsed.type})`);
    const before = state;
    const result = step(world, { ...state, parser: parsed.memory }, parsed.action);
    state = result.state;
    turns.push({ world, before, state, events: result.events, input });
  }
  return turns;
}

/** The walkthrough played up to and including its `index`-th command matching `command`. */
export function walkthroughTurn(command: string, index = 0): PlayedTurn {
  const lines = walkthrough();
  let seen = -1;
  const at = lines.findIndex((line) => line === command && ++seen === index);
  if (at < 0) throw new Error(`the walkthrough has no command "${command}" #${index}`);
  return play(lines.slice(0, at + 1)).at(-1)!;
}

export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}

/** A runner that records each task and answers with `answer` (or offline). */
export class RecordingRunner implements TaskRunner {
  readonly tasks: TaskRequest[] = [];
  readonly #answer: (task: TaskRequest, index: number) => string | undefined;

  constructor(answer: (task: TaskRequest, index: number) => string | undefined = () => undefined) {
    this.#answer = answer;
  }

  async run(task: TaskRequest): Promise<RouterResult> {
    const index = this.tasks.push(task) - 1;
    const complexity = task.complexity ?? "routine";
    const text = this.#answer(task, index);
    if (text === undefined) return { ok: false, offline: true, aborted: false, slot: "utility", complexity, errors: [] };
    task.onToken?.(text);
    return {
      ok: true, text, slot: "utility", complexity, provider: "local", model: "recording",
      usage: { inputTokens: 0, outputTokens: 0 }, costUsd: 0, latencyMs: 0, totalMs: 0, cached: false, attempts: 1, errors: [],
    };
  }
}

/** A Router whose three slots are three scripted providers, with no waiting between retries. */
export function scriptedRouter(options: { contextSize?: number } = {}): { router: Router; slots: Record<Slot, ScriptedProvider> } {
  const slots: Record<Slot, ScriptedProvider> = {
    main: new ScriptedProvider({ id: "local:main", ...(options.contextSize === undefined ? {} : { contextSize: options.contextSize }) }),
    cot: new ScriptedProvider({ id: "local:cot" }),
    utility: new ScriptedProvider({ id: "local:utility", ...(options.contextSize === undefined ? {} : { contextSize: options.contextSize }) }),
  };
  const settings: RouterSettings = defaultSettings(["scripted.gguf"]);
  const router = new Router({ settings: () => settings, createProvider: (_spec, slot) => slots[slot], sleep: instantBackoff, random: () => 0 });
  return { router, slots };
}

/** Backoff between retries passes at once; a call's deadline (minutes long) never comes, so only an abort ends a hung call. */
const instantBackoff: Sleep = (ms, signal) =>
  new Promise<void>((resolve, reject) => {
    if (ms < 60_000) {
      resolve();
      return;
    }
    if (signal?.aborted) reject(signal.reason);
    else signal?.addEventListener("abort", () => reject(signal.reason), { once: true });
  });

/** A task as a golden file shows it: what routes it, then each message in full. */
export function renderTask(task: TaskRequest): string {
  const head = `task: ${task.type} | complexity: ${task.complexity ?? "detected"} | maxTokens: ${task.maxTokens ?? "the route's"}`;
  return [head, ...task.messages.map((m) => `=== ${m.role} ===\n${m.content}`)].join("\n\n") + "\n";
}

/**
 * The golden file's text, after writing `actual` to it when UPDATE_GOLDEN=1. A missing file is
 * an error that says how to create it.
 */
export function golden(file: URL, actual: string): string {
  if (process.env.UPDATE_GOLDEN === "1") {
    mkdirSync(new URL(".", file), { recursive: true });
    writeFileSync(file, actual);
  }
  if (!existsSync(file)) throw new Error(`${file.pathname} is missing: run the test with UPDATE_GOLDEN=1 to write it`);
  return readFileSync(file, "utf8");
}
