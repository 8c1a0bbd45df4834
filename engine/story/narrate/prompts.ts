import type { Complexity } from "../../llm/index.js";
import type { GameState, WorldPack } from "../../game/index.js";
import { PromptTemplate } from "../prompt-template.js";
import { mood as moodWord, sceneFacts, sceneText } from "../scene.js";
import { assembleContext, stableParts, type AssembledContext, type RecentTurn } from "../memory/context.js";
import type { PlannedPart } from "./plan.js";
import { quoteUntrusted } from "./text.js";

/**
 * The messages the narrator and the characters are given. Every fact in them comes from the
 * engine: its narration of the turn (what to tell), the scene, the NPC's personality, mood and
 * notes. The player's input is quoted as untrusted. The wording lives in the .txt files beside
 * this one.
 */

/**
 * The prompt's size, history included. A local model's default context is 4096 tokens and a
 * narration may take 2048 of them; this leaves room for the tokenizer counting more than the
 * estimate.
 */
export const NARRATION_BUDGET_TOKENS = 1536;

export interface PromptInput {
  readonly world: WorldPack;
  readonly state: GameState;
  readonly input: string;
  readonly recent: readonly RecentTurn[];
  /** Defaults to NARRATION_BUDGET_TOKENS. */
  readonly promptBudgetTokens?: number;
  readonly countTokens?: (text: string) => number;
}

/** What every prompt of a turn shares, built once per PromptInput: a turn may ask for several. */
const sharedOf = new WeakMap<PromptInput, { readonly scene: string; readonly stable: readonly string[] }>();

function shared(p: PromptInput): { readonly scene: string; readonly stable: readonly string[] } {
  let parts = sharedOf.get(p);
  if (parts === undefined) {
    parts = { scene: sceneText(sceneFacts(p.world, p.state)), stable: stableParts(p.world, p.state.story) };
    sharedOf.set(p, parts);
  }
  return parts;
}

const NARRATION_SYSTEM = PromptTemplate.load(import.meta.url, "narration.system.txt");
const NARRATION_USER = PromptTemplate.load(import.meta.url, "narration.user.txt");
const GUIDANCE: { readonly [C in Complexity]: PromptTemplate } = {
  routine: PromptTemplate.load(import.meta.url, "guidance-routine.txt"),
  moderate: PromptTemplate.load(import.meta.url, "guidance-moderate.txt"),
  critical: PromptTemplate.load(import.meta.url, "guidance-critical.txt"),
};
const DIALOGUE_SYSTEM = PromptTemplate.load(import.meta.url, "dialogue.system.txt");
const DIALOGUE_USER = PromptTemplate.load(import.meta.url, "dialogue.user.txt");

/** A stretch of the turn to retell: `engineText` is the engine's narration of it. */
export function narrationMessages(p: PromptInput, complexity: Complexity, engineText: string): AssembledContext {
  const { scene, stable } = shared(p);
  const request = NARRATION_USER.render({
    scene,
    happened: quoteUntrusted(engineText, 8000),
    input: quoteUntrusted(p.input),
    guidance: GUIDANCE[complexity].render({}).trimEnd(),
  }).trimEnd();
  return assembleContext({
    system: NARRATION_SYSTEM.render({}).trimEnd(),
    stable,
    recent: p.recent,
    request,
    ...budget(p),
  });
}

/**
 * One line an NPC speaks, in character, knowing what happened this turn (`turnText`, the
 * engine's narration of it). No recent turns: the narrations in them would teach the
 * model to narrate; what the NPC needs to remember is in its notes.
 */
export function dialogueMessages(p: PromptInput, part: PlannedPart & { kind: "dialogue" }, turnText: string): AssembledContext {
  const { event, name, speaker } = part;
  const notes = Object.hasOwn(p.state.story.npcNotes, event.npc) ? p.state.story.npcNotes[event.npc] ?? [] : [];
  const disposition = Object.hasOwn(p.state.npcs, event.npc) ? p.state.npcs[event.npc]?.disposition ?? 0 : 0;
  const { scene, stable } = shared(p);
  const request = DIALOGUE_USER.render({
    name,
    description: speaker?.description ?? "",
    personality: speaker?.personality ?? "",
    mood: moodWord(disposition),
    notes: notes.length === 0 ? "(nothing yet)" : notes.map((note) => `- ${note}`).join("\n"),
    scene,
    happened: quoteUntrusted(turnText, 8000),
    input: quoteUntrusted(p.input),
    topic: event.topic === undefined ? "nothing in particular" : `"${quoteUntrusted(event.topic, 100)}"`,
    line: quoteUntrusted(event.line, 4000),
  }).trimEnd();
  return assembleContext({
    system: DIALOGUE_SYSTEM.render({}).trimEnd(),
    stable,
    recent: [],
    request,
    ...budget(p),
  });
}

function budget(p: PromptInput): { budgetTokens: number; countTokens?: (text: string) => number } {
  return { budgetTokens: p.promptBudgetTokens ?? NARRATION_BUDGET_TOKENS, ...(p.countTokens === undefined ? {} : { countTokens: p.countTokens }) };
}

