import { estimateTokens, type ChatMessage } from "../../llm/index.js";
import type { StoryMemory, WorldPack } from "../../game/index.js";
import { PromptTemplate } from "../prompt-template.js";
import { quoteUntrusted } from "../narrate/text.js";

/**
 * A prompt assembled within a token budget. The parts that stay the same from turn to turn (the
 * system prompt, the world, the summary) come first and byte-identical, so a local model reuses
 * its KV cache for them; then as many recent turns as fit, chosen newest first and sent in
 * chronological order; then the request itself.
 */

/** One past turn as the storyteller remembers it. */
export interface RecentTurn {
  readonly turn: number;
  readonly input: string;
  readonly narration: string;
}

export interface ContextInput {
  readonly system: string;
  /** Parts that rarely change (the world, the summary), in a fixed order. */
  readonly stable: readonly string[];
  /** Newest last. */
  readonly recent: readonly RecentTurn[];
  /** The current request, sent last as a user message; it is always included. */
  readonly request?: string;
  readonly budgetTokens: number;
  /** Defaults to `estimateTokens`. */
  readonly countTokens?: (text: string) => number;
}

export interface AssembledContext {
  readonly messages: ChatMessage[];
  /** How many of the recent turns fit (the newest ones). */
  readonly turnsIncluded: number;
  /** Tokens of all the messages' contents, by the counter used. */
  readonly tokens: number;
  /** False when the system, stable parts and request alone exceed the budget; they are sent anyway. */
  readonly fits: boolean;
}

export { estimateTokens };

const TURN = PromptTemplate.load(import.meta.url, "turn.txt");
const WORLD = PromptTemplate.load(import.meta.url, "world.txt");
const SUMMARY = PromptTemplate.load(import.meta.url, "summary.txt");

/** Past turns are told back as the player's words (quoted, untrusted) and the narration given then. */
export function turnMessages(turn: RecentTurn): readonly ChatMessage[] {
  // A turn stays in the window for many prompts after its own: its messages are made once.
  let messages = turnMessagesOf.get(turn);
  if (messages === undefined) {
    messages = [
      { role: "user", content: TURN.render({ turn: String(turn.turn), input: quoteUntrusted(turn.input, 500) }).trimEnd() },
      { role: "assistant", content: turn.narration },
    ];
    turnMessagesOf.set(turn, messages);
  }
  return messages;
}

const turnMessagesOf = new WeakMap<RecentTurn, readonly ChatMessage[]>();

export function assembleContext(input: ContextInput): AssembledContext {
  const count = input.countTokens ?? estimateTokens;
  // One system message: some providers take only one, and it keeps the stable prefix in one piece.
  const system: ChatMessage = { role: "system", content: [input.system, ...input.stable].filter((part) => part !== "").join("\n\n") };
  const request: ChatMessage[] = input.request === undefined ? [] : [{ role: "user", content: input.request }];
  let tokens = count(system.content) + request.reduce((n, m) => n + count(m.content), 0);
  const fits = tokens <= input.budgetTokens;

  const chosen: (readonly ChatMessage[])[] = [];
  for (let i = input.recent.length - 1; i >= 0 && fits; i--) {
    const messages = turnMessages(input.recent[i]!);
    const cost = messages.reduce((n, m) => n + count(m.content), 0);
    // Stop at the first turn that does not fit: a gap in the middle of the history would read
    // to the model as if nothing had happened in between.
    if (tokens + cost > input.budgetTokens) break;
    tokens += cost;
    chosen.push(messages);
  }
  chosen.reverse();
  return { messages: [system, ...chosen.flat(), ...request], turnsIncluded: chosen.length, tokens, fits };
}

/**
 * The stable parts for a game: the world, then the summary when there is one. Both are made only
 * from the world pack and the stored summary, so their text is the same every turn until the
 * summary is rewritten.
 */
export function stableParts(world: WorldPack, story: StoryMemory): readonly string[] {
  // The same every turn until the summary changes, and built for every prompt: kept per world.
  const known = stableCache.get(world);
  if (known?.summary === story.summary) return known.parts;
  const parts = [WORLD.render({ title: world.title, player: world.player.name, intro: quoteUntrusted(world.intro, 2000) }).trimEnd()];
  if (story.summary !== "") parts.push(SUMMARY.render({ summary: quoteUntrusted(story.summary, 4000) }).trimEnd());
  stableCache.set(world, { summary: story.summary, parts });
  return parts;
}

const stableCache = new WeakMap<WorldPack, { readonly summary: string; readonly parts: readonly string[] }>();
