/**
 * Turning raw player input into words. The same tokenizer reads world names, so a name and what
 * the player types about it are split and lower-cased the same way.
 */

/** Longer input is cut before any work: nobody types a 500-character command on purpose. */
const MAX_INPUT = 500;

export interface Token {
  /** Lower-cased, with punctuation stripped from both ends; "," stands alone as a separator. */
  readonly w: string;
  /** Offsets into the cleaned text, so quoted speech can be taken back verbatim. */
  readonly start: number;
  readonly end: number;
}

// Control characters (C0, DEL, C1) and the Unicode line separators would corrupt messages.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;
const PIECE = /[^\s,]+|,/g;
// '#' survives at the front so the parser's own reference tokens ("#item:key") stay whole.
const EDGE = /^[^\p{L}\p{N}#]+|[^\p{L}\p{N}]+$/gu;

export function clean(input: string): string {
  const capped = input.length > MAX_INPUT ? input.slice(0, MAX_INPUT) : input;
  return capped.replace(CONTROL, " ").trim();
}

export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  for (const m of text.matchAll(PIECE)) {
    const raw = m[0];
    const start = m.index;
    if (raw === ",") {
      out.push({ w: ",", start, end: start + 1 });
      continue;
    }
    const w = raw.toLowerCase().replace(EDGE, "");
    if (w) out.push({ w, start, end: start + raw.length });
  }
  return out;
}

/** The words of a name or phrase, without separators. */
export function words(text: string): string[] {
  const out: string[] = [];
  for (const t of tokenize(text)) if (t.w !== ",") out.push(t.w);
  return out;
}

/** Ignored wherever they appear in a noun phrase. */
export const ARTICLES: ReadonlySet<string> = new Set(["the", "a", "an", "some", "my", "this", "that", "these", "those"]);
export const PRONOUNS: ReadonlySet<string> = new Set(["it", "them", "him", "her"]);
export const ALL_WORDS: ReadonlySet<string> = new Set(["all", "everything", "every", "both"]);

/** "the rusty key" for things, "Mara" for the properly named. */
export function the(name: string): string {
  return /^\p{Lu}/u.test(name) ? name : `the ${name}`;
}

export function orList(parts: readonly string[]): string {
  if (parts.length <= 1) return parts.join("");
  return `${parts.slice(0, -1).join(", ")} or ${parts[parts.length - 1]}`;
}
