import type { Action, MetaCommand } from "../actions.js";
import type { GameState, ParserMemory } from "../state.js";
import type { WorldPack } from "../world.js";
import { AGAIN, command } from "./grammar.js";
import { lexicon } from "./lexicon.js";
import { Ctx, Halt, PLACEHOLDER, pick, tokenOf } from "./resolve.js";
import { clean, tokenize } from "./text.js";

/**
 * The offline command parser: what a player of text adventures types, turned into an Action for
 * `step`, a meta command for the session, or a question back. Pure: the new parser memory is
 * returned for the caller to store in `state.parser`.
 */

export type ParseResult =
  | { type: "action"; action: Action; memory: ParserMemory }
  | { type: "meta"; command: MetaCommand; argument?: string; memory: ParserMemory }
  | { type: "clarify"; question: string; memory: ParserMemory }
  | { type: "unknown"; message: string; memory: ParserMemory }
  | { type: "empty"; memory: ParserMemory };

function settled(memory: ParserMemory): ParserMemory {
  const out: ParserMemory = {};
  if (memory.it) out.it = memory.it;
  if (memory.lastCommand !== undefined) out.lastCommand = memory.lastCommand;
  return out;
}

function run(world: WorldPack, state: GameState, text: string, memory: ParserMemory, repeating: boolean): ParseResult {
  const tokens = tokenize(text);
  const first = tokens[0];
  if (!first) {
    if (/^\?+$/.test(text)) return { type: "action", action: { kind: "help" }, memory: { ...memory, lastCommand: text } };
    return { type: "unknown", message: "I beg your pardon?", memory };
  }
  if (tokens.length === 1 && AGAIN.has(first.w)) {
    // The repeated command is parsed afresh, against the world as it is now.
    if (repeating || memory.lastCommand === undefined) return { type: "unknown", message: "There is nothing to repeat yet.", memory };
    return run(world, state, memory.lastCommand, memory, true);
  }
  const ctx = new Ctx(world, state, tokens, text, memory.it);
  try {
    const cmd = command(ctx);
    if (cmd.type === "meta") {
      return cmd.argument === undefined
        ? { type: "meta", command: cmd.command, memory }
        : { type: "meta", command: cmd.command, argument: cmd.argument, memory };
    }
    const next: ParserMemory = { lastCommand: text };
    if (ctx.it) next.it = ctx.it;
    return { type: "action", action: cmd.action, memory: next };
  } catch (err) {
    if (!(err instanceof Halt)) throw err;
    const stop = err.stop;
    if (stop.type === "unknown") return { type: "unknown", message: stop.message, memory };
    return { type: "clarify", question: stop.question, memory: { ...memory, pending: stop.pending } };
  }
}

export function parse(world: WorldPack, state: GameState, input: string): ParseResult {
  const memory = settled(state.parser);
  try {
    const text = clean(input);
    if (!text) return { type: "empty", memory };
    const pending = state.parser.pending;
    if (pending) {
      const chosen = pick(world, pending, tokenize(text).map((t) => t.w));
      const token = chosen ? tokenOf(lexicon(world), chosen) : "";
      const words = pending.command.split(" ");
      const at = words.indexOf(PLACEHOLDER);
      if (token && at >= 0) {
        words[at] = token;
        return run(world, state, words.join(" "), memory, false);
      }
    }
    return run(world, state, text, memory, false);
  } catch {
    // A bug here must cost the player one confused reply, never the turn or the game.
    return { type: "unknown", message: "I didn't understand that.", memory };
  }
}
