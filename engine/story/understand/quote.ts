/**
 * Text going into a prompt that neither the engine nor the world wrote — what the player typed,
 * and engine lines that repeat it — is untrusted. Prompts put the player's words between
 * `<<<PLAYER` and `PLAYER>>>` and tell the model to treat them as a quote; these helpers make
 * sure such text cannot close that block early, cannot smuggle in control characters, and
 * cannot crowd the prompt out of a small context window.
 */

// Control characters (C0, DEL, C1) and the Unicode line separators; newlines are folded too, so
// the text cannot fake the layout of the prompt around it.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g;
// The block markers use three angle brackets; a longer run could open or close a block.
const MARKER_RUN = /([<>])\1{2,}/g;

/** One line of text, without marker runs, cut to `maxChars` characters (marked with "…"). */
export function untrusted(text: string, maxChars: number): string {
  const folded = text.replace(CONTROL, " ").replace(/\s+/g, " ").trim();
  // Cut by code point so a cut never leaves half a surrogate pair.
  // 2n+1 UTF-16 units hold more than n code points whenever the text is longer than n.
  const chars = Array.from(folded.slice(0, maxChars * 2 + 1));
  const cut = chars.length > maxChars ? `${chars.slice(0, maxChars).join("")}…` : folded;
  return withoutMarkers(cut);
}

/**
 * Multi-line text for a prompt that may hold generated content (invented names and places were
 * once model output): its layout is kept, but it cannot open or close a quoted block.
 */
export function withoutMarkers(text: string): string {
  return text.replace(MARKER_RUN, "$1$1");
}
