/**
 * The input line's history, as in a terminal: ↑ walks back through what was typed, ↓ walks
 * forward, and walking past the newest gives back the line being written before ↑ was pressed.
 */
export interface InputHistory {
  readonly entries: readonly string[];
  /** Position while browsing; entries.length when not browsing. */
  readonly position: number;
  /** The unsent line, kept while browsing. */
  readonly pending: string;
}

const LIMIT = 200;

export const EMPTY_HISTORY: InputHistory = { entries: [], position: 0, pending: "" };

export function remember(history: InputHistory, line: string): InputHistory {
  const trimmed = line.trim();
  const entries = trimmed === "" || history.entries.at(-1) === trimmed ? history.entries : [...history.entries, trimmed].slice(-LIMIT);
  return { entries, position: entries.length, pending: "" };
}

/** Where ↑ (-1) or ↓ (+1) leads from the line `current`: the new history and the line to show. */
export function browse(history: InputHistory, current: string, by: -1 | 1): { history: InputHistory; line: string } {
  const position = Math.max(0, Math.min(history.entries.length, history.position + by));
  if (position === history.position) return { history, line: current };
  const pending = history.position === history.entries.length ? current : history.pending;
  const line = position === history.entries.length ? pending : (history.entries[position] ?? "");
  return { history: { entries: history.entries, position, pending }, line };
}
