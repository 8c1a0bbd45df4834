import { createHash } from "node:crypto";
import { canonicalForm, canonicalJson, type GameState } from "../game/index.js";

/** The identity of a state: equal states hash equal, whatever order their keys were built in. */
export function stateHash(state: GameState): string {
  return sha256Hex(canonicalJson(state));
}

/**
 * A state as a save keeps it: its canonical JSON, that text's hash, and the state read back from
 * the text (records in key order, as every later read gives them). A commit stores this, and a
 * replay, which stores nothing, compares against it: both get it from here.
 */
export function storedForm(state: GameState): { readonly json: string; readonly stateHash: string; readonly state: GameState } {
  const form = canonicalForm(state);
  return { json: form.json, stateHash: sha256Hex(form.json), state: form.value };
}

export function sha256Hex(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}
