import { z } from "zod";
import { Action, GameEvent } from "../game/index.js";

/**
 * What one turn was, as hosts see it and as `--transcript jsonl` prints it. Every player input is
 * a turn — including ones the parser could not turn into an action, because they still change
 * what the parser remembers ("Which key do you mean?") and so must replay in order.
 */

export const UnparsedInput = z.object({
  kind: z.literal("unknown"),
  /** `unknown`: not understood; `clarify`: the parser asked which one; `empty`: nothing typed. */
  reason: z.enum(["unknown", "clarify", "empty"]),
  message: z.string(),
});
export type UnparsedInput = z.infer<typeof UnparsedInput>;

export const TurnAction = z.union([Action, UnparsedInput]);
export type TurnAction = z.infer<typeof TurnAction>;

export const TurnSummary = z.object({
  turn: z.number().int().min(1),
  input: z.string(),
  action: TurnAction,
  events: z.array(GameEvent),
  narration: z.string(),
  stateHash: z.string(),
  /** How many model calls the turn made (0 offline, or when the parser understood alone). */
  modelCalls: z.number().int().min(0).default(0),
});
export type TurnSummary = z.infer<typeof TurnSummary>;
