/** engine/story/memory: what the storyteller remembers, and how much of it fits a prompt. */
export {
  assembleContext, estimateTokens, stableParts, turnMessages,
  type AssembledContext, type ContextInput, type RecentTurn,
} from "./context.js";
export {
  shouldSummarize, summarize, summaryRequest,
  SUMMARY_BUDGET_TOKENS, SUMMARY_EVERY_TURNS, SUMMARY_MAX_CHARS,
  type SummarizeContext, type SummarizeOptions, type SummaryRequest, type SummaryResult,
} from "./summary.js";
export { noteNpcs, MAX_NOTES_PER_NPC } from "./notes.js";
