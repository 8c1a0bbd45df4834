import { z } from "zod";
import { ContentKind, Exit, Item, Location, Npc, Quest, type Direction, type WorldPack } from "./world.js";
import { copyState, type GameState } from "./state.js";
import type { GameEvent } from "./events.js";
import { effectiveWorld } from "./effective-world.js";
import { stateProblems } from "./invariants.js";
import { own, type Turn } from "./turn.js";

/**
 * Content invented during play: how the world asks for it (`content-requested` events), what an
 * inventor may propose (one schema per kind), and `addContent`, the only way it enters a game.
 *
 * Proposals are untrusted, whoever wrote them. The engine gives every new thing its id (from the
 * request, never from the proposal), its place (from the request) and its rules-relevant numbers
 * (bounded here); the proposal supplies words. A proposal that breaks any rule is refused whole,
 * with the reasons, so the inventor can be asked once more.
 */

export const MAX_NAME_LENGTH = 80;
export const MAX_TEXT_LENGTH = 1000;
/** Greetings, personalities, topic answers and quest stages: a sentence or two. */
export const MAX_LINE_LENGTH = 300;
/** Feature names and topic keywords: what a player types. */
export const MAX_WORD_LENGTH = 40;

/** How much generated food or drink heals: a snack, whatever a model claims it is. */
export const SNACK_HEAL = 3;

/** Request ids are the engine's, one per request: `gen-<turn>-<n>`. They become the new thing's id. */
const REQUEST_ID = /^gen-\d+-\d+$/;

/** Whether an id has the form the engine gives generated content; world packs may not use it. */
export function isGeneratedId(id: string): boolean {
  return REQUEST_ID.test(id);
}

// ---------------------------------------------------------------- proposals

// Small, flat and all-required, so a tiny model's grammar can hold them and no field is left to
// chance; lengths are in the JSON schema too, which stops a grammar-bound model from rambling.
const Name = z.string().min(1).max(MAX_NAME_LENGTH);
const Text = z.string().min(1).max(MAX_TEXT_LENGTH);
const Line = z.string().min(1).max(MAX_LINE_LENGTH);
const Word = z.string().min(1).max(MAX_WORD_LENGTH);

export const NpcProposal = z.object({
  name: Name,
  description: Text,
  personality: Line,
  greeting: Line,
  topics: z.array(z.object({ topic: Word, answer: Line })).max(4),
  /** Never hostile on sight (that is -50 and below) and never devoted: a stranger. */
  disposition: z.number().int().min(-20).max(60),
  hp: z.number().int().min(4).max(30),
  attack: z.number().int().min(0).max(8),
  defense: z.number().int().min(0).max(8),
});
export type NpcProposal = z.infer<typeof NpcProposal>;

/** Harmless kinds only: no weapons, armour, keys or containers, which the world's rules rely on. */
export const GENERATED_ITEM_KINDS = ["treasure", "readable", "tool", "food", "drink"] as const;

export const ItemProposal = z.object({
  name: Name,
  description: Text,
  kind: z.enum(GENERATED_ITEM_KINDS),
  /** What a readable item says. Every kind has the field, so the schema stays flat; others leave it empty. */
  text: z.string().max(MAX_TEXT_LENGTH),
});
export type ItemProposal = z.infer<typeof ItemProposal>;

export const LocationProposal = z.object({
  name: Name,
  description: Text,
  features: z.array(z.object({ name: Word, description: Text })).max(3),
});
export type LocationProposal = z.infer<typeof LocationProposal>;

export const QuestProposal = z.object({
  name: Name,
  description: Text,
  stages: z.array(Line).length(3),
});
export type QuestProposal = z.infer<typeof QuestProposal>;

export const PROPOSAL_SCHEMAS = {
  npc: NpcProposal,
  item: ItemProposal,
  quest: QuestProposal,
  location: LocationProposal,
} as const;

export type ProposalOf<K extends ContentKind> = z.infer<(typeof PROPOSAL_SCHEMAS)[K]>;
export type ContentProposal = ProposalOf<ContentKind>;

/** What a `content-requested` event asks for; the event itself can be passed as one. */
export const ContentRequest = z.object({
  requestId: z.string().regex(REQUEST_ID),
  content: ContentKind,
  at: z.string(),
  hint: z.string().optional(),
});
export type ContentRequest = z.infer<typeof ContentRequest>;

export type AddContentResult =
  | {
      readonly ok: true;
      readonly state: GameState;
      /** `content-added`, and for a quest its `quest-started`: append them to the turn's events. */
      readonly events: GameEvent[];
      /** The new thing's id (the request id). */
      readonly id: string;
      /** The proposal as it entered the game: its words cleaned (whitespace, articles). */
      readonly proposal: ContentProposal;
    }
  | {
      readonly ok: false;
      /** The state given, unchanged. */
      readonly state: GameState;
      readonly events: readonly [];
      /** Why, in words fit to show the inventor; never longer than a few lines. */
      readonly problems: string[];
    };

// ---------------------------------------------------------------- requests (inside a turn)

/** Directions a side location may open in: each has a plain opposite for the way back. */
const SIDE_DIRECTIONS: readonly Direction[] = [
  "north", "east", "south", "west", "northeast", "northwest", "southeast", "southwest", "up", "down",
];

const OPPOSITE: Readonly<Record<Direction, Direction>> = {
  north: "south", south: "north", east: "west", west: "east",
  northeast: "southwest", southwest: "northeast", northwest: "southeast", southeast: "northwest",
  up: "down", down: "up", in: "out", out: "in",
};

/** The first direction in which a location has no exit (hidden ones count), if any. */
export function freeDirection(world: WorldPack, location: string): Direction | undefined {
  const loc = own(world.locations, location);
  if (!loc) return undefined;
  return SIDE_DIRECTIONS.find((d) => !loc.exits.some((e) => e.direction === d));
}

/**
 * Adds a `content-requested` event to the turn. A request that could never be met (no such place,
 * or no free direction for a side location) is dropped here rather than sent to a model.
 */
export function requestContent(t: Turn, content: ContentKind, at: string, hint: string | undefined): void {
  if (!own(t.world.locations, at)) return;
  if (content === "location" && freeDirection(t.world, at) === undefined) return;
  const n = t.events.filter((e) => e.kind === "content-requested").length;
  t.events.push({
    kind: "content-requested",
    requestId: `gen-${t.state.turn}-${n}`,
    content,
    at,
    ...(hint === undefined ? {} : { hint }),
  });
}

/**
 * Requests a side location for every `unexplored` location the player saw for the first time this
 * turn. The first sight is recorded in `visited`, so each asks once per game; the starting
 * location is visited before play begins, and never asks.
 */
export function requestUnexplored(t: Turn): void {
  const firstSeen = t.events.flatMap((e) => (e.kind === "location-seen" && e.first ? [e.location] : []));
  for (const location of firstSeen) {
    const unexplored = own(t.world.locations, location)?.unexplored;
    if (unexplored) requestContent(t, "location", location, unexplored.hint);
  }
}

// ---------------------------------------------------------------- words

// Breaks and tabs are harmless and models love them; they become spaces.
const WHITESPACE = /\s+/g;
/** Control characters, and invisible or direction-changing ones that could disguise text. */
const FORBIDDEN_CHARS = /[\u0000-\u001f\u007f-\u009f\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/u;
/**
 * Text that talks to a model rather than about the world. Generated words are later read by other
 * models (in scene descriptions), so an inventor must not be able to leave orders for them.
 */
const ADDRESSES_A_MODEL: readonly RegExp[] = [
  /\b(ignore|disregard|forget|override)\b[^.]{0,40}\b(instructions?|prompts?|directives?)\b/i,
  /\bsystem\s+prompt\b/i,
  /<\|[^|]{0,40}\|>|\[\/?INST\]|<<\/?SYS>>|<\/?s>/i,
  /(^|\s)(system|assistant|user)\s*:/i,
];
/** Names are words a player can type: letters, digits, spaces, apostrophes, hyphens, commas, full stops. */
const NAME_SHAPE = /^[\p{L}\p{N}][\p{L}\p{N} '’,.-]*$/u;
const ARTICLE = /^(a|an|the|some)\s+/i;

type Problems = string[];

/** The text with its whitespace tidied, or "" (and a problem) when it cannot be used. */
function cleanText(problems: Problems, label: string, raw: string): string {
  const text = raw.replace(WHITESPACE, " ").trim();
  if (text === "") {
    problems.push(`${label} is empty`);
    return "";
  }
  if (FORBIDDEN_CHARS.test(text)) problems.push(`${label} contains control or invisible characters`);
  else if (ADDRESSES_A_MODEL.some((pattern) => pattern.test(text))) problems.push(`${label} reads like an instruction, not part of the story`);
  return text;
}

/** A name as narration uses it; `common` names lose a leading article ("a hooded stranger"). */
function cleanName(problems: Problems, label: string, raw: string, common: boolean): string {
  const before = problems.length;
  let name = cleanText(problems, label, raw);
  if (problems.length > before) return name;
  if (common) name = name.replace(ARTICLE, "");
  if (!NAME_SHAPE.test(name) || !/\p{L}/u.test(name)) {
    problems.push(`${label} must be a plain name: letters, digits, spaces and ' - , . only`);
  }
  return name;
}

function nameTaken(records: Readonly<Record<string, { readonly name: string }>>, name: string): boolean {
  const wanted = name.toLowerCase();
  return Object.values(records).some((r) => r.name.toLowerCase() === wanted);
}

/** Zod's complaints as short lines; long inputs are never echoed, only where and what. */
function issueLines(error: z.ZodError): string[] {
  const lines = error.issues.slice(0, 8).map((issue) => {
    const where = issue.path.length === 0 ? "the answer" : issue.path.map(String).join(".");
    return `${where}: ${issue.message}`.slice(0, 200);
  });
  if (error.issues.length > 8) lines.push(`and ${error.issues.length - 8} more problems`);
  return lines;
}

// ---------------------------------------------------------------- adding

/** A proposal that passed every check, and how it changes a copy of the state. */
interface Built {
  readonly name: string;
  readonly proposal: ContentProposal;
  readonly write: (next: GameState) => GameEvent[];
}

function fail(problems: Problems, lines: readonly string[]): undefined {
  problems.push(...lines);
  return undefined;
}

function stageId(index: number): string {
  return `stage-${index + 1}`;
}

interface Where {
  readonly world: WorldPack;
  readonly id: string;
  readonly at: string;
}

function buildNpc(w: Where, raw: unknown, problems: Problems): Built | undefined {
  const parsed = NpcProposal.safeParse(raw);
  if (!parsed.success) return fail(problems, issueLines(parsed.error));
  const p = parsed.data;
  const name = cleanName(problems, "name", p.name, true);
  if (name !== "" && nameTaken(w.world.npcs, name)) problems.push(`the name "${name}" is already taken`);
  const description = cleanText(problems, "description", p.description);
  const personality = cleanText(problems, "personality", p.personality);
  const greeting = cleanText(problems, "greeting", p.greeting);
  const topics: NpcProposal["topics"] = [];
  p.topics.forEach((t, i) => {
    const topic = cleanName(problems, `topics.${i}.topic`, t.topic, true).toLowerCase();
    const answer = cleanText(problems, `topics.${i}.answer`, t.answer);
    if (topics.some((other) => other.topic === topic)) problems.push(`topics.${i}.topic: "${topic}" is given twice`);
    topics.push({ topic, answer });
  });
  if (problems.length > 0) return undefined;
  const def = Npc.safeParse({
    name, description, personality, greeting,
    topics: Object.fromEntries(topics.map((t) => [t.topic, t.answer])),
    location: w.at,
    hp: p.hp,
    attack: p.attack,
    defense: p.defense,
    // Whatever the model says about its fighting, a stranger's blows stay light.
    damage: [1, 3],
    disposition: p.disposition,
  });
  if (!def.success) return fail(problems, issueLines(def.error));
  return {
    name,
    proposal: { ...p, name, description, personality, greeting, topics },
    write: (next) => {
      next.content.npcs[w.id] = def.data;
      next.npcs[w.id] = { location: w.at, hp: def.data.hp, disposition: def.data.disposition, alive: true };
      return [];
    },
  };
}

function itemShape(kind: ItemProposal["kind"], text: string): Pick<z.input<typeof Item>, "kind" | "consumable" | "text"> {
  switch (kind) {
    case "food": return { kind: "consumable", consumable: { verb: "eat", heal: SNACK_HEAL } };
    case "drink": return { kind: "consumable", consumable: { verb: "drink", heal: SNACK_HEAL } };
    case "readable": return { kind: "readable", text };
    default: return { kind };
  }
}

function buildItem(w: Where, raw: unknown, problems: Problems): Built | undefined {
  const parsed = ItemProposal.safeParse(raw);
  if (!parsed.success) return fail(problems, issueLines(parsed.error));
  const p = parsed.data;
  // Things are common nouns in narration ("you take the brass compass"), so their names are lower case.
  const name = cleanName(problems, "name", p.name, true).toLowerCase();
  if (name !== "" && nameTaken(w.world.items, name)) problems.push(`the name "${name}" is already taken`);
  const description = cleanText(problems, "description", p.description);
  const readable = p.kind === "readable";
  const text = readable ? cleanText(problems, "text", p.text) : "";
  if (problems.length > 0) return undefined;
  const def = Item.safeParse({ name, description, at: { room: w.at }, ...itemShape(p.kind, text) });
  if (!def.success) return fail(problems, issueLines(def.error));
  return {
    name,
    proposal: { ...p, name, description, text },
    write: (next) => {
      next.content.items[w.id] = def.data;
      next.items[w.id] = { at: { room: w.at }, hidden: false };
      return [];
    },
  };
}

function buildLocation(w: Where, raw: unknown, problems: Problems): Built | undefined {
  const parsed = LocationProposal.safeParse(raw);
  if (!parsed.success) return fail(problems, issueLines(parsed.error));
  const p = parsed.data;
  const direction = freeDirection(w.world, w.at);
  if (direction === undefined) return fail(problems, [`"${w.at}" has no free direction for a new way`]);
  const name = cleanName(problems, "name", p.name, false);
  if (name !== "" && nameTaken(w.world.locations, name)) problems.push(`the name "${name}" is already taken`);
  const description = cleanText(problems, "description", p.description);
  const features: LocationProposal["features"] = [];
  p.features.forEach((f, i) => {
    const fname = cleanName(problems, `features.${i}.name`, f.name, true).toLowerCase();
    const fdescription = cleanText(problems, `features.${i}.description`, f.description);
    if (features.some((other) => other.name === fname)) problems.push(`features.${i}.name: "${fname}" is given twice`);
    features.push({ name: fname, description: fdescription });
  });
  if (problems.length > 0) return undefined;
  const def = Location.safeParse({
    name, description,
    exits: [{ direction: OPPOSITE[direction], to: w.at }],
    features: Object.fromEntries(features.map((f) => [f.name, f.description])),
  });
  const way = Exit.safeParse({ direction, to: w.id });
  if (!def.success) return fail(problems, issueLines(def.error));
  if (!way.success) return fail(problems, issueLines(way.error));
  return {
    name,
    proposal: { name, description, features },
    write: (next) => {
      next.content.locations[w.id] = def.data;
      next.content.exits.push({ from: w.at, exit: way.data });
      return [];
    },
  };
}

function buildQuest(w: Where, raw: unknown, problems: Problems): Built | undefined {
  const parsed = QuestProposal.safeParse(raw);
  if (!parsed.success) return fail(problems, issueLines(parsed.error));
  const p = parsed.data;
  const name = cleanName(problems, "name", p.name, false);
  if (name !== "" && nameTaken(w.world.quests, name)) problems.push(`the name "${name}" is already taken`);
  const description = cleanText(problems, "description", p.description);
  const stages = p.stages.map((s, i) => cleanText(problems, `stages.${i}`, s));
  if (problems.length > 0) return undefined;
  const def = Quest.safeParse({ name, description, stages: stages.map((text, i) => ({ id: stageId(i), description: text })) });
  if (!def.success) return fail(problems, issueLines(def.error));
  return {
    name,
    proposal: { name, description, stages },
    // Nobody could start a quest the world's rules have never heard of, so it begins at once.
    write: (next) => {
      next.content.quests[w.id] = def.data;
      next.quests[w.id] = { stage: stageId(0), status: "active" };
      return [{ kind: "quest-started", quest: w.id, stage: stageId(0) }];
    },
  };
}

const BUILDERS: Readonly<Record<ContentKind, (w: Where, raw: unknown, problems: Problems) => Built | undefined>> = {
  npc: buildNpc,
  item: buildItem,
  location: buildLocation,
  quest: buildQuest,
};

function idInUse(world: WorldPack, state: GameState, id: string): boolean {
  return [world.locations, world.items, world.npcs, world.quests, state.items, state.npcs, state.quests]
    .some((record) => Object.hasOwn(record, id));
}

/**
 * Why a request cannot be answered whatever is proposed (an empty list when it can): a malformed
 * request, a place that does not exist, an id already used, no free direction for a side location.
 * Check it before asking a model: only a proposal's own problems are worth a second try.
 */
export function requestProblems(world: WorldPack, state: GameState, request: ContentRequest): string[] {
  const req = ContentRequest.safeParse(request);
  if (!req.success) return issueLines(req.error).map((line) => `request ${line}`);
  const { requestId: id, content, at } = req.data;
  const current = effectiveWorld(world, state);
  if (!own(current.locations, at)) return [`the request's place "${at}" is not a location`];
  if (idInUse(current, state, id)) return [`request "${id}" has already been answered`];
  if (content === "location" && freeDirection(current, at) === undefined) return [`"${at}" has no free direction for a new way`];
  return [];
}

/**
 * Puts proposed content into a game, answering `request`. `world` is the world pack (not the
 * effective world); the proposal is anything at all, typically a model's parsed JSON. Pure, never
 * throws: either the content is in the returned state, with the events that tell of it, or the
 * state is returned untouched with the reasons.
 */
export function addContent(world: WorldPack, state: GameState, request: ContentRequest, proposal: unknown): AddContentResult {
  const refuse = (problems: string[]): AddContentResult => ({ ok: false, state, events: [], problems });
  const unanswerable = requestProblems(world, state, request);
  if (unanswerable.length > 0) return refuse(unanswerable);
  const { requestId: id, content, at } = request;
  const current = effectiveWorld(world, state);

  const problems: Problems = [];
  const built = BUILDERS[content]({ world: current, id, at }, proposal, problems);
  if (!built) return refuse(problems);

  const next = copyState(state);
  const events: GameEvent[] = [{ kind: "content-added", requestId: id, content, id, name: built.name, at }, ...built.write(next)];
  // The last word: whatever slipped past the checks above, a state that breaks an invariant is
  // never returned. Only new problems count, so an already damaged save can still grow.
  const after = stateProblems(effectiveWorld(world, next), next);
  if (after.length > 0) {
    const before = new Set(stateProblems(current, state));
    const fresh = after.filter((p) => !before.has(p));
    if (fresh.length > 0) return refuse(fresh.map((p) => `the content would break the game: ${p}`));
  }
  return { ok: true, state: next, events, id, proposal: built.proposal };
}
