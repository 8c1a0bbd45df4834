import type { WorldPack } from "../world.js";
import type { EntityRef, GameState, ParserMemory } from "../state.js";
import { doorsHere, nameOf, npcsHere, visibleItems } from "../scope.js";
import { entryFor, lexicon, score, type Entry, type Lexicon } from "./lexicon.js";
import { ALL_WORDS, ARTICLES, PRONOUNS, orList, the, type Token } from "./text.js";

/**
 * Noun-phrase resolution: from the words of a phrase to one thing the player can perceive.
 */

export type Kind = "item" | "npc" | "door" | "feature";
export const ANY: readonly Kind[] = ["item", "npc", "door", "feature"];
export const ITEM: readonly Kind[] = ["item"];
export const NPC: readonly Kind[] = ["npc"];

/** Marks, in a command waiting for an answer, where the chosen thing goes. */
export const PLACEHOLDER = "#?";

/** A half-open range of token indexes. */
export interface Span {
  readonly start: number;
  readonly end: number;
}

export interface Slot {
  readonly kinds: readonly Kind[];
  /** Completes "What do you want to …?" and "You can't … the guard." */
  readonly verb: string;
  /** Breaks ties between equally good matches. */
  readonly prefer?: "carried" | "room";
  /** Only things inside this container item. */
  readonly within?: string;
}

export type Pending = NonNullable<ParserMemory["pending"]>;
export type Stop =
  | { readonly type: "unknown"; readonly message: string }
  | { readonly type: "clarify"; readonly question: string; readonly pending: Pending };

/**
 * Thrown to abandon a parse as soon as it cannot go on (nothing by that name, or a question to
 * ask); `parse` catches it, so handlers read as the straight line of a successful parse.
 */
export class Halt {
  constructor(readonly stop: Stop) {}
}

export function fail(message: string): never {
  throw new Halt({ type: "unknown", message });
}

export interface Candidate {
  readonly entry: Entry;
  readonly kind: Kind;
  readonly carried: boolean;
  /** The container item it is in, if any. */
  readonly inside: string | undefined;
}

export function sameRef(a: EntityRef, b: EntityRef): boolean {
  if ("item" in a) return "item" in b && a.item === b.item;
  if ("npc" in a) return "npc" in b && a.npc === b.npc;
  if ("door" in a) return "door" in b && a.door === b.door;
  return "feature" in b && a.feature === b.feature && a.location === b.location;
}

/** Names for a question, with an adjective added where two names alone would be the same. */
function distinctNames(cands: readonly Entry[]): string[] {
  return cands.map((c) => {
    const clash = cands.some((o) => o !== c && o.name.toLowerCase() === c.name.toLowerCase());
    const lower = c.name.toLowerCase();
    const adj = clash ? [...c.adjectives].find((a) => !lower.includes(a)) : undefined;
    return the(adj ? `${adj} ${c.name}` : c.name);
  });
}

export function question(lead: string, cands: readonly Entry[]): string {
  return `${lead}, ${orList(distinctNames(cands))}?`;
}

/** One command being parsed: its words, the world, and what has been resolved so far. */
export class Ctx {
  readonly lex: Lexicon;
  readonly words: readonly string[];
  /** The last thing resolved; becomes memory.it when the parse succeeds. */
  it: EntityRef | undefined;
  #scope: Candidate[] | undefined;

  constructor(
    readonly world: WorldPack,
    readonly state: GameState,
    readonly tokens: readonly Token[],
    readonly text: string,
    it: EntityRef | undefined,
  ) {
    this.lex = lexicon(world);
    this.words = tokens.map((t) => t.w);
    this.it = it;
  }

  word(i: number): string {
    return this.words[i] ?? "";
  }

  /** The words of a span, without articles. */
  phrase(span: Span): string[] {
    const out: string[] = [];
    for (let i = span.start; i < span.end; i++) {
      const w = this.word(i);
      if (!ARTICLES.has(w)) out.push(w);
    }
    return out;
  }

  /** The span as the player typed it, case and inner punctuation kept. */
  raw(span: Span): string {
    const a = this.tokens[span.start];
    const b = this.tokens[span.end - 1];
    return a && b && span.end > span.start ? this.text.slice(a.start, b.end) : "";
  }

  /** Everything the player can refer to here, built once per command and only if needed. */
  scope(): readonly Candidate[] {
    if (this.#scope) return this.#scope;
    const out: Candidate[] = [];
    for (const id of visibleItems(this.world, this.state)) {
      const entry = this.lex.items.get(id);
      const at = this.state.items[id]?.at;
      if (entry && at) out.push({ entry, kind: "item", carried: "player" in at, inside: "in" in at ? at.in : undefined });
    }
    for (const id of npcsHere(this.state)) {
      const entry = this.lex.npcs.get(id);
      if (entry) out.push({ entry, kind: "npc", carried: false, inside: undefined });
    }
    for (const id of doorsHere(this.world, this.state)) {
      const entry = this.lex.doors.get(id);
      if (entry) out.push({ entry, kind: "door", carried: false, inside: undefined });
    }
    for (const entry of this.lex.features.get(this.state.player.location) ?? []) {
      out.push({ entry, kind: "feature", carried: false, inside: undefined });
    }
    this.#scope = out;
    return out;
  }

  nameOf(ref: EntityRef): string {
    return nameOf(this.world, ref);
  }

  /**
   * The best matches of a phrase among allowed kinds, without failing; used to try readings of a
   * sentence ("give guard apple") before committing to one.
   */
  peek(span: Span, kinds: readonly Kind[], within?: string): Candidate[] {
    return this.#match(this.phrase(span), kinds, within).best;
  }

  resolve(span: Span, slot: Slot): EntityRef {
    const found = this.#resolve(span, slot, false)[0];
    if (!found) return fail(`What do you want to ${slot.verb}?`);
    return found;
  }

  resolveItem(span: Span, slot: Slot): string {
    const ref = this.resolve(span, slot);
    return "item" in ref ? ref.item : fail(`You can't ${slot.verb} ${the(this.nameOf(ref))}.`);
  }

  /** Like resolveItem, but a plural ("coins") gives every equally good match instead of asking. */
  resolveItems(span: Span, slot: Slot): string[] {
    const out: string[] = [];
    for (const ref of this.#resolve(span, slot, true)) if ("item" in ref) out.push(ref.item);
    return out;
  }

  /** Ask which NPC is meant when the player named none, unless only one is here. */
  impliedNpc(insertAt: number, insert: readonly string[], lead: string): string {
    const here = this.scope().filter((c) => c.kind === "npc");
    const only = here[0];
    if (!only) return fail("There is no one here.");
    if (here.length === 1 && "npc" in only.entry.ref) {
      this.it = only.entry.ref;
      return only.entry.ref.npc;
    }
    const template = [...this.words.slice(0, insertAt), ...insert, PLACEHOLDER, ...this.words.slice(insertAt)];
    throw new Halt({
      type: "clarify",
      question: question(lead, here.map((c) => c.entry)),
      pending: { command: template.join(" "), word: "", candidates: here.map((c) => c.entry.ref) },
    });
  }

  #resolve(span: Span, slot: Slot, many: boolean): EntityRef[] {
    const phrase = this.phrase(span);
    if (phrase.length === 0) return fail(`What do you want to ${slot.verb}?`);
    const text = phrase.join(" ");
    if (!many && ALL_WORDS.has(phrase[0] ?? "")) return fail(`You can only ${slot.verb} one thing at a time.`);
    const { best, other } = this.#match(phrase, slot.kinds, slot.within);
    if (best.length === 0) {
      if (other) return fail(`You can't ${slot.verb} ${the(other.entry.name)}.`);
      if (phrase.length === 1 && PRONOUNS.has(text)) {
        if (!this.it) return fail(`I'm not sure what "${text}" refers to.`);
        return fail(`You don't see ${the(this.nameOf(this.it))} here.`);
      }
      if (phrase.length === 1 && text.startsWith("#")) return fail("You don't see that here.");
      if (slot.within !== undefined) {
        return fail(`There is no ${text} in ${the(this.lex.items.get(slot.within)?.name ?? slot.within)}.`);
      }
      return fail(`You don't see any ${text} here.`);
    }
    let chosen = best;
    if (chosen.length > 1 && slot.prefer) {
      const carried = slot.prefer === "carried";
      const preferred = chosen.filter((c) => c.carried === carried);
      if (preferred.length > 0) chosen = preferred;
    }
    const first = chosen[0];
    if (chosen.length > 1 && first && chosen.every((c) => c.entry.signature === first.entry.signature)) chosen = [first];
    if (chosen.length > 1 && !(many && this.#plural(phrase, chosen))) {
      const template = [...this.words.slice(0, span.start), PLACEHOLDER, ...this.words.slice(span.end)];
      throw new Halt({
        type: "clarify",
        question: question("Which do you mean", chosen.map((c) => c.entry)),
        pending: { command: template.join(" "), word: text, candidates: chosen.map((c) => c.entry.ref) },
      });
    }
    const last = chosen[chosen.length - 1];
    if (last) this.it = last.entry.ref;
    return chosen.map((c) => c.entry.ref);
  }

  #plural(phrase: readonly string[], chosen: readonly Candidate[]): boolean {
    return chosen.every((c) => score(c.entry, phrase).plural);
  }

  #match(phrase: readonly string[], kinds: readonly Kind[], within: string | undefined): { best: Candidate[]; other: Candidate | undefined } {
    const pool = within === undefined ? this.scope() : this.scope().filter((c) => c.inside === within);
    const only = phrase.length === 1 ? phrase[0] ?? "" : "";
    if (PRONOUNS.has(only) || only.startsWith("#")) {
      const it = PRONOUNS.has(only) ? this.it : undefined;
      const hit = it ? pool.find((c) => sameRef(c.entry.ref, it)) : pool.find((c) => c.entry.token === only);
      if (!hit) return { best: [], other: undefined };
      return kinds.includes(hit.kind) ? { best: [hit], other: undefined } : { best: [], other: hit };
    }
    let best: Candidate[] = [];
    let top = 0;
    let other: Candidate | undefined;
    let otherTop = 0;
    for (const c of pool) {
      const s = score(c.entry, phrase).score;
      if (s === 0) continue;
      if (kinds.includes(c.kind)) {
        if (s > top) {
          top = s;
          best = [c];
        } else if (s === top) best.push(c);
      } else if (s > otherTop) {
        otherTop = s;
        other = c;
      }
    }
    return { best, other };
  }
}

/** The candidate a reply to "Which do you mean…?" picks, if it picks exactly one. */
export function pick(world: WorldPack, pending: Pending, reply: readonly string[]): EntityRef | undefined {
  const ws = reply.filter((w) => w !== "," && w !== "one" && w !== "ones" && !ARTICLES.has(w));
  const cands = pending.candidates;
  const only = ws.length === 1 ? ws[0] ?? "" : "";
  const ordinal = ORDINALS.get(only) ?? (/^\d{1,3}$/.test(only) ? Number(only) : undefined);
  if (ordinal !== undefined) return ordinal === -1 ? cands[cands.length - 1] : cands[ordinal - 1];
  if (ws.length === 0) return undefined;
  const lex = lexicon(world);
  let found: EntityRef | undefined;
  let top = 0;
  let tied = false;
  for (const ref of cands) {
    const entry = entryFor(lex, ref);
    const s = entry ? score(entry, ws).score : 0;
    if (s > top) {
      top = s;
      found = ref;
      tied = false;
    } else if (s === top && s > 0) tied = true;
  }
  return tied ? undefined : found;
}

const ORDINALS: ReadonlyMap<string, number> = new Map([
  ["first", 1], ["second", 2], ["third", 3], ["fourth", 4], ["fifth", 5],
  ["sixth", 6], ["seventh", 7], ["eighth", 8], ["ninth", 9], ["tenth", 10],
  ["1st", 1], ["2nd", 2], ["3rd", 3], ["4th", 4], ["5th", 5],
  ["either", 1], ["any", 1], ["whichever", 1], ["last", -1],
]);

export function tokenOf(lex: Lexicon, ref: EntityRef): string {
  return entryFor(lex, ref)?.token ?? "";
}
