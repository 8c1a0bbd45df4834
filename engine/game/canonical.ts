/**
 * JSON with object keys sorted at every level, so equal states serialise to equal text and hash
 * to equal values whatever order their keys were written in.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(copyOf(value, true));
}

/**
 * The canonical JSON of a value, and the value as JSON.parse would read that text back: a deep
 * copy with every object's keys in sorted order. The copy is made on the way to the text anyway,
 * so a caller that needs both is spared parsing the text again.
 */
export function canonicalForm<T>(value: T): { readonly json: string; readonly value: T } {
  const sorted = copyOf(value, true) as T;
  return { json: JSON.stringify(sorted), value: sorted };
}

/**
 * A deep copy of plain data exactly as `JSON.parse(JSON.stringify(value))` gives it: undefined
 * properties dropped, undefined array items and numbers JSON cannot write as null, -0 as 0, and
 * "__proto__" an own key like any other. Walked rather than round-tripped through text, which
 * takes four times as long on a saved state, and the game copies one at every step.
 */
export function jsonCopy<T>(value: T): T {
  return copyOf(value, false) as T;
}

function copyOf(value: unknown, sorted: boolean): unknown {
  if (typeof value === "number") return Number.isFinite(value) ? (value === 0 ? 0 : value) : null;
  if (typeof value !== "object" || value === null) return value;
  if (Array.isArray(value)) {
    const out: unknown[] = new Array(value.length);
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      out[i] = item === undefined ? null : copyOf(item, sorted);
    }
    return out;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  // Most objects are already in order (a state read back from a save is): checking is cheaper than sorting.
  if (sorted && !inOrder(keys)) keys.sort();
  const out: Record<string, unknown> = {};
  for (const key of keys) {
    const item = record[key];
    if (item === undefined) continue;
    if (key === "__proto__") Object.defineProperty(out, key, { value: copyOf(item, sorted), enumerable: true, writable: true, configurable: true });
    else out[key] = copyOf(item, sorted);
  }
  return out;
}

function inOrder(keys: readonly string[]): boolean {
  for (let i = 1; i < keys.length; i++) if (keys[i - 1]! > keys[i]!) return false;
  return true;
}
