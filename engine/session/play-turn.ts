import {
  effectiveWorld, type GameEvent, type GameState, type MetaCommand, type WorldPack,
} from "../game/index.js";
import type { ModelCall, TurnRecord } from "../store/index.js";
import {
  generateContent, narrateTurn, noteNpcs, shouldSummarize, stepWithJudgement, summarize, understand,
  type NarrationPart, type RecentTurn, type TaskRunner,
} from "../story/index.js";
import { RecordingRunner } from "./recording-runner.js";
import type { TurnAction } from "./turn-record.js";

/**
 * The turn pipeline, program-first:
 *   understand (parser, else a model) → judge fuzzy rules (a model) → game.step (the engine
 *   decides) → invent what the world asked for (a model, validated; else fallback tables)
 *   → narrate (a model, streamed; else the engine) → remember (notes, summaries).
 * It stores nothing: a session commits what it returns to the save, and a replay checks it
 * against the record. Both run this same code, so a replay proves what play does.
 */

/** How many past turns the storyteller keeps at hand for prompts, unless told otherwise. */
export const RECENT_TURNS = 16;

/** What the pipeline tells whoever shows the turn while it is played. */
export type TurnProgress =
  | { readonly type: "turn-started"; readonly turn: number; readonly input: string }
  | { readonly type: "narration-delta"; readonly turn: number; readonly text: string }
  /** Throw away the narration streamed so far this turn: a model failed mid-answer. */
  | { readonly type: "narration-reset"; readonly turn: number }
  | { readonly type: "turn-cancelled"; readonly turn: number };

export interface TurnContext {
  /** The world as written; what the game has added to it comes from the state. */
  readonly world: WorldPack;
  readonly state: GameState;
  /** The turns the storyteller keeps at hand, newest last. */
  readonly recent: readonly RecentTurn[];
  readonly recentLimit: number;
  /** How the story reaches models; without one, the engine parses and narrates alone. */
  readonly runner?: TaskRunner;
  readonly signal?: AbortSignal;
  readonly onProgress: (progress: TurnProgress) => void;
}

export type PlayedTurn =
  /** `record` is what to store; `recent` is the storyteller's window with this turn in it. */
  | { readonly type: "turn"; readonly record: TurnRecord & { readonly modelCalls: ModelCall[] }; readonly action: TurnAction; readonly parts: readonly NarrationPart[]; readonly recent: RecentTurn[] }
  /** The input was a command about the game (save, load, undo…), not a turn. */
  | { readonly type: "meta"; readonly command: MetaCommand; readonly argument: string | undefined }
  | { readonly type: "cancelled"; readonly turn: number };

export async function playTurn(input: string, ctx: TurnContext): Promise<PlayedTurn> {
  const { signal } = ctx;
  const before = ctx.state;
  const world = effectiveWorld(ctx.world, before);
  const recorder = ctx.runner ? new RecordingRunner(ctx.runner) : undefined;
  const story = { ...(recorder ? { runner: recorder } : {}), ...(signal ? { signal } : {}) };

  const understood = await understand(input, { world, state: before, ...story });
  if (understood.type === "meta") return { type: "meta", command: understood.command, argument: understood.argument };

  const turn = before.turn + 1;
  ctx.onProgress({ type: "turn-started", turn, input });
  const cancelled = (): PlayedTurn => {
    ctx.onProgress({ type: "turn-cancelled", turn });
    return { type: "cancelled", turn };
  };
  if (signal?.aborted) return cancelled();

  let action: TurnAction;
  let next: GameState;
  let events: GameEvent[] = [];
  if (understood.type === "action") {
    action = understood.action;
    const result = await stepWithJudgement({ world, state: { ...before, parser: understood.memory }, action: understood.action, input, ...story });
    next = result.state;
    events = [...result.events];
    // One request after another: each is checked against the state the previous one left.
    for (const event of result.events) {
      if (event.kind !== "content-requested") continue;
      const invented = await generateContent(event, { world: ctx.world, state: next, ...story });
      if (invented.ok) {
        next = invented.state;
        events.push(...invented.events);
      }
    }
  } else {
    action = { kind: "unknown", reason: understood.type, message: understood.message };
    next = { ...before, turn, parser: understood.memory };
  }
  if (signal?.aborted) return cancelled();

  let text = action.kind === "unknown" ? action.message : "";
  let parts: readonly NarrationPart[] = [];
  let contextTurns = ctx.recent.length;
  if (understood.type === "action") {
    next = { ...next, story: noteNpcs(world, before, next, events, input) };
    const narration = await narrateTurn({
      world: effectiveWorld(ctx.world, next),
      state: next,
      input,
      events,
      recent: ctx.recent,
      ...story,
      onText: (delta) => ctx.onProgress({ type: "narration-delta", turn, text: delta }),
      onReset: () => ctx.onProgress({ type: "narration-reset", turn }),
    });
    ({ text, parts, contextTurns } = narration);
  } else if (text) {
    ctx.onProgress({ type: "narration-delta", turn, text });
  }
  if (signal?.aborted) return cancelled();

  const recent = [...ctx.recent, { turn, input, narration: text }].slice(-ctx.recentLimit);
  // This turn will be in the next prompt too, so it counts among the turns that still fit.
  if (recorder && shouldSummarize(next, contextTurns + 1)) {
    const summary = await summarize({ world: effectiveWorld(ctx.world, next), state: next, turns: recent, ...story });
    next = { ...next, story: summary.memory };
    if (signal?.aborted) return cancelled();
  }

  const record = {
    turn,
    input,
    action: understood.type === "action" ? understood.action : null,
    events,
    narration: text,
    state: next,
    modelCalls: recorder?.take() ?? [],
  };
  return { type: "turn", record, action, parts, recent };
}
