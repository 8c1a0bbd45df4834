import { z } from "zod";

/**
 * A value that survives JSON.stringify and JSON.parse unchanged: null, booleans, finite numbers,
 * strings, arrays and plain objects of them. zod's own z.json() checks the same through a union
 * per value, which made it the largest single cost of committing a turn with model calls; this
 * walk does it in a tenth of the time.
 */

export type JsonValue = z.core.util.JSONType;

export function isJsonValue(value: unknown): value is JsonValue {
  switch (typeof value) {
    case "string":
    case "boolean":
      return true;
    case "number":
      return Number.isFinite(value);
    case "object": {
      if (value === null) return true;
      if (Array.isArray(value)) return value.every(isJsonValue);
      const proto: unknown = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) return false;
      for (const key in value) if (!isJsonValue((value as Record<string, unknown>)[key])) return false;
      return true;
    }
    default:
      return false;
  }
}

export const JsonValue = z.custom<JsonValue>(isJsonValue, "not plain JSON (only null, booleans, finite numbers, strings, arrays and plain objects)");
