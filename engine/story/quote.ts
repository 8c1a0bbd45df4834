/**
 * Text going into a prompt that neither the engine nor the world wrote — what the player typed,
 * and engine lines that repeat it — is untrusted. Prompts put the player's words between
 * `<<<PLAYER` and `PLAYER>>>` and tell the model to treat them as a quote; these helpers make
 * sure such text cannot close that block early, cannot smuggle in control characters, and
 * cannot crowd the prompt out of a small context window.
 */

import { cutCodePoints, isControl, isInvisible } from "./unseen.js";

// The block markers use three angle brackets; a longer run could open or close a block.
const MARKER_RUN = /([<>])\1{2,}/g;

/** One line of text, without marker runs, cut to `maxChars` characters (marked with "…"). */
export function untrusted(text: string, maxChars: number): string {
  // Controls and line separators become spaces, so the text cannot fake the layout of the prompt
  // around it; invisible characters go.
  let visible = "";
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    if (isInvisible(code)) continue;
    visible += isControl(code) || code === 0x2028 || code === 0x2029 ? " " : ch;
  }
  const folded = visible.replace(/\s+/g, " ").trim();
  const cut = cutCodePoints(folded, maxChars);
  return withoutMarkers(cut.cut ? `${cut.text}…` : folded);
}

/**
 * Multi-line text for a prompt that may hold generated content (invented names and places were
 * once model output): its layout is kept, but it cannot open or close a quoted block.
 */
export function withoutMarkers(text: string): string {
  return text.replace(MARKER_RUN, "$1$1");
}
