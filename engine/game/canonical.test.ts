import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canonicalForm, canonicalJson } from "./canonical.js";

describe("canonical JSON", () => {
  it("is the same text whatever order the keys were written in", () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { f: 2, e: 3 }], c: null } })).toBe('{"a":{"c":null,"d":[1,{"e":3,"f":2}]},"b":1}');
    expect(canonicalJson({ a: { c: null, d: [1, { e: 3, f: 2 }] }, b: 1 })).toBe(canonicalJson({ b: 1, a: { d: [1, { f: 2, e: 3 }], c: null } }));
  });

  it("comes with the value exactly as JSON.parse would read its text back", () => {
    fc.assert(fc.property(fc.jsonValue(), (value) => {
      const form = canonicalForm(value);
      expect(form.json).toBe(canonicalJson(value));
      expect(form.value).toEqual(JSON.parse(form.json));
    }));
    const odd = canonicalForm({ zero: -0, gone: undefined, list: [undefined, -0], ...JSON.parse('{"__proto__": {"x": 1}}') as object });
    expect(odd.value).toEqual(JSON.parse(odd.json));
    expect(Object.keys(odd.value)).toEqual(["__proto__", "list", "zero"]);
    expect(odd.json).toBe('{"__proto__":{"x":1},"list":[null,0],"zero":0}');
  });

  it("shares no object or array with the value it was made from", () => {
    const original = { a: { b: [{ c: 1 }] } };
    const { value } = canonicalForm(original);
    value.a.b[0]!.c = 2;
    expect(original.a.b[0]!.c).toBe(1);
  });
});
