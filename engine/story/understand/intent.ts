import { z } from "zod";
import {
  Action, DIRECTIONS, Direction, MANIPULATIONS, doorsHere, exitsHere, visibleItems,
  type EntityRef, type GameState, type WorldPack,
} from "../../game/index.js";
import type { JsonSchema } from "../../llm/index.js";
import { untrusted } from "../quote.js";

/**
 * What a model may say a player means, and how the engine turns that into an Action. The model
 * only names a verb and ids; every id is looked up among what the player can perceive right now,
 * so a model that names something absent or of the wrong sort gets an in-world refusal instead.
 */

/**
 * The action kinds, flattened for a model: "manipulate" becomes its three verbs, because the
 * flat answer has no field for the manipulation.
 */
export const INTENT_VERBS = [
  "go", "look", "examine", "take", "drop", "put", "open", "close", "lock", "unlock", "inventory",
  "talk", "say", "give", "show", "attack", "use", "eat", "drink", "wear", "remove", "search",
  ...MANIPULATIONS, "climb", "wait", "help", "none",
] as const;
export type IntentVerb = (typeof INTENT_VERBS)[number];

/** Caps that keep a local model's constrained answer well inside the route's 256 tokens. */
const ID_CHARS = 48;
const TOPIC_CHARS = 80;
const TEXT_CHARS = 200;
/** What the player says is taken from their input, of which the parser reads this much. */
const SPEECH_CHARS = 500;
/** An Action's topic holds 200 characters; a cut text gains an ellipsis. */
const ASKED_CHARS = 199;

export const INTENT_SCHEMA: JsonSchema = {
  type: "object",
  properties: {
    verb: { enum: [...INTENT_VERBS] },
    target: { type: "string", maxLength: ID_CHARS },
    second: { type: "string", maxLength: ID_CHARS },
    direction: { enum: [...DIRECTIONS] },
    topic: { type: "string", maxLength: TOPIC_CHARS },
    text: { type: "string", maxLength: TEXT_CHARS },
  },
  required: ["verb"],
  additionalProperties: false,
};

// Lenient where models commonly are (null for "not given", extra keys); lengths are not checked
// here because an over-long id simply matches nothing and an over-long text is cut.
const Optional = z.string().nullish();
export const IntentAnswer = z.object({
  verb: z.enum(INTENT_VERBS),
  target: Optional,
  second: Optional,
  direction: Direction.nullish(),
  topic: Optional,
  text: Optional,
});
export type IntentAnswer = z.infer<typeof IntentAnswer>;

export type Mapped =
  | { readonly ok: true; readonly action: Action; readonly it?: EntityRef }
  | { readonly ok: false; readonly message: string };

type Kind = "item" | "npc" | "door" | "feature";

interface Thing {
  readonly kind: Kind;
  readonly ref: EntityRef;
  readonly name: string;
  /** Normalized words that name it: its id, its name, its aliases. */
  readonly keys: readonly string[];
}

/** "the honey cake", but "Hob Tallow": world names written as proper nouns take no article. */
function the(name: string): string {
  const first = name.charAt(0);
  return first !== first.toLowerCase() ? name : `the ${name}`;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function normalize(words: string): string {
  return words.toLowerCase().replace(/[\s_-]+/g, " ").replace(/^(the|a|an) /, "").trim();
}

/** Models fill optional fields with these when they mean "nothing". */
const BLANK = new Set(["", "none", "null", "nothing", "n/a", "undefined"]);

function given(value: string | null | undefined): string | undefined {
  if (value === null || value === undefined) return undefined;
  return BLANK.has(value.trim().toLowerCase()) ? undefined : value;
}

/**
 * A model's words for a thing, fit to repeat to the player ("You don't see any dragon here."):
 * only short plain words, so a model cannot put a speech or an injected message in the refusal.
 */
function shown(words: string): string {
  const n = normalize(words);
  return /^[a-z][a-z0-9 ']{0,39}$/.test(n) ? n : "such thing";
}

/** Everything the player can perceive here that an action may name. */
function perceivable(world: WorldPack, state: GameState): Thing[] {
  const here = state.player.location;
  const out: Thing[] = [];
  for (const id of visibleItems(world, state)) {
    const def = Object.hasOwn(world.items, id) ? world.items[id] : undefined;
    if (def) out.push({ kind: "item", ref: { item: id }, name: def.name, keys: [id, def.name, ...def.aliases].map(normalize) });
  }
  // The dead are still there to look at; `step` tells the player when an action needs them alive.
  for (const [id, npc] of Object.entries(state.npcs)) {
    const def = Object.hasOwn(world.npcs, id) ? world.npcs[id] : undefined;
    if (def && npc.location === here) out.push({ kind: "npc", ref: { npc: id }, name: def.name, keys: [id, def.name, ...def.aliases].map(normalize) });
  }
  for (const id of doorsHere(world, state)) {
    const def = world.doors.find((d) => d.id === id);
    if (def) out.push({ kind: "door", ref: { door: id }, name: def.name, keys: [id, def.name, ...def.aliases].map(normalize) });
  }
  const loc = Object.hasOwn(world.locations, here) ? world.locations[here] : undefined;
  for (const name of Object.keys(loc?.features ?? {})) {
    out.push({ kind: "feature", ref: { feature: name, location: here }, name, keys: [normalize(name)] });
  }
  return out;
}

type Found = { readonly ok: true; readonly thing: Thing } | { readonly ok: false; readonly message: string };

/** An id first (what the prompt asks for), then a name or alias, as models often give those. */
function find(things: readonly Thing[], words: string, kinds: readonly Kind[]): Found {
  const key = normalize(words);
  const byId = things.filter((t) => refId(t.ref) === words.trim());
  const matches = byId.length > 0 ? byId : things.filter((t) => t.keys.includes(key));
  const first = matches[0];
  if (!first) return { ok: false, message: `You don't see any ${shown(words)} here.` };
  const fitting = matches.filter((t) => kinds.includes(t.kind));
  const only = fitting[0];
  if (only && fitting.length === 1) return { ok: true, thing: only };
  if (fitting.length > 1) return { ok: false, message: `Which ${shown(words)} do you mean?` };
  if (kinds.length === 1 && kinds[0] === "npc") return { ok: false, message: `${capitalize(the(first.name))} is not someone you can do that with.` };
  return { ok: false, message: `You can't do that with ${the(first.name)}.` };
}

function refId(ref: EntityRef): string {
  if ("item" in ref) return ref.item;
  if ("npc" in ref) return ref.npc;
  if ("door" in ref) return ref.door;
  return ref.feature;
}

const ANY: readonly Kind[] = ["item", "npc", "door", "feature"];
const ITEM: readonly Kind[] = ["item"];
const NPC: readonly Kind[] = ["npc"];
const OPENABLE: readonly Kind[] = ["item", "door"];

function wordsOf(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

/**
 * Words the player typed, as the model picked them out: what they say aloud, what they ask
 * about. The model may shorten ("tell Hob he is a fool" → "he is a fool"), but a word the
 * player never typed would put words in their mouth — or pick an NPC's topic they never asked
 * about — so then the whole input stands instead, and the engine reads what it needs from it.
 */
function playerWords(modelText: string | undefined, input: string, maxChars: number): string {
  const typed = input.toLowerCase();
  const picked = modelText === undefined ? [] : wordsOf(modelText);
  const fromInput = picked.length > 0 && picked.every((w) => typed.includes(w));
  return untrusted(fromInput && modelText !== undefined ? modelText : input, maxChars);
}

/** An answer that names a command; "none" is answered by the caller, with the parser's message. */
export type CommandAnswer = IntentAnswer & { readonly verb: Exclude<IntentVerb, "none"> };

/** Maps a model's answer to an Action over the things in scope now; refusals are in-world text. */
export function toAction(world: WorldPack, state: GameState, answer: CommandAnswer, input: string): Mapped {
  const things = perceivable(world, state);
  const target = given(answer.target);
  const second = given(answer.second);
  const verb = answer.verb;

  // Resolves a named thing, or says what is missing or wrong with it.
  const need = (words: string | undefined, kinds: readonly Kind[], missing: string): Found =>
    words === undefined ? { ok: false, message: missing } : find(things, words, kinds);
  const maybe = (words: string | undefined, kinds: readonly Kind[]): Found | undefined =>
    words === undefined ? undefined : find(things, words, kinds);
  const done = (candidate: unknown, it?: EntityRef): Mapped => {
    // The last line of defence: whatever was built must be a well-formed Action.
    const parsed = Action.safeParse(candidate);
    if (!parsed.success) return { ok: false, message: "I didn't understand that." };
    return it === undefined ? { ok: true, action: parsed.data } : { ok: true, action: parsed.data, it };
  };
  const what = `What do you want to ${verb}?`;

  switch (verb) {
    case "go": {
      // Models often put the direction in `target` ("north"); that is as good.
      const direction = answer.direction ?? (target === undefined ? undefined : Direction.safeParse(normalize(target)).data);
      if (direction === undefined) return { ok: false, message: "Which way do you want to go?" };
      if (!exitsHere(world, state).some((e) => e.direction === direction)) return { ok: false, message: "You can't go that way." };
      return done({ kind: "go", direction });
    }
    case "look":
    case "inventory":
    case "help":
      return done({ kind: verb });
    case "wait":
      return done({ kind: "wait", minutes: 10 });
    case "examine":
    case "search":
    case "climb": {
      if (verb === "examine" || target !== undefined) {
        const t = need(target, ANY, what);
        if (!t.ok) return t;
        return done({ kind: verb, target: t.thing.ref }, t.thing.ref);
      }
      return done({ kind: verb });
    }
    case "open":
    case "close":
    case "lock":
    case "unlock": {
      const t = need(target, OPENABLE, what);
      if (!t.ok) return t;
      if (verb === "open" || verb === "close") return done({ kind: verb, target: t.thing.ref }, t.thing.ref);
      const key = maybe(second, ITEM);
      if (key && !key.ok) return key;
      return done({ kind: verb, target: t.thing.ref, ...(key ? { key: refId(key.thing.ref) } : {}) }, t.thing.ref);
    }
    case "push":
    case "pull":
    case "turn": {
      const t = need(target, ANY, what);
      if (!t.ok) return t;
      return done({ kind: "manipulate", verb, target: t.thing.ref }, t.thing.ref);
    }
    case "take": {
      const t = need(target, ITEM, what);
      if (!t.ok) return t;
      const from = maybe(second, ITEM);
      if (from && !from.ok) return from;
      return done({ kind: "take", items: [refId(t.thing.ref)], ...(from ? { from: refId(from.thing.ref) } : {}) }, t.thing.ref);
    }
    case "drop":
    case "eat":
    case "drink":
    case "wear":
    case "remove": {
      const t = need(target, ITEM, what);
      if (!t.ok) return t;
      const item = refId(t.thing.ref);
      return done(verb === "drop" ? { kind: "drop", items: [item] } : { kind: verb, item }, t.thing.ref);
    }
    case "put": {
      const t = need(target, ITEM, what);
      if (!t.ok) return t;
      const c = need(second, ITEM, `Where do you want to put ${the(t.thing.name)}?`);
      if (!c.ok) return c;
      const container = refId(c.thing.ref);
      const surface = world.items[container]?.container?.surface === true;
      return done({ kind: "put", item: refId(t.thing.ref), container, preposition: surface ? "on" : "in" }, t.thing.ref);
    }
    case "give":
    case "show": {
      const t = need(target, ITEM, what);
      if (!t.ok) return t;
      const to = need(second, NPC, `Who do you want to ${verb} ${the(t.thing.name)} to?`);
      if (!to.ok) return to;
      return done({ kind: verb, item: refId(t.thing.ref), npc: refId(to.thing.ref) }, t.thing.ref);
    }
    case "attack": {
      const t = need(target, NPC, "Who do you want to attack?");
      if (!t.ok) return t;
      const weapon = maybe(second, ITEM);
      if (weapon && !weapon.ok) return weapon;
      return done({ kind: "attack", npc: refId(t.thing.ref), ...(weapon ? { weapon: refId(weapon.thing.ref) } : {}) }, t.thing.ref);
    }
    case "talk": {
      const t = need(target, NPC, "Who do you want to talk to?");
      if (!t.ok) return t;
      const asked = given(answer.topic);
      const topic = asked === undefined ? undefined : playerWords(asked, input, ASKED_CHARS);
      return done({ kind: "talk", npc: refId(t.thing.ref), ...(topic ? { topic } : {}) }, t.thing.ref);
    }
    case "say": {
      const to = maybe(target, NPC);
      if (to && !to.ok) return to;
      const text = playerWords(given(answer.text), input, SPEECH_CHARS);
      return done({ kind: "say", text, ...(to ? { npc: refId(to.thing.ref) } : {}) }, to?.thing.ref);
    }
    case "use": {
      const t = need(target, ITEM, what);
      if (!t.ok) return t;
      const on = maybe(second, ANY);
      if (on && !on.ok) return on;
      return done({ kind: "use", item: refId(t.thing.ref), ...(on ? { target: on.thing.ref } : {}) }, t.thing.ref);
    }
  }
}
