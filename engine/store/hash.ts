import { createHash } from "node:crypto";
import { canonicalJson, type GameState } from "../game/index.js";

/** The identity of a state: equal states hash equal, whatever order their keys were built in. */
export function stateHash(state: GameState): string {
  return sha256Hex(canonicalJson(state));
}

export function sha256Hex(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}
