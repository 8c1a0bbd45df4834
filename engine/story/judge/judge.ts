import { z } from "zod";
import {
  MAX_RULE_PASSES, narrate, pendingJudgements, step,
  type Action, type GameEvent, type GameState, type StepResult, type Verdicts, type WorldPack,
} from "../../game/index.js";
import type { ChatMessage, JsonSchema, TaskRequest } from "../../llm/index.js";
import { PromptTemplate } from "../prompt-template.js";
import { sceneFacts, sceneText } from "../scene.js";
import type { TaskRunner } from "../task-runner.js";
import { untrusted, withoutMarkers } from "../quote.js";

/**
 * Judge: a model answers the rules' questions in words ("did the player insult the king?") with
 * a yes or a no; the engine alone decides which questions matter and what a yes does.
 *
 * The turn is stepped without verdicts (a dry run), `pendingJudgements` names the questions
 * that could change what fires, each is asked once, and the turn is stepped again from the
 * original state with the answers. A yes can make a rule fire whose events bring another rule's
 * question into play, so this repeats until no new question comes up. Anything short of a
 * clear, valid yes is a no: a fuzzy rule that cannot be judged does not fire.
 */

export interface JudgeContext {
  /** The effective world (`effectiveWorld(pack, state)`). */
  readonly world: WorldPack;
  /** The state before the action. */
  readonly state: GameState;
  readonly action: Action;
  /** What the player typed this turn, for the model to judge by. */
  readonly input: string;
  /** Without one every question is answered "no" and no model is called. */
  readonly runner?: TaskRunner;
  readonly signal?: AbortSignal;
}

export interface Judgement {
  /** Every question asked this turn, keyed by its text. */
  readonly verdicts: Verdicts;
  /** Why, per question: the model's short reason, or NO_VERDICT. */
  readonly reasons: Readonly<Record<string, string>>;
  /** Tasks sent to the runner; each question at most once. */
  readonly modelCalls: number;
}

/** The reason recorded when no valid answer came back (offline, cancelled, or unusable output). */
export const NO_VERDICT = "no verdict";

const REASON_CHARS = 200;

export const VERDICT_SCHEMA: JsonSchema = {
  type: "object",
  properties: {
    verdict: { type: "boolean" },
    reason: { type: "string", maxLength: REASON_CHARS },
  },
  required: ["verdict", "reason"],
  additionalProperties: false,
};

// Only a real boolean counts: "yes", 1 or "true" from a model that ignored the schema is no answer.
const VerdictAnswer = z.object({ verdict: z.boolean(), reason: z.string() });

const SYSTEM = PromptTemplate.load(import.meta.url, "system.txt");
const PROMPT = PromptTemplate.load(import.meta.url, "prompt.txt");

const INPUT_CHARS = 500;
const EVENT_CHARS = 240;
const MAX_EVENT_LINES = 20;

/**
 * The turn's events as short lines, told as the engine tells them to the player. A location
 * seen is one line (the scene describes it), and speech quoted in an event is the player's or an
 * NPC's, so every line goes through the same cleaning as the player's words.
 */
function eventLines(world: WorldPack, state: GameState, events: readonly GameEvent[]): string {
  const lines: string[] = [];
  for (const event of events) {
    const text = event.kind === "location-seen"
      ? `You look around ${world.locations[event.location]?.name ?? event.location}.`
      : narrate(world, state, [event]);
    if (text.trim() !== "") lines.push(`- ${untrusted(text, EVENT_CHARS)}`);
  }
  if (lines.length > MAX_EVENT_LINES) return [...lines.slice(0, MAX_EVENT_LINES), `- (${lines.length - MAX_EVENT_LINES} more)`].join("\n");
  return lines.length > 0 ? lines.join("\n") : "- nothing";
}

/** The messages of one rule-judging task; exported for the golden-file test. */
export function judgeMessages(world: WorldPack, question: string, after: StepResult, input: string): ChatMessage[] {
  return [
    { role: "system", content: SYSTEM.render({}) },
    {
      role: "user",
      content: PROMPT.render({
        question: untrusted(question, INPUT_CHARS),
        scene: withoutMarkers(sceneText(sceneFacts(world, after.state))),
        events: eventLines(world, after.state, after.events),
        input: untrusted(input, INPUT_CHARS),
      }),
    },
  ];
}

interface Answer {
  readonly verdict: boolean;
  readonly reason: string;
}

async function ask(ctx: JudgeContext, runner: TaskRunner, question: string, after: StepResult): Promise<Answer | "aborted"> {
  const task: TaskRequest = {
    type: "rule-judging",
    complexity: "routine",
    messages: judgeMessages(ctx.world, question, after, ctx.input),
    jsonSchema: VERDICT_SCHEMA,
    ...(ctx.signal === undefined ? {} : { signal: ctx.signal }),
  };
  // A runner that throws (a replay diverging from its record) must reach the caller: not caught.
  const result = await runner.run(task);
  if (!result.ok) return result.aborted ? "aborted" : { verdict: false, reason: NO_VERDICT };
  const parsed = VerdictAnswer.safeParse(result.json);
  if (!parsed.success) return { verdict: false, reason: NO_VERDICT };
  const reason = untrusted(parsed.data.reason, REASON_CHARS);
  return { verdict: parsed.data.verdict, reason: reason === "" ? NO_VERDICT : reason };
}

/** Judges the turn and returns the step taken with the verdicts, so the caller need not step again. */
export async function stepWithJudgement(ctx: JudgeContext): Promise<StepResult & { judgement: Judgement }> {
  const { world, state, action, runner } = ctx;
  const answers = new Map<string, Answer>();
  const verdicts = (): Verdicts => Object.fromEntries([...answers].map(([q, a]) => [q, a.verdict]));
  let modelCalls = 0;
  let stopped = runner === undefined;
  let result = step(world, state, action);
  for (let pass = 0; pass < MAX_RULE_PASSES; pass++) {
    const questions = pendingJudgements(world, result.state, result.events).filter((q) => !answers.has(q));
    if (questions.length === 0) break;
    for (const question of questions) {
      let got: Answer | "aborted" = { verdict: false, reason: NO_VERDICT };
      if (!stopped && runner !== undefined) {
        modelCalls++;
        got = await ask(ctx, runner, question, result);
      }
      // Cancelled: nothing more is asked; the caller, who owns the signal, decides about the turn.
      if (got === "aborted") {
        stopped = true;
        got = { verdict: false, reason: NO_VERDICT };
      }
      answers.set(question, got);
    }
    result = step(world, state, action, { verdicts: verdicts() });
  }
  const reasons = Object.fromEntries([...answers].map(([q, a]) => [q, a.reason]));
  return { ...result, judgement: { verdicts: verdicts(), reasons, modelCalls } };
}

/** The verdicts for the rules' questions this turn; step with them (see stepWithJudgement). */
export async function judgeTurn(ctx: JudgeContext): Promise<Judgement> {
  return (await stepWithJudgement(ctx)).judgement;
}
