import { describe, expect, it } from "vitest";
import { toGrammarSchema, UnsupportedSchemaError } from "./json-schema.js";

describe("toGrammarSchema", () => {
  it("keeps the shape keywords and drops value constraints and annotations", () => {
    expect(toGrammarSchema({
      $schema: "https://json-schema.org/draft/2020-12/schema",
      title: "NPC",
      type: "object",
      properties: {
        name: { type: "string", minLength: 1, maxLength: 40, pattern: "^[A-Z]" },
        age: { type: "integer", minimum: 0, maximum: 300 },
        born: { type: "string", format: "date" },
        email: { type: "string", format: "email" },
        tags: { type: "array", items: { enum: ["merchant", "guard"] }, maxItems: 3, uniqueItems: true },
      },
      required: ["name", "age"],
      additionalProperties: false,
    })).toEqual({
      type: "object",
      properties: {
        name: { type: "string", minLength: 1, maxLength: 40 },
        age: { type: "integer" },
        born: { type: "string", format: "date" },
        email: { type: "string" },
        tags: { type: "array", items: { enum: ["merchant", "guard"] }, maxItems: 3 },
      },
      required: ["name", "age"],
      additionalProperties: false,
    });
  });

  it("turns anyOf and type lists with objects into oneOf, which node-llama-cpp would otherwise turn into null", () => {
    expect(toGrammarSchema({ anyOf: [{ type: "string" }, { type: "null" }] })).toEqual({ oneOf: [{ type: "string" }, { type: "null" }] });
    expect(toGrammarSchema({ type: ["object", "null"], properties: { a: { type: "boolean" } } })).toEqual({
      oneOf: [{ type: "object", properties: { a: { type: "boolean" } } }, { type: "null" }],
    });
    expect(toGrammarSchema({ type: ["integer", "null"] })).toEqual({ type: ["integer", "null"] });
  });

  it("lets a bare object hold any keys, as JSON Schema means", () => {
    expect(toGrammarSchema({ type: "object" })).toEqual({ type: "object", additionalProperties: true });
  });

  it("keeps $defs at the root and $refs into them", () => {
    expect(toGrammarSchema({
      $defs: { item: { type: "object", properties: { id: { type: "string" } } } },
      type: "array",
      items: { $ref: "#/$defs/item" },
    })).toEqual({
      $defs: { item: { type: "object", properties: { id: { type: "string" } } } },
      type: "array",
      items: { $ref: "#/$defs/item" },
    });
  });

  it.each([
    [{ type: "no-such-type" }, /# has an unknown type "no-such-type"/],
    [{}, /# allows any value/],
    [{ type: "object", properties: { a: { allOf: [{ type: "string" }] } } }, /#\/properties\/a uses "allOf"/],
    [{ type: "object", patternProperties: { "^x": { type: "string" } } }, /uses "patternProperties"/],
    [{ enum: [{ a: 1 }] }, /#\/enum\/0 is an object or list/],
    [{ $ref: "#/definitions/x" }, /does not point into/],
    [{ type: "string", maxLength: -1 }, /maxLength is not a whole number/],
  ])("rejects %j, naming where", (schema, message) => {
    expect(() => toGrammarSchema(schema)).toThrow(UnsupportedSchemaError);
    expect(() => toGrammarSchema(schema)).toThrow(message);
  });
});
