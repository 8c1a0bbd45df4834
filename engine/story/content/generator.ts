import { z } from "zod";
import {
  addContent, effectiveWorld, PROPOSAL_SCHEMAS, requestProblems,
  type ContentKind, type ContentProposal, type ContentRequest, type GameEvent, type GameState, type WorldPack,
} from "../../game/index.js";
import type { ChatMessage, Complexity, JsonSchema, RouterResult, TaskRequest } from "../../llm/index.js";
import { PromptTemplate } from "../prompt-template.js";
import { sceneFacts, sceneText } from "../scene.js";
import type { TaskRunner } from "../task-runner.js";
import { fallbackCount, fallbackProposal } from "./fallback.js";

/**
 * The ContentGenerator: asks a model to invent the content a `content-requested` event wants,
 * and puts it into the game through addContent, which alone decides whether it fits.
 *
 * One model answer; if it does not fit, one repair (the model is told exactly why); then
 * deterministic fallback content. A model that cannot be reached means fallback at once, and a
 * cancelled request makes no further call. Either way the game gets its content.
 */

/** A name is a small thing; a person needs a voice; a quest must hang together. */
export const CONTENT_COMPLEXITY: { readonly [K in ContentKind]: Complexity } = {
  item: "routine",
  npc: "moderate",
  location: "moderate",
  quest: "critical",
};

/** JSON schemas without the `$schema` marker: small, and accepted by every provider's structured output. */
function jsonSchemaOf(kind: ContentKind): JsonSchema {
  const { $schema: _marker, ...schema } = z.toJSONSchema(PROPOSAL_SCHEMAS[kind]);
  return schema;
}

export const CONTENT_JSON_SCHEMAS: { readonly [K in ContentKind]: JsonSchema } = {
  npc: jsonSchemaOf("npc"),
  item: jsonSchemaOf("item"),
  location: jsonSchemaOf("location"),
  quest: jsonSchemaOf("quest"),
};

const SYSTEM = PromptTemplate.load(import.meta.url, "prompt.txt");
const REQUEST = PromptTemplate.load(import.meta.url, "request.txt");
const REPAIR = PromptTemplate.load(import.meta.url, "repair.txt");
const GUIDANCE: { readonly [K in ContentKind]: PromptTemplate } = {
  npc: PromptTemplate.load(import.meta.url, "npc.txt"),
  item: PromptTemplate.load(import.meta.url, "item.txt"),
  location: PromptTemplate.load(import.meta.url, "location.txt"),
  quest: PromptTemplate.load(import.meta.url, "quest.txt"),
};

/** Enough taken names to steer a model away from the common ones, without crowding the prompt. */
const MAX_TAKEN_NAMES = 40;
/**
 * How much of a failed answer is shown back to the model in the repair: enough to see what it
 * wrote, never a runaway 100 KB that would crowd out the context.
 */
const MAX_ECHOED_ANSWER = 1500;

export interface ContentContext {
  /** The world pack (not the effective world). */
  readonly world: WorldPack;
  /** The state to add to: after the turn's step and any content already added this turn. */
  readonly state: GameState;
  /** Without one (offline play) the content comes straight from the fallback tables. */
  readonly runner?: TaskRunner;
  readonly signal?: AbortSignal;
}

export type ContentSource = "model" | "repaired" | "fallback";

export type ContentOutcome =
  | {
      readonly ok: true;
      readonly source: ContentSource;
      /** The content as it entered the game. */
      readonly proposal: ContentProposal;
      readonly id: string;
      /** `state` with the content added, and the events telling of it (append them to the turn's). */
      readonly state: GameState;
      readonly events: readonly GameEvent[];
      /** Tasks given to the runner: 0 (nothing asked), 1, or 2 (with a repair). */
      readonly calls: number;
      /** Why the model's answers were refused, when they were; for logs, never for the player. */
      readonly refused: readonly string[];
    }
  | {
      /**
       * The request itself cannot be met (an unknown place, no free direction, an id in use), so
       * nothing was asked; or, in a world that already uses every fallback name, nothing fitted.
       */
      readonly ok: false;
      readonly problems: readonly string[];
      readonly calls: number;
    };

export async function generateContent(request: ContentRequest, ctx: ContentContext): Promise<ContentOutcome> {
  const { world, state, runner, signal } = ctx;
  const unanswerable = requestProblems(world, state, request);
  if (unanswerable.length > 0) return { ok: false, problems: unanswerable, calls: 0 };

  const task = (messages: readonly ChatMessage[]): TaskRequest => ({
    type: "content-generation",
    complexity: CONTENT_COMPLEXITY[request.content],
    messages,
    jsonSchema: CONTENT_JSON_SCHEMAS[request.content],
    ...(signal === undefined ? {} : { signal }),
  });
  const refused: string[] = [];
  let calls = 0;
  // A runner that throws (a replay that diverged from its record) is not a model failure: it
  // propagates, rather than being hidden under fallback content.
  const ask = async (messages: readonly ChatMessage[]): Promise<RouterResult | undefined> => {
    if (signal?.aborted || runner === undefined) return undefined;
    calls++;
    return runner.run(task(messages));
  };

  const messages = contentMessages(world, state, request);
  const first = await ask(messages);
  if (first?.ok) {
    const tried = addContent(world, state, request, answerOf(first));
    if (tried.ok) return { ...tried, source: "model", calls, refused };
    refused.push(...tried.problems);
    const second = await ask(repairMessages(messages, first.text, tried.problems));
    if (second?.ok) {
      const again = addContent(world, state, request, answerOf(second));
      if (again.ok) return { ...again, source: "repaired", calls, refused };
      refused.push(...again.problems);
    }
  }
  return fallback(world, state, request, calls, refused);
}

/** The parsed JSON the router hands back, or the text parsed here for a runner that does not parse. */
function answerOf(result: RouterResult & { ok: true }): unknown {
  if (result.json !== undefined) return result.json;
  try {
    return JSON.parse(result.text);
  } catch {
    return result.text;
  }
}

function fallback(world: WorldPack, state: GameState, request: ContentRequest, calls: number, refused: string[]): ContentOutcome {
  // The request was checked, so only a name can be in the way: the tables hold dozens of them.
  const problems: string[] = [];
  for (let attempt = 0; attempt < fallbackCount(request.content); attempt++) {
    const proposal = fallbackProposal(request.content, state.rng.seed, request.requestId, attempt);
    const added = addContent(world, state, request, proposal);
    if (added.ok) return { ...added, source: "fallback", calls, refused };
    problems.push(...added.problems);
  }
  return { ok: false, problems: [`every fallback was refused: ${problems.slice(0, 3).join("; ")}`], calls };
}

function contentMessages(world: WorldPack, state: GameState, request: ContentRequest): ChatMessage[] {
  const current = effectiveWorld(world, state);
  const place = current.locations[request.at];
  const records = { npc: current.npcs, item: current.items, location: current.locations, quest: current.quests }[request.content];
  const taken = Object.values(records).map((r) => r.name).slice(0, MAX_TAKEN_NAMES);
  return [
    { role: "system", content: SYSTEM.render({ title: world.title, intro: world.intro }).trim() },
    {
      role: "user",
      content: REQUEST.render({
        guidance: GUIDANCE[request.content].render({}).trim(),
        place: place ? `${place.name}: ${place.description}` : request.at,
        hint: request.hint ?? "anything that fits this place",
        scene: sceneText(sceneFacts(current, state)),
        taken: taken.length > 0 ? taken.join(", ") : "none",
      }).trim(),
    },
  ];
}

function repairMessages(messages: readonly ChatMessage[], answer: string, problems: readonly string[]): ChatMessage[] {
  const echoed = answer.length > MAX_ECHOED_ANSWER ? `${answer.slice(0, MAX_ECHOED_ANSWER)}…` : answer;
  return [
    ...messages,
    { role: "assistant", content: echoed },
    { role: "user", content: REPAIR.render({ problems: problems.map((p) => `- ${p}`).join("\n") }).trim() },
  ];
}
