import { cutCodePoints, isControl } from "../unseen.js";

/**
 * Model output is untrusted text: before the player sees any of it, control characters go, the
 * ends are trimmed, blank lines are collapsed, and its length is capped. The same filter runs on
 * the stream (delta by delta) and on the finished answer, so what was streamed and what is kept
 * agree except where only the whole answer can tell (runaway repetition, a cut at the cap).
 */

/** No turn's narration, dialogue line or summary is longer than this; past it a model has run away. */
export const MAX_TEXT_CHARS = 8000;

export interface TextFilterOptions {
  /** Defaults to MAX_TEXT_CHARS. */
  readonly maxChars?: number;
  /**
   * Also trims quotation marks at the ends: a character's line is shown inside quotes already,
   * so a model that quotes its own answer would double them.
   */
  readonly trimQuotes?: boolean;
}

const QUOTES = new Set(['"', "\u201c", "\u201d", "\u00ab", "\u00bb"]);

/**
 * The streaming half of sanitizing: feed it deltas, show what `push` returns. The result does
 * not depend on how the text was split into deltas. Leading trimmable characters are dropped;
 * trailing ones are held back until more text follows, so the stream never shows what the
 * finished answer would trim.
 */
export class TextFilter {
  readonly #maxChars: number;
  readonly #trimQuotes: boolean;
  #started = false;
  #held = "";
  #text = "";
  #capped = false;

  constructor(options: TextFilterOptions = {}) {
    this.#maxChars = options.maxChars ?? MAX_TEXT_CHARS;
    this.#trimQuotes = options.trimQuotes ?? false;
  }

  /** Everything shown so far. */
  get text(): string {
    return this.#text;
  }

  /** True once the cap was reached; the rest of the answer is dropped. */
  get capped(): boolean {
    return this.#capped;
  }

  /** Takes a raw delta; returns the part of it that can be shown now (often all, maybe none). */
  push(delta: string): string {
    // Every prompt quotes the recent story through here, so this loop is on a replay's hot path.
    // Runs of printable ASCII pass through as slices of the delta: appending them a character at
    // a time allocated a string per character. Everything else is looked at one by one.
    const out = { shown: "", left: this.#maxChars - this.#text.length };
    let run = -1;
    let i = 0;
    while (i < delta.length && !this.#capped) {
      const code = delta.codePointAt(i) ?? 0;
      const width = code > 0xffff ? 2 : 1;
      if (code > 0x20 && code < 0x7f && !(this.#trimQuotes && code === 0x22)) {
        if (this.#held !== "") {
          // Whitespace held back before this character is shown now; a run cannot be open here.
          this.#emit(out, normalizeSpace(this.#held));
          this.#held = "";
        }
        this.#started = true;
        if (run < 0) run = i;
        i += width;
        continue;
      }
      if (run >= 0) {
        this.#emit(out, delta.slice(run, i));
        run = -1;
        if (this.#capped) break;
      }
      i += width;
      // A tab is a space.
      const shownCode = code === 0x09 ? 0x20 : code;
      const ch = String.fromCodePoint(shownCode);
      if (ch !== "\n" && isControl(shownCode)) continue;
      if (this.#trimmable(ch, shownCode)) {
        if (this.#started) this.#held += ch;
        continue;
      }
      this.#started = true;
      this.#emit(out, this.#held === "" ? ch : normalizeSpace(this.#held) + ch);
      this.#held = "";
    }
    if (run >= 0 && !this.#capped) this.#emit(out, delta.slice(run, i));
    this.#text += out.shown;
    return out.shown;
  }

  /** Adds `piece` to what is shown, or as much of it as fits under the cap. */
  #emit(out: { shown: string; left: number }, piece: string): void {
    if (this.#capped) return;
    if (piece.length <= out.left) {
      out.shown += piece;
      out.left -= piece.length;
      return;
    }
    const part = piece.slice(0, Math.max(0, out.left));
    // The cap counts UTF-16 units; a cut there must not keep half of a surrogate pair.
    out.shown += /[\ud800-\udbff]$/.test(part) ? part.slice(0, -1) : part;
    this.#capped = true;
  }

  #trimmable(ch: string, code: number): boolean {
    if (code > 0x20 && code < 0x7f) return this.#trimQuotes && ch === '"';
    return /\s/u.test(ch) || (this.#trimQuotes && QUOTES.has(ch));
  }
}

/** A whitespace run holding line breaks becomes one line break, or a paragraph break at most. */
function normalizeSpace(run: string): string {
  if (!run.includes("\n")) return run;
  return run.replace(/\s*\n\s*/gu, (m) => ((m.match(/\n/g)?.length ?? 0) >= 2 ? "\n\n" : "\n"));
}

/**
 * The finished half: a whole answer made safe to keep. Returns "" for an answer with nothing
 * worth showing (empty, whitespace, control characters), which callers replace with the
 * engine's own text.
 */
export function sanitizeText(text: string, options: TextFilterOptions = {}): string {
  const filter = new TextFilter(options);
  filter.push(text);
  const collapsed = collapseRepetition(filter.text);
  // Dropping repeats can leave runs of blank lines or a dangling end: filter once more.
  const tidy = new TextFilter(options);
  tidy.push(collapsed);
  return filter.capped ? cutAtBoundary(tidy.text) : tidy.text;
}

/**
 * Small models loop: the same character, word or sentence over and over. A character run longer
 * than ten becomes three, four or more of the same word in a row become one, and a sentence is
 * kept at most twice.
 */
export function collapseRepetition(text: string): string {
  const chars = text.replace(/(\S)\1{10,}/gu, "$1$1$1");
  const words = chars.replace(/(?<![\p{L}\p{N}])([\p{L}\p{N}]+)(?:[\s,;]+\1(?![\p{L}\p{N}])){3,}/giu, "$1");
  const seen = new Map<string, number>();
  const kept: string[] = [];
  for (const piece of words.split(/(?<=[.!?\u2026]["'\u201d\u2019)\]]*\s+|\n)/u)) {
    const key = piece.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, " ").trim();
    const count = (seen.get(key) ?? 0) + 1;
    seen.set(key, count);
    if (key === "" || count <= 2) kept.push(piece);
  }
  return kept.join("");
}

/** A text cut at the cap ends at its last sentence, or at least its last whole word. */
function cutAtBoundary(text: string): string {
  const sentence = /[.!?\u2026]["'\u201d\u2019)\]]*(?=\s)/gu;
  let end = -1;
  for (const m of text.matchAll(sentence)) end = m.index + m[0].length;
  if (end >= text.length / 2) return text.slice(0, end);
  const space = text.search(/\s\S*$/u);
  return space > 0 ? text.slice(0, space) : text;
}

/**
 * Untrusted text (the player's input, words a model wrote earlier) made safe to put inside a
 * prompt's `"""` block: control characters removed, the block's fence unforgeable, length capped.
 */
export function quoteUntrusted(text: string, maxChars = 1000): string {
  // The filter's cap counts UTF-16 units, `maxChars` code points: room for one more than fits.
  const clean = new TextFilter({ maxChars: maxChars * 2 + 2 });
  clean.push(text.replace(/"{3,}/g, '"'));
  const body = clean.text;
  if (body === "") return "(nothing)";
  const cut = cutCodePoints(body, maxChars);
  return cut.cut ? `${cut.text}\u2026` : body;
}
