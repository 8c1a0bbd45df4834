import type { GbnfJsonSchema } from "node-llama-cpp";
import type { JsonSchema } from "../provider.js";

/**
 * Translates a JSON Schema into the subset node-llama-cpp turns into a grammar.
 *
 * node-llama-cpp does not reject what it does not understand: `anyOf`, an unknown `type` or an
 * empty schema silently become a grammar that only allows `null`. So every node is checked here:
 * - shape keywords are kept (type, properties, required, additionalProperties, items, prefixItems,
 *   enum, const, oneOf, $defs/$ref, string lengths, item and property counts, date formats);
 * - `anyOf` becomes `oneOf` and a `type` list naming objects or arrays becomes a `oneOf`, which
 *   generate the same outputs;
 * - value constraints the grammar cannot enforce (pattern, minimum, multipleOf, other formats…)
 *   and annotations are dropped: the output has the right shape, and callers validate values as
 *   they do for every model's output;
 * - keywords that change the shape but have no grammar (allOf, not, if/then, patternProperties…)
 *   and schemas that allow any value are rejected, naming where they occur.
 */

export class UnsupportedSchemaError extends Error {
  override readonly name = "UnsupportedSchemaError";
}

type SchemaObject = { readonly [key: string]: unknown };
type Output = { [key: string]: unknown };

const BASIC_TYPES: ReadonlySet<string> = new Set(["string", "number", "integer", "boolean", "null"]);
const GRAMMAR_FORMATS: ReadonlySet<string> = new Set(["date-time", "time", "date"]);
const REJECTED = [
  "allOf", "not", "if", "then", "else", "dependentRequired", "dependentSchemas", "dependencies",
  "patternProperties", "propertyNames", "unevaluatedProperties", "unevaluatedItems", "contains",
] as const;

export function toGrammarSchema(schema: JsonSchema): GbnfJsonSchema {
  // The checks above make the result one of node-llama-cpp's schema forms.
  return convert(schema, "#", true) as GbnfJsonSchema;
}

function convert(node: unknown, at: string, root = false): Output {
  if (!isObject(node)) throw new UnsupportedSchemaError(`${at} is not a schema object`);
  for (const keyword of REJECTED) {
    if (keyword in node) throw new UnsupportedSchemaError(`${at} uses "${keyword}", which local grammars cannot express`);
  }
  const out: Output = {};
  if (typeof node.description === "string") out.description = node.description;
  if (root && "$defs" in node) out.$defs = convertDefs(node.$defs, `${at}/$defs`);
  else if ("$defs" in node) throw new UnsupportedSchemaError(`${at} has "$defs" below the top level; move them to the root`);
  if ("definitions" in node) throw new UnsupportedSchemaError(`${at} uses "definitions"; use "$defs" for local grammars`);

  if ("$ref" in node) {
    if (typeof node.$ref !== "string" || !node.$ref.startsWith("#/$defs/")) {
      throw new UnsupportedSchemaError(`${at} has a $ref that does not point into "#/$defs/"`);
    }
    return { ...out, $ref: node.$ref };
  }
  if ("const" in node) return { ...out, const: literal(node.const, `${at}/const`) };
  if ("enum" in node) {
    if (!Array.isArray(node.enum) || node.enum.length === 0) throw new UnsupportedSchemaError(`${at}/enum is not a non-empty list`);
    return { ...out, enum: node.enum.map((value, index) => literal(value, `${at}/enum/${index}`)) };
  }
  for (const keyword of ["oneOf", "anyOf"] as const) {
    if (keyword in node) {
      const options = node[keyword];
      if (!Array.isArray(options) || options.length === 0) throw new UnsupportedSchemaError(`${at}/${keyword} is not a non-empty list`);
      return { ...out, oneOf: options.map((option, index) => convert(option, `${at}/${keyword}/${index}`)) };
    }
  }

  const type = node.type;
  if (Array.isArray(type)) {
    if (type.length === 0) throw new UnsupportedSchemaError(`${at}/type is an empty list`);
    if (type.every((name) => typeof name === "string" && BASIC_TYPES.has(name)) && !type.includes("string")) {
      return { ...out, type };
    }
    return { ...out, oneOf: type.map((name, index) => convert({ ...node, type: name, description: undefined }, `${at}/type/${index}`)) };
  }
  if (typeof type !== "string") throw new UnsupportedSchemaError(`${at} allows any value; local grammars need a "type", "enum", "const", "oneOf" or "$ref"`);
  switch (type) {
    case "string":
      return { ...out, ...stringShape(node, at) };
    case "number":
    case "integer":
    case "boolean":
    case "null":
      return { ...out, type };
    case "object":
      return { ...out, ...objectShape(node, at) };
    case "array":
      return { ...out, ...arrayShape(node, at) };
    default:
      throw new UnsupportedSchemaError(`${at} has an unknown type ${JSON.stringify(type)}`);
  }
}

function stringShape(node: SchemaObject, at: string): Output {
  if (typeof node.format === "string" && GRAMMAR_FORMATS.has(node.format)) return { type: "string", format: node.format };
  const out: Output = { type: "string" };
  if ("minLength" in node) out.minLength = count(node.minLength, `${at}/minLength`);
  if ("maxLength" in node) out.maxLength = count(node.maxLength, `${at}/maxLength`);
  return out;
}

function objectShape(node: SchemaObject, at: string): Output {
  const out: Output = { type: "object" };
  if ("properties" in node) {
    if (!isObject(node.properties)) throw new UnsupportedSchemaError(`${at}/properties is not an object`);
    out.properties = Object.fromEntries(
      Object.entries(node.properties).map(([key, value]) => [key, convert(value, `${at}/properties/${pointerPart(key)}`)]),
    );
  }
  if ("required" in node) {
    if (!Array.isArray(node.required) || !node.required.every((key) => typeof key === "string")) {
      throw new UnsupportedSchemaError(`${at}/required is not a list of names`);
    }
    out.required = node.required;
  }
  const additional = node.additionalProperties;
  if (typeof additional === "boolean") out.additionalProperties = additional;
  else if (additional !== undefined) out.additionalProperties = convert(additional, `${at}/additionalProperties`);
  // In JSON Schema a bare "object" means any object; node-llama-cpp would allow only {}.
  else if (!("properties" in node)) out.additionalProperties = true;
  if ("minProperties" in node) out.minProperties = count(node.minProperties, `${at}/minProperties`);
  if ("maxProperties" in node) out.maxProperties = count(node.maxProperties, `${at}/maxProperties`);
  return out;
}

function arrayShape(node: SchemaObject, at: string): Output {
  const out: Output = { type: "array" };
  if ("items" in node && node.items !== true) out.items = convert(node.items, `${at}/items`);
  if ("prefixItems" in node) {
    if (!Array.isArray(node.prefixItems)) throw new UnsupportedSchemaError(`${at}/prefixItems is not a list`);
    out.prefixItems = node.prefixItems.map((item, index) => convert(item, `${at}/prefixItems/${index}`));
  }
  if ("minItems" in node) out.minItems = count(node.minItems, `${at}/minItems`);
  if ("maxItems" in node) out.maxItems = count(node.maxItems, `${at}/maxItems`);
  return out;
}

function convertDefs(defs: unknown, at: string): Output {
  if (!isObject(defs)) throw new UnsupportedSchemaError(`${at} is not an object`);
  return Object.fromEntries(Object.entries(defs).map(([key, value]) => [key, convert(value, `${at}/${pointerPart(key)}`)]));
}

function literal(value: unknown, at: string): string | number | boolean | null {
  if (value === null || typeof value === "string" || typeof value === "number" || typeof value === "boolean") return value;
  throw new UnsupportedSchemaError(`${at} is an object or list; local grammars only match plain values there`);
}

function count(value: unknown, at: string): number {
  if (typeof value === "number" && Number.isInteger(value) && value >= 0) return value;
  throw new UnsupportedSchemaError(`${at} is not a whole number`);
}

function isObject(value: unknown): value is SchemaObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function pointerPart(key: string): string {
  return key.replaceAll("~", "~0").replaceAll("/", "~1");
}
