/** engine/story/narrate: the NarrativeGenerator. */
export {
  narrateTurn, CRITICAL_MAX_TOKENS,
  type Narration, type NarrationPart, type NarrationSource, type NarrateContext,
} from "./narrate.js";
export { planNarration, narrationComplexity, type NarrationPlan, type PlannedPart } from "./plan.js";
export { narrationMessages, dialogueMessages, NARRATION_BUDGET_TOKENS, type PromptInput } from "./prompts.js";
export { sanitizeText, collapseRepetition, quoteUntrusted, TextFilter, MAX_TEXT_CHARS, type TextFilterOptions } from "./text.js";
