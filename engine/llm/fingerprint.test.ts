import { createHash } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canonicalJson, fingerprint, taskFingerprint, type FingerprintInput, type TaskIdentity } from "./fingerprint.js";

const base: FingerprintInput = {
  slot: "utility",
  model: "local:a.gguf",
  messages: [{ role: "system", content: "Be brief." }, { role: "user", content: "Hello" }],
  temperature: 0,
  maxTokens: 256,
};

describe("canonicalJson", () => {
  it("sorts keys at every level and leaves out undefined", () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: undefined } })).toBe('{"a":{"d":[3,{"y":2,"z":1}]},"b":1}');
    expect(canonicalJson(["x", null, true, 1.5])).toBe('["x",null,true,1.5]');
    expect(canonicalJson('quote " and \n')).toBe(JSON.stringify('quote " and \n'));
  });

  it("writes a \"__proto__\" key like any other, as JSON.parse reads it", () => {
    const parsed = JSON.parse('{"b": 1, "__proto__": {"polluted": true}}') as unknown;
    expect(canonicalJson(parsed)).toBe('{"__proto__":{"polluted":true},"b":1}');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("refuses values JSON cannot carry", () => {
    expect(() => canonicalJson(Number.NaN)).toThrow(TypeError);
    expect(() => canonicalJson({ a: Infinity })).toThrow(TypeError);
    expect(() => canonicalJson(10n)).toThrow(TypeError);
    expect(() => canonicalJson([undefined])).toThrow(TypeError);
  });
});

describe("fingerprint", () => {
  it("is the sha256 of the request's canonical JSON, stable across versions (saves replay on it)", () => {
    // echo -n '<the JSON below>' | sha256sum
    const json = '{"maxTokens":256,"messages":[{"content":"Be brief.","role":"system"},{"content":"Hello","role":"user"}],"model":"local:a.gguf","slot":"utility","temperature":0}';
    expect(json).toBe(canonicalJson(base));
    expect(fingerprint(base)).toBe("b824e43421aaf3b918021b175a02a020ceb66464c1490c78f77d4fd2bd1ed712");
  });

  it("ignores key order, including inside the JSON schema", () => {
    const one = fingerprint({ ...base, jsonSchema: { type: "object", properties: { a: { type: "string" } } } });
    const two = fingerprint({ ...base, jsonSchema: { properties: { a: { type: "string" } }, type: "object" } });
    expect(one).toBe(two);
  });

  it("changes with every field that shapes the answer", () => {
    const a = fingerprint(base);
    const variants: FingerprintInput[] = [
      { ...base, slot: "main" },
      { ...base, model: "local:b.gguf" },
      { ...base, messages: [{ role: "user", content: "Hello" }] },
      { ...base, messages: [{ role: "system", content: "Be brief." }, { role: "user", content: "Hello!" }] },
      { ...base, messages: [{ role: "system", content: "Be brief." }, { role: "assistant", content: "Hello" }] },
      { ...base, temperature: 0.1 },
      { ...base, maxTokens: 257 },
      { ...base, jsonSchema: { type: "object" } },
    ];
    const all = new Set([a, ...variants.map(fingerprint)]);
    expect(all.size).toBe(variants.length + 1);
  });
});

describe("taskFingerprint", () => {
  const task: fc.Arbitrary<TaskIdentity> = fc.record({
    type: fc.string(),
    complexity: fc.constantFrom("routine", "moderate", "critical"),
    slot: fc.constantFrom("main", "cot", "utility"),
    messages: fc.array(fc.record({ role: fc.constantFrom("system", "user", "assistant"), content: fc.string({ unit: "binary" }) })),
    temperature: fc.double({ noNaN: true, noDefaultInfinity: true }),
    maxTokens: fc.integer(),
    jsonSchema: fc.dictionary(fc.string(), fc.jsonValue()),
  }, { requiredKeys: ["type", "messages"] });

  it("hashes the canonical JSON of the task's fields, whichever are given (recorded saves replay on it)", () => {
    fc.assert(fc.property(task, (t) => {
      const identity = { type: t.type, complexity: t.complexity, slot: t.slot, messages: t.messages.map((m) => ({ role: m.role, content: m.content })), temperature: t.temperature, maxTokens: t.maxTokens, jsonSchema: t.jsonSchema };
      expect(taskFingerprint(t)).toBe(createHash("sha256").update(canonicalJson(identity)).digest("hex"));
    }));
  });

  it("refuses a number JSON cannot carry, as canonicalJson does", () => {
    expect(() => taskFingerprint({ type: "narration", messages: [], temperature: Number.NaN })).toThrow(TypeError);
    expect(() => taskFingerprint({ type: "narration", messages: [], maxTokens: Infinity })).toThrow(TypeError);
  });
});
