import { afterAll, describe, expect, it } from "vitest";
import { effectiveWorld, GameState, initialState, stateProblems, type ContentRequest } from "../../game/index.js";
import { loadBuiltInWorld } from "../../worlds/index.js";
import type { Router, RouterResult, TaskRequest } from "../../llm/index.js";
import { localTestRouter } from "../../llm/local/test-models.js";
import { CONTENT_JSON_SCHEMAS, generateContent } from "./index.js";
import type { TaskRunner } from "../task-runner.js";

/**
 * The generator with a real GGUF model (stories260K, which ignores instructions): whatever it
 * writes, the game ends up with valid content, either the model's (its JSON held to the schema's
 * shape by the grammar) or the fallback's.
 */

const world = loadBuiltInWorld();
const state = initialState(world, 7);
const REQUEST: ContentRequest = { requestId: "gen-1-0", content: "npc", at: "inn", hint: "a traveller sheltering from the fen" };

/** A runner that keeps what the router answered, to look at the model's own output. */
function recording(router: Router): TaskRunner & { results: RouterResult[] } {
  const results: RouterResult[] = [];
  return {
    results,
    async run(task: TaskRequest): Promise<RouterResult> {
      const result = await router.run(task);
      results.push(result);
      return result;
    },
  };
}

/** Whether a value has every field of the NPC schema, each of the schema's JSON type. */
function hasSchemaShape(value: unknown): boolean {
  const schema = CONTENT_JSON_SCHEMAS.npc as { properties: Record<string, { type: string }>; required: string[] };
  if (value === null || typeof value !== "object" || Array.isArray(value)) return false;
  const fields: Record<string, unknown> = { ...value };
  return schema.required.every((key) => {
    const type = schema.properties[key]?.type;
    const field = fields[key];
    if (type === "integer") return Number.isInteger(field);
    if (type === "array") return Array.isArray(field);
    return typeof field === type;
  });
}

describe("generateContent with a real local model", () => {
  const locals: { dispose(): Promise<void> }[] = [];

  afterAll(async () => {
    for (const local of locals) await local.dispose();
  });

  /** Every slot on stories260K with this context; temperature 0 so the model's answer is the same every run. */
  function router(contextSize: number): Router {
    const route = { maxTokens: 256, temperature: 0 };
    const local = localTestRouter({ contextSize, routes: { "content-generation": { routine: route, moderate: route, critical: route } } });
    locals.push(local);
    return local.router;
  }

  it("generates an NPC in a 512-token context: the prompt does not fit, so fallback content, still valid", async () => {
    const runner = recording(router(512));
    const outcome = await generateContent(REQUEST, { world, state, runner });
    if (!outcome.ok) throw new Error(outcome.problems.join("; "));
    expect(outcome.source).toBe("fallback");
    const first = runner.results[0];
    expect(first?.ok === false && first.errors.map((e) => e.kind)).toEqual(["context-overflow"]);
    expect(stateProblems(effectiveWorld(world, outcome.state), outcome.state)).toEqual([]);
    GameState.parse(outcome.state);
  });

  it("generates an NPC in a context it fits: grammar-shaped JSON, then the model's NPC or the fallback, still valid", async () => {
    const runner = recording(router(2048));
    const outcome = await generateContent(REQUEST, { world, state, runner });
    if (!outcome.ok) throw new Error(outcome.problems.join("; "));
    expect(["model", "repaired", "fallback"]).toContain(outcome.source);
    // The model was really asked, and what it wrote has the schema's shape, because the grammar
    // allowed nothing else; its values (hp 0, say) are what the engine then judges.
    const first = runner.results[0];
    expect(first?.ok).toBe(true);
    if (first?.ok) expect(hasSchemaShape(first.json)).toBe(true);
    for (const problem of outcome.refused) expect(problem).not.toMatch(/Invalid input: expected/);
    expect(stateProblems(effectiveWorld(world, outcome.state), outcome.state)).toEqual([]);
    GameState.parse(outcome.state);
    expect(outcome.state.content.npcs[outcome.id]?.location).toBe("inn");
  });
});
