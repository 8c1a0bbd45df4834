import type { ChatMessage, Complexity, RouterResult, TaskType } from "../../llm/index.js";
import type { GameEvent, GameState, WorldPack } from "../../game/index.js";
import type { TaskRunner } from "../task-runner.js";
import type { RecentTurn } from "../memory/context.js";
import { planNarration, type PlannedPart } from "./plan.js";
import { dialogueMessages, narrationMessages, type PromptInput } from "./prompts.js";
import { sanitizeText, TextFilter, type TextFilterOptions } from "./text.js";

/**
 * The NarrativeGenerator: tells a turn's events, which the engine has already decided. Stretches
 * of narration go to the narration task (routine → utility, a fight or a turning point → main),
 * each line an NPC speaks to the dialogue task, in order. A part whose model fails, or answers
 * with nothing worth showing, is told by the engine instead, and the turn still completes.
 * Nothing here changes the state: it is read, and text comes back.
 */

/** A turning point gets room for more than the route's usual limit. */
export const CRITICAL_MAX_TOKENS = 4096;

export type NarrationSource = "model" | "engine";

export type NarrationPart =
  | { readonly kind: "narration"; readonly text: string; readonly source: NarrationSource }
  | {
      readonly kind: "dialogue";
      readonly npc: string;
      /** The speaker's name as the world gives it. */
      readonly name: string;
      /** The words spoken, alone (for a speech bubble). */
      readonly line: string;
      /** As it appears in `Narration.text`: `Name: "line"`, or the engine's own sentence. */
      readonly text: string;
      readonly source: NarrationSource;
    };

export interface Narration {
  /** The parts' texts, in order, separated by blank lines. */
  readonly text: string;
  /** "model" when any part was told by a model. */
  readonly source: NarrationSource;
  /** Tasks sent to the runner (each may have made several attempts; the router's ledger has those). */
  readonly modelCalls: number;
  /** Recent turns that fit the narration prompt; for `shouldSummarize`. */
  readonly contextTurns: number;
  readonly parts: readonly NarrationPart[];
}

export interface NarrateContext {
  /** The effective world of the turn (`effectiveWorld(pack, state)`). */
  readonly world: WorldPack;
  /** The state after the turn. Read only. */
  readonly state: GameState;
  readonly input: string;
  readonly events: readonly GameEvent[];
  /** Newest last. */
  readonly recent: readonly RecentTurn[];
  /** Without one, the engine tells everything. */
  readonly runner?: TaskRunner;
  /** Cancels the turn's narration: no more text is streamed, and the engine's text is returned. */
  readonly signal?: AbortSignal;
  /** Text as it is produced. Joined, the deltas since the last reset are the final text. */
  readonly onText?: (delta: string) => void;
  /** Discard everything onText has given this turn: what follows starts the text again. */
  readonly onReset?: () => void;
  /** The narration prompt's budget; defaults to NARRATION_BUDGET_TOKENS. */
  readonly promptBudgetTokens?: number;
  readonly countTokens?: (text: string) => number;
  /** Replaces the token limit of every call (small local contexts, tests). */
  readonly maxTokens?: number;
}

const PARAGRAPH = "\n\n";

export async function narrateTurn(ctx: NarrateContext): Promise<Narration> {
  const plan = planNarration(ctx.world, ctx.state, ctx.events);
  const stream = new TurnStream(ctx.onText, ctx.onReset);
  const prompt: PromptInput = {
    world: ctx.world,
    state: ctx.state,
    input: ctx.input,
    recent: ctx.recent,
    ...(ctx.promptBudgetTokens === undefined ? {} : { promptBudgetTokens: ctx.promptBudgetTokens }),
    ...(ctx.countTokens === undefined ? {} : { countTokens: ctx.countTokens }),
  };
  let modelCalls = 0;
  let contextTurns: number | undefined;
  const done: NarrationPart[] = [];

  const finish = (parts: readonly NarrationPart[]): Narration => ({
    text: joinParts(parts),
    source: parts.some((p) => p.source === "model") ? "model" : "engine",
    modelCalls,
    contextTurns: contextTurns ?? narrationMessages(prompt, plan.complexity, plan.engineText).turnsIncluded,
    parts,
  });
  const aborted = (): Narration => {
    stream.reset();
    return finish(plan.parts.map(enginePart));
  };

  for (const part of plan.parts) {
    if (ctx.signal?.aborted) return aborted();
    const committed = joinParts(done);
    const separator = committed === "" ? "" : PARAGRAPH;
    const runner = ctx.runner;
    const voiceless = part.kind === "narration" ? !part.tell : part.speaker === undefined;
    if (runner === undefined || voiceless) {
      done.push(enginePart(part));
      stream.settle(joinParts(done));
      continue;
    }

    let task: Pick<TellOptions, "type" | "messages" | "maxTokens" | "opener" | "filter">;
    if (part.kind === "narration") {
      const context = narrationMessages(prompt, plan.complexity, part.engineText);
      contextTurns = Math.min(contextTurns ?? Infinity, context.turnsIncluded);
      // A model whose context is smaller than this gets a shorter limit from the router, not a skip.
      const larger = plan.complexity === "critical" ? CRITICAL_MAX_TOKENS : undefined;
      task = { type: "narration", messages: context.messages, maxTokens: ctx.maxTokens ?? larger, opener: "", filter: {} };
    } else {
      const context = dialogueMessages(prompt, part, plan.engineText);
      task = { type: "dialogue", messages: context.messages, maxTokens: ctx.maxTokens, opener: `${part.name}: "`, filter: { trimQuotes: true } };
    }
    modelCalls++;
    const told = await tell({ runner, stream, committed, separator, signal: ctx.signal, complexity: plan.complexity, ...task });

    if (!told.ok && told.aborted) return aborted();
    done.push(told.ok ? modelPart(part, told.text) : enginePart(part));
    stream.settle(joinParts(done));
  }
  return finish(done);
}

function joinParts(parts: readonly NarrationPart[]): string {
  return parts.map((p) => p.text).join(PARAGRAPH);
}

function enginePart(part: PlannedPart): NarrationPart {
  if (part.kind === "narration") return { kind: "narration", text: part.engineText, source: "engine" };
  return { kind: "dialogue", npc: part.event.npc, name: part.name, line: part.event.line, text: part.engineText, source: "engine" };
}

function modelPart(part: PlannedPart, text: string): NarrationPart {
  if (part.kind === "narration") return { kind: "narration", text, source: "model" };
  return { kind: "dialogue", npc: part.event.npc, name: part.name, line: text, text: `${part.name}: "${text}"`, source: "model" };
}

/**
 * What the listener has been shown this turn, kept so that it always holds a prefix of the text
 * being built, and exactly the final text at the end.
 */
class TurnStream {
  readonly #onText: ((delta: string) => void) | undefined;
  readonly #onReset: (() => void) | undefined;
  #shown = "";

  constructor(onText: ((delta: string) => void) | undefined, onReset: (() => void) | undefined) {
    this.#onText = onText;
    this.#onReset = onReset;
  }

  emit(delta: string): void {
    if (delta === "") return;
    this.#shown += delta;
    this.#onText?.(delta);
  }

  /** Brings the listener to `text`: by adding to what it has when that is a prefix, else by a reset. */
  settle(text: string): void {
    if (text.startsWith(this.#shown)) {
      this.emit(text.slice(this.#shown.length));
      return;
    }
    this.reset();
    this.emit(text);
  }

  reset(): void {
    if (this.#shown === "") return;
    this.#shown = "";
    this.#onReset?.();
  }
}

type Told = { readonly ok: true; readonly text: string } | { readonly ok: false; readonly aborted: boolean };

interface TellOptions {
  readonly runner: TaskRunner;
  readonly stream: TurnStream;
  /** The turn's text before this part, and what separates this part from it. */
  readonly committed: string;
  readonly separator: string;
  /** Shown before the part's first word (a speaker's name); only once the model has said something. */
  readonly opener: string;
  readonly filter: TextFilterOptions;
  readonly signal: AbortSignal | undefined;
  readonly type: TaskType;
  readonly complexity: Complexity;
  readonly messages: ChatMessage[];
  readonly maxTokens: number | undefined;
}

/** One part from one model task, streamed through the filter; the sanitized text, or why there is none. */
async function tell(o: TellOptions): Promise<Told> {
  let filter = new TextFilter(o.filter);
  let opened = false;
  const onToken = (delta: string): void => {
    const visible = filter.push(delta);
    if (visible === "") return;
    o.stream.emit(opened ? visible : o.separator + o.opener + visible);
    opened = true;
  };
  // The model that was streaming failed; whatever comes next (a retry, another model) starts over.
  const onReset = (): void => {
    filter = new TextFilter(o.filter);
    opened = false;
    o.stream.settle(o.committed);
  };
  const result: RouterResult = await o.runner.run({
    type: o.type,
    complexity: o.complexity,
    messages: o.messages,
    onToken,
    onReset,
    ...(o.maxTokens === undefined ? {} : { maxTokens: o.maxTokens }),
    ...(o.signal === undefined ? {} : { signal: o.signal }),
  });
  if (!result.ok) return { ok: false, aborted: result.aborted };
  const text = sanitizeText(result.text, o.filter);
  return text === "" ? { ok: false, aborted: false } : { ok: true, text };
}
