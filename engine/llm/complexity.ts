import type { ChatMessage } from "./provider.js";
import type { Complexity } from "./tasks.js";

/**
 * Complexity for a task whose caller did not say. Callers that know (a boss fight is critical)
 * should say; this is the deterministic fallback, and deliberately simple so a player or modder
 * can predict it:
 *
 * 1. Only the last user message counts: system prompts are long and the same every turn, and
 *    older messages are history, not the task at hand.
 * 2. A critical keyword (a boss, a death, a quest, a betrayal, ...) makes it critical.
 * 3. A moderate keyword (a fight, an NPC, ...), a long text, or a structured one (several lines of
 *    list items, or JSON) makes it moderate.
 * 4. Anything else is routine.
 *
 * Keywords match whole words, case-insensitively.
 */

const CRITICAL = /\b(boss(es)?|dies|died|death|killed|slain|final|finale|quests?|betray(s|ed|al)?|sacrifice[sd]?|climax|dragons?)\b/i;
const MODERATE = /\b(attack(s|ed)?|fights?|fought|fighting|combat|battle(s)?|duel|ambush(ed)?|strikes?|struck|wound(s|ed)?|bleeds?|parr(y|ies|ied)|dodge[sd]?|spell(s)?|casts?|npcs?|characters?|negotiat(e|es|ed|ion)|persuade[sd]?|threat(en|ens|ened)?)\b/i;

/** A message longer than this is probably more than a routine turn. */
export const LONG_MESSAGE_CHARS = 1200;
/** This many list-like lines make a message structured. */
export const STRUCTURED_LINES = 3;

const LIST_LINE = /^\s*([-*•]|\d+[.)])\s+/;

export function detectComplexity(messages: readonly ChatMessage[]): Complexity {
  const text = lastUserText(messages);
  if (CRITICAL.test(text)) return "critical";
  if (MODERATE.test(text) || text.length > LONG_MESSAGE_CHARS || isStructured(text)) return "moderate";
  return "routine";
}

function lastUserText(messages: readonly ChatMessage[]): string {
  for (let i = messages.length - 1; i >= 0; i--) {
    const message = messages[i]!;
    if (message.role === "user") return message.content;
  }
  return "";
}

function isStructured(text: string): boolean {
  const trimmed = text.trim();
  if ((trimmed.startsWith("{") && trimmed.endsWith("}")) || (trimmed.startsWith("[") && trimmed.endsWith("]"))) return true;
  let listLines = 0;
  for (const line of trimmed.split("\n")) {
    if (LIST_LINE.test(line) && ++listLines >= STRUCTURED_LINES) return true;
  }
  return false;
}
