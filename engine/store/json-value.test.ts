import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { z } from "zod";
import { isJsonValue, JsonValue } from "./json-value.js";

describe("isJsonValue", () => {
  it("accepts whatever JSON.parse can give", () => {
    fc.assert(fc.property(fc.jsonValue(), (value) => isJsonValue(JSON.parse(JSON.stringify(value)))));
  });

  it("agrees with zod's z.json() on values JSON cannot carry", () => {
    const odd: unknown[] = [undefined, NaN, Infinity, () => 1, Symbol("s"), 1n, new Date(0), new Map(), [1, undefined], { a: { b: NaN } }, [new Set()]];
    for (const value of odd) {
      expect(isJsonValue(value), String(value)).toBe(false);
      expect(z.json().safeParse(value).success, String(value)).toBe(false);
    }
  });

  it("gives a zod schema with a message that says what is allowed", () => {
    const result = z.object({ request: JsonValue }).safeParse({ request: { t: 0 / 0 } });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toMatch(/not plain JSON/);
  });
});
