export * from "./world.js";
export * from "./state.js";
export * from "./actions.js";
export * from "./events.js";
export * from "./rng.js";
export * from "./scope.js";
export { canonicalForm, canonicalJson } from "./canonical.js";
export { step, GIFT_DISPOSITION, type StepOptions, type StepResult } from "./step.js";
export { evaluateCondition, pendingJudgements, MAX_RULE_PASSES, type Verdicts } from "./rules.js";
export { HOSTILE_AT, isHostile } from "./combat.js";
export { ACTION_MINUTES, minutesFor, hourOf } from "./clock.js";
export { stateProblems } from "./invariants.js";
export { parse, type ParseResult } from "./parser/index.js";
export { narrate, describeLocation, helpText } from "./narrate.js";
export { effectiveWorld } from "./effective-world.js";
export {
  addContent, requestProblems, freeDirection, isGeneratedId,
  ContentRequest, NpcProposal, ItemProposal, LocationProposal, QuestProposal, PROPOSAL_SCHEMAS, GENERATED_ITEM_KINDS,
  MAX_NAME_LENGTH, MAX_TEXT_LENGTH, MAX_LINE_LENGTH, MAX_WORD_LENGTH, SNACK_HEAL,
  type AddContentResult, type ContentProposal, type ProposalOf,
} from "./content.js";
