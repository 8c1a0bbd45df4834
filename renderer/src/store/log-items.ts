import type { GameView, LogEntry } from "../../../engine/api/index.js";

/**
 * What the story log shows: the host's turns, and the answers to commands about the game
 * ("save", "undo", ...), which are not turns and are not stored in the save.
 */
export type LogItem =
  | { readonly kind: "entry"; readonly key: string; readonly entry: LogEntry }
  | { readonly kind: "meta"; readonly key: string; readonly input: string; readonly message: string; readonly ok: boolean };

/** The turn being played: what the player typed and the narration streamed so far. */
export interface Draft {
  /** Unknown until the host says the turn has started. */
  readonly turn: number | undefined;
  readonly input: string;
  readonly text: string;
}

export function entryItem(entry: LogEntry): LogItem {
  return { kind: "entry", key: `turn-${entry.turn}`, entry };
}

export function itemsFromLog(log: readonly LogEntry[]): LogItem[] {
  return log.map(entryItem);
}

/**
 * The log with `entry` added. A finished turn arrives twice (the turn-completed event and the
 * answer to game.submit), in either order; the second is ignored.
 */
export function appendEntry(items: readonly LogItem[], entry: LogEntry): readonly LogItem[] {
  for (let i = items.length - 1; i >= 0; i--) {
    const item = items[i];
    if (item?.kind !== "entry") continue;
    if (item.entry.turn === entry.turn) return items;
    if (item.entry.turn < entry.turn) break;
  }
  return [...items, entryItem(entry)];
}

let metaCount = 0;

export function appendMeta(items: readonly LogItem[], input: string, message: string, ok: boolean): readonly LogItem[] {
  metaCount += 1;
  return [...items, { kind: "meta", key: `meta-${metaCount}`, input, message, ok }];
}

/** After "undo" the game is back at an earlier turn: the turns after it are gone. */
export function trimToView(items: readonly LogItem[], view: GameView): readonly LogItem[] {
  const kept = items.filter(item => item.kind !== "entry" || item.entry.turn <= view.turn);
  return kept.length === items.length ? items : kept;
}
