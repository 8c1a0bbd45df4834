/**
 * Characters that must never reach a prompt or the screen from untrusted text: C0 and C1
 * controls and DEL; the bidirectional marks and overrides, which can make text read differently
 * from what it is; and the invisible zero-width space, word joiner and byte order mark. Zero-width
 * joiners stay: emoji and some scripts need them. One definition for every filter in story/.
 */

/** Invisible characters that change how text reads: dropped outright wherever they appear. */
export function isInvisible(code: number): boolean {
  return code === 0x061c || code === 0x200b || code === 0x200e || code === 0x200f
    || (code >= 0x202a && code <= 0x202e) || (code >= 0x2060 && code <= 0x2069) || code === 0xfeff;
}

/** Controls (line breaks and tabs among them, which callers that keep layout handle first) and invisibles. */
export function isControl(code: number): boolean {
  return code < 0x20 || (code >= 0x7f && code <= 0x9f) || isInvisible(code);
}

/** At most `maxChars` code points of `text`, never half a surrogate pair, and whether it was cut. */
export function cutCodePoints(text: string, maxChars: number): { readonly text: string; readonly cut: boolean } {
  if (text.length <= maxChars) return { text, cut: false };
  // 2n+1 UTF-16 units hold more than n code points whenever the text is longer than n.
  const chars = Array.from(text.slice(0, maxChars * 2 + 1));
  return chars.length > maxChars ? { text: chars.slice(0, maxChars).join(""), cut: true } : { text, cut: false };
}
