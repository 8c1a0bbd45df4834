import type { ChatMessage } from "../../llm/index.js";
import type { GameState, StoryMemory, WorldPack } from "../../game/index.js";
import { PromptTemplate } from "../prompt-template.js";
import type { TaskRunner } from "../task-runner.js";
import { quoteUntrusted, sanitizeText } from "../narrate/text.js";
import { estimateTokens, stableParts, type RecentTurn } from "./context.js";

/**
 * The running summary of older turns. A model (utility slot) folds the turns since the last
 * summary into it; when none answers usefully, the old summary stands and nothing is marked as
 * summarized, so the next trigger tries again with the same turns.
 */

/** Summarize at least this often, in turns. */
export const SUMMARY_EVERY_TURNS = 10;
/** A summary longer than this is cut: it is read before every turn, and every character costs. */
export const SUMMARY_MAX_CHARS = 2000;
/** The summarization prompt's size; turns beyond it wait for the next summary. */
export const SUMMARY_BUDGET_TOKENS = 1536;

export interface SummarizeOptions {
  /** Turns between summaries; defaults to SUMMARY_EVERY_TURNS. */
  readonly every?: number;
}

/**
 * Whether to summarize after this turn: every `every` turns since the last summary, or sooner
 * when some turns since then no longer fit the narration's context (`recentCount` is how many
 * did: `Narration.contextTurns`), since those would otherwise be forgotten.
 */
export function shouldSummarize(state: GameState, recentCount: number, options: SummarizeOptions = {}): boolean {
  const unsummarized = state.turn - state.story.summaryTurn;
  if (unsummarized <= 0) return false;
  return unsummarized >= (options.every ?? SUMMARY_EVERY_TURNS) || unsummarized > recentCount;
}

export interface SummarizeContext {
  readonly world: WorldPack;
  readonly state: GameState;
  /** The turns since `state.story.summaryTurn`, oldest first; turns it already covers are ignored. */
  readonly turns: readonly RecentTurn[];
  /** Without one, nothing is summarized. */
  readonly runner?: TaskRunner;
  readonly signal?: AbortSignal;
  /** Defaults to SUMMARY_BUDGET_TOKENS. */
  readonly budgetTokens?: number;
  readonly countTokens?: (text: string) => number;
  /** Defaults to SUMMARY_MAX_CHARS. */
  readonly maxChars?: number;
  /** Replaces the route's token limit (small local contexts, tests). */
  readonly maxTokens?: number;
}

export interface SummaryResult {
  /** The new memory; the same object as `state.story` when unchanged. */
  readonly memory: StoryMemory;
  readonly outcome: "summarized" | "unchanged";
  readonly modelCalls: number;
}

export interface SummaryRequest {
  readonly messages: ChatMessage[];
  /** The last turn the request covers: the new `summaryTurn` if it succeeds. */
  readonly lastTurn: number;
}

const SYSTEM = PromptTemplate.load(import.meta.url, "summarize.system.txt");
const USER = PromptTemplate.load(import.meta.url, "summarize.user.txt");
const TURN = PromptTemplate.load(import.meta.url, "summarize.turn.txt");

/** The request for the turns after the summary, oldest first while they fit; undefined when there are none. */
export function summaryRequest(ctx: SummarizeContext): SummaryRequest | undefined {
  const story = ctx.state.story;
  const count = ctx.countTokens ?? estimateTokens;
  const budget = ctx.budgetTokens ?? SUMMARY_BUDGET_TOKENS;
  const pending = ctx.turns.filter((t) => t.turn > story.summaryTurn).sort((a, b) => a.turn - b.turn);
  if (pending.length === 0) return undefined;

  const system = SYSTEM.render({ maxWords: String(Math.floor((ctx.maxChars ?? SUMMARY_MAX_CHARS) / 7)) }).trimEnd();
  const frame = (turns: string): string => USER.render({
    world: stableParts(ctx.world, { ...story, summary: "" }).join("\n\n"),
    summary: story.summary === "" ? "(nothing yet: the story has just begun)" : quoteUntrusted(story.summary, 4000),
    turns,
  }).trimEnd();
  let used = count(system) + count(frame(""));
  const blocks: string[] = [];
  let lastTurn = story.summaryTurn;
  for (const turn of pending) {
    const block = TURN.render({ turn: String(turn.turn), input: quoteUntrusted(turn.input, 500), narration: quoteUntrusted(turn.narration, 2000) }).trimEnd();
    const cost = count(block) + 1;
    // The oldest turn always goes in, however long, so that summaries make progress.
    if (blocks.length > 0 && used + cost > budget) break;
    used += cost;
    blocks.push(block);
    lastTurn = turn.turn;
  }
  return {
    messages: [{ role: "system", content: system }, { role: "user", content: frame(blocks.join("\n\n")) }],
    lastTurn,
  };
}

export async function summarize(ctx: SummarizeContext): Promise<SummaryResult> {
  const story = ctx.state.story;
  const unchanged = (modelCalls: number): SummaryResult => ({ memory: story, outcome: "unchanged", modelCalls });
  const request = summaryRequest(ctx);
  if (request === undefined || ctx.runner === undefined || ctx.signal?.aborted) return unchanged(0);
  const result = await ctx.runner.run({
    type: "summarization",
    complexity: "routine",
    messages: request.messages,
    ...(ctx.maxTokens === undefined ? {} : { maxTokens: ctx.maxTokens }),
    ...(ctx.signal === undefined ? {} : { signal: ctx.signal }),
  });
  if (!result.ok) return unchanged(1);
  const summary = sanitizeText(result.text, { maxChars: ctx.maxChars ?? SUMMARY_MAX_CHARS });
  if (summary === "") return unchanged(1);
  return { memory: { ...story, summary, summaryTurn: request.lastTurn }, outcome: "summarized", modelCalls: 1 };
}
