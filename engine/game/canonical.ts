/**
 * JSON with object keys sorted at every level, so equal states serialise to equal text and hash
 * to equal values whatever order their keys were written in.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

/**
 * The canonical JSON of a value, and the value as JSON.parse would read that text back: a deep
 * copy with every object's keys in sorted order. The copy is made on the way to the text anyway,
 * so a caller that needs both is spared parsing the text again.
 */
export function canonicalForm<T>(value: T): { readonly json: string; readonly value: T } {
  const sorted = sortKeys(value) as T;
  return { json: JSON.stringify(sorted), value: sorted };
}

function sortKeys(value: unknown): unknown {
  // -0 is written as 0, so a copy that stands for the text must hold 0.
  if (value === 0) return 0;
  // JSON writes a missing array item as null.
  if (Array.isArray(value)) return value.map((item) => (item === undefined ? null : sortKeys(item)));
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v === undefined) continue;
      // As JSON.parse does: "__proto__" is a key like any other, not the prototype.
      if (key === "__proto__") Object.defineProperty(out, key, { value: sortKeys(v), enumerable: true, writable: true, configurable: true });
      else out[key] = sortKeys(v);
    }
    return out;
  }
  return value;
}

