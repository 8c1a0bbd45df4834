import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canonicalForm, canonicalJson, jsonCopy } from "./canonical.js";

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

  it("copies plain data exactly as a round trip through JSON text does, keys in the order they were", () => {
    const odd = fc.oneof(fc.constant(undefined), fc.constant(-0), fc.constant(Number.NaN), fc.constant(Infinity));
    const data = fc.letrec((tie) => ({
      value: fc.oneof({ depthSize: "small" }, fc.jsonValue(), odd, fc.array(tie("value")), fc.dictionary(fc.oneof(fc.string(), fc.constant("__proto__")), tie("value"))),
    })).value;
    fc.assert(fc.property(data, (item) => {
      const value = { item };
      const copy = jsonCopy(value);
      expect(JSON.stringify(copy)).toBe(JSON.stringify(value));
      expect(copy).toStrictEqual(JSON.parse(JSON.stringify(value)));
    }));
    const proto = jsonCopy(JSON.parse('{"b": 1, "__proto__": {"x": 1}, "a": [-0]}') as object);
    expect(Object.keys(proto)).toEqual(["b", "__proto__", "a"]);
    expect(Object.getPrototypeOf(proto)).toBe(Object.prototype);
  });

  it("shares no object or array with the value it was made from", () => {
    const original = { a: { b: [{ c: 1 }] } };
    for (const value of [canonicalForm(original).value, jsonCopy(original)]) {
      value.a.b[0]!.c = 2;
      expect(original.a.b[0]!.c).toBe(1);
    }
  });
});
