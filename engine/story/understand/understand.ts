import {
  doorsHere, parse,
  type Action, type GameState, type MetaCommand, type ParserMemory, type WorldPack,
} from "../../game/index.js";
import type { ChatMessage, TaskRequest } from "../../llm/index.js";
import { PromptTemplate } from "../prompt-template.js";
import { sceneFacts, sceneText, type SceneFacts } from "../scene.js";
import type { TaskRunner } from "../task-runner.js";
import { INTENT_SCHEMA, IntentAnswer, toAction } from "./intent.js";
import { untrusted, withoutMarkers } from "../quote.js";

/**
 * Understand: what the player typed, as an Action for `step`. The offline parser answers first;
 * only input it cannot make sense of goes to a model, which proposes a verb and ids that the
 * engine then checks against what the player can perceive. Nothing here changes the state.
 */

export type UnderstandSource = "parser" | "model";

export type Understanding =
  | {
      readonly type: "action";
      readonly action: Action;
      readonly memory: ParserMemory;
      readonly source: UnderstandSource;
      readonly modelCalls: number;
    }
  | {
      readonly type: "meta";
      readonly command: MetaCommand;
      readonly argument?: string;
      readonly memory: ParserMemory;
      readonly source: "parser";
      readonly modelCalls: 0;
    }
  | {
      /** "empty" carries an empty message: the parser has none, and the host decides what a blank line shows. */
      readonly type: "clarify" | "unknown" | "empty";
      readonly message: string;
      readonly memory: ParserMemory;
      readonly source: UnderstandSource;
      readonly modelCalls: number;
    };

export interface UnderstandContext {
  /** The effective world (`effectiveWorld(pack, state)`), so generated things can be named. */
  readonly world: WorldPack;
  readonly state: GameState;
  /** Without one the game is offline and the parser's answer stands. */
  readonly runner?: TaskRunner;
  readonly signal?: AbortSignal;
}

const SYSTEM = PromptTemplate.load(import.meta.url, "system.txt");
const PROMPT = PromptTemplate.load(import.meta.url, "prompt.txt");

/** Commands are short; a longer input is cut so the prompt fits a small local context. */
const INPUT_CHARS = 500;
const BRIEF_CHARS = 160;

/**
 * Mapping words to ids needs names, not atmosphere: the location's description is cut to its
 * first sentence, as this task runs on the cheap slot nearly every turn a model is needed.
 */
function briefScene(world: WorldPack, state: GameState): SceneFacts {
  const facts = sceneFacts(world, state);
  const description = /^[\s\S]*?[.!?](?=\s|$)/.exec(facts.location.description)?.[0] ?? facts.location.description;
  return { ...facts, location: { ...facts.location, description: description.slice(0, BRIEF_CHARS) } };
}

/** The messages of the intent-parsing task; exported for the golden-file test. */
export function intentMessages(world: WorldPack, state: GameState, input: string): ChatMessage[] {
  const here = state.player.location;
  const doors = doorsHere(world, state).map((id) => {
    const name = world.doors.find((d) => d.id === id)?.name ?? id;
    const door = state.doors[id];
    const how = !door || !door.closed ? "open" : door.locked ? "locked" : "closed";
    return `${name} [${id}], ${how}`;
  });
  const features = Object.keys(Object.hasOwn(world.locations, here) ? world.locations[here]?.features ?? {} : {});
  return [
    { role: "system", content: SYSTEM.render({}) },
    {
      role: "user",
      content: PROMPT.render({
        scene: withoutMarkers(sceneText(briefScene(world, state))),
        doors: withoutMarkers(doors.length > 0 ? doors.join("; ") : "none"),
        features: withoutMarkers(features.length > 0 ? features.join(", ") : "none"),
        input: untrusted(input, INPUT_CHARS),
      }),
    },
  ];
}

export async function understand(input: string, ctx: UnderstandContext): Promise<Understanding> {
  const { world, state, runner } = ctx;
  const parsed = parse(world, state, input);
  switch (parsed.type) {
    case "action":
      return { type: "action", action: parsed.action, memory: parsed.memory, source: "parser", modelCalls: 0 };
    case "meta":
      return parsed.argument === undefined
        ? { type: "meta", command: parsed.command, memory: parsed.memory, source: "parser", modelCalls: 0 }
        : { type: "meta", command: parsed.command, argument: parsed.argument, memory: parsed.memory, source: "parser", modelCalls: 0 };
    case "clarify":
      return { type: "clarify", message: parsed.question, memory: parsed.memory, source: "parser", modelCalls: 0 };
    case "empty":
      return { type: "empty", message: "", memory: parsed.memory, source: "parser", modelCalls: 0 };
    case "unknown":
      break;
  }
  if (runner === undefined) return { type: "unknown", message: parsed.message, memory: parsed.memory, source: "parser", modelCalls: 0 };

  const task: TaskRequest = {
    type: "intent-parsing",
    complexity: "routine",
    messages: intentMessages(world, state, input),
    jsonSchema: INTENT_SCHEMA,
    ...(ctx.signal === undefined ? {} : { signal: ctx.signal }),
  };
  // A runner that throws (a replay that diverges from its record) is not a model failure: it
  // must reach the caller, so it is not caught here.
  const result = await runner.run(task);
  const asParser: Understanding = { type: "unknown", message: parsed.message, memory: parsed.memory, source: "parser", modelCalls: 1 };
  if (!result.ok) return asParser;
  const answer = IntentAnswer.safeParse(result.json);
  if (!answer.success) return asParser;
  const { verb } = answer.data;
  if (verb === "none") return asParser;

  const mapped = toAction(world, state, { ...answer.data, verb }, input);
  if (!mapped.ok) return { type: "unknown", message: mapped.message, memory: parsed.memory, source: "model", modelCalls: 1 };
  // `lastCommand` stays the parser's: "again" re-parses it, and this input is one the parser
  // cannot read. "it" follows what the model named, as it would after a parsed command.
  const memory = mapped.it === undefined ? parsed.memory : { ...parsed.memory, it: mapped.it };
  return { type: "action", action: mapped.action, memory, source: "model", modelCalls: 1 };
}
