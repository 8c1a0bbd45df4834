import type { WorldPack } from "../world.js";
import type { EntityRef } from "../state.js";
import { words } from "./text.js";

/**
 * The words that can name each thing in a world. A world pack never changes during play, so the
 * words are computed once per pack and kept in a WeakMap rather than rebuilt on every command.
 */

export interface Words {
  readonly name: string;
  /** Every word of the name and of each alias. */
  readonly words: ReadonlySet<string>;
  /** The last word of the name and of each alias: the noun the player most likely types. */
  readonly heads: ReadonlySet<string>;
  readonly adjectives: ReadonlySet<string>;
}

export interface Entry extends Words {
  readonly ref: EntityRef;
  /** A word that names exactly this thing, used when the parser rewrites a command. */
  readonly token: string;
  /** Equal for things no words can tell apart (two copper coins). */
  readonly signature: string;
}

export interface Lexicon {
  readonly items: ReadonlyMap<string, Entry>;
  readonly npcs: ReadonlyMap<string, Entry>;
  readonly doors: ReadonlyMap<string, Entry>;
  /** Per location, its features in declaration order (the order numbers their tokens). */
  readonly features: ReadonlyMap<string, readonly Entry[]>;
  readonly locations: ReadonlyMap<string, Words>;
}

const cache = new WeakMap<WorldPack, Lexicon>();

function wordsOf(name: string, aliases: readonly string[], adjectives: readonly string[]): Words {
  const all = new Set<string>();
  const heads = new Set<string>();
  for (const phrase of [name, ...aliases]) {
    const ws = words(phrase);
    for (const w of ws) all.add(w);
    const last = ws[ws.length - 1];
    if (last !== undefined) heads.add(last);
  }
  const adj = new Set<string>();
  for (const a of adjectives) for (const w of words(a)) adj.add(w);
  return { name, words: all, heads, adjectives: adj };
}

function entry(ref: EntityRef, token: string, w: Words): Entry {
  const signature = `${w.name.toLowerCase()}|${[...w.adjectives].sort().join(" ")}`;
  return { ...w, ref, token, signature };
}

export function lexicon(world: WorldPack): Lexicon {
  const hit = cache.get(world);
  if (hit) return hit;
  const items = new Map<string, Entry>();
  for (const [id, item] of Object.entries(world.items)) {
    items.set(id, entry({ item: id }, `#item:${id}`, wordsOf(item.name, item.aliases, item.adjectives)));
  }
  const npcs = new Map<string, Entry>();
  for (const [id, npc] of Object.entries(world.npcs)) {
    npcs.set(id, entry({ npc: id }, `#npc:${id}`, wordsOf(npc.name, npc.aliases, npc.adjectives)));
  }
  const doors = new Map<string, Entry>();
  for (const door of world.doors) {
    doors.set(door.id, entry({ door: door.id }, `#door:${door.id}`, wordsOf(door.name, door.aliases, [])));
  }
  const features = new Map<string, Entry[]>();
  const locations = new Map<string, Words>();
  for (const [id, loc] of Object.entries(world.locations)) {
    locations.set(id, wordsOf(loc.name, [], []));
    features.set(id, Object.keys(loc.features).map((name, i) =>
      entry({ feature: name, location: id }, `#feature:${id}:${i}`, wordsOf(name, [], []))));
  }
  const lex: Lexicon = { items, npcs, doors, features, locations };
  cache.set(world, lex);
  return lex;
}

export function entryFor(lex: Lexicon, ref: EntityRef): Entry | undefined {
  if ("item" in ref) return lex.items.get(ref.item);
  if ("npc" in ref) return lex.npcs.get(ref.npc);
  if ("door" in ref) return lex.doors.get(ref.door);
  return lex.features.get(ref.location)?.find((f) => "feature" in f.ref && f.ref.feature === ref.feature);
}

export interface Match {
  readonly score: number;
  /** The phrase named this thing in the plural ("coins"), so every equal match is meant. */
  readonly plural: boolean;
}

const NO_MATCH: Match = { score: 0, plural: false };

function singulars(w: string): string[] {
  if (!w.endsWith("s") || w.length < 3) return [];
  const out = [w.slice(0, -1)];
  if (w.endsWith("es")) out.push(w.slice(0, -2));
  if (w.endsWith("ies")) out.push(`${w.slice(0, -3)}y`);
  return out;
}

function isPrefix(set: ReadonlySet<string>, w: string): boolean {
  for (const x of set) if (x.length > w.length && x.startsWith(w)) return true;
  return false;
}

/**
 * How well a phrase names a thing: every word must fit, a head noun counts most, any other word
 * of the name or an adjective less, and a partial word ("lant" for lantern) least. Zero: no match.
 */
export function score(e: Words, phrase: readonly string[]): Match {
  let total = 0;
  let plural = false;
  for (const w of phrase) {
    let q = 0;
    if (e.heads.has(w)) q = 3;
    else if (e.words.has(w) || e.adjectives.has(w)) q = 2;
    else if (singulars(w).some((s) => e.heads.has(s))) {
      q = 3;
      plural = true;
    } else if (w.length >= 3 && (isPrefix(e.words, w) || isPrefix(e.adjectives, w))) q = 1;
    if (q === 0) return NO_MATCH;
    total += q;
  }
  return { score: total, plural };
}
