import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  addContent, canonicalJson, effectiveWorld, GameEvent, GameState, initialState, stateProblems, WorldPack,
  type ContentKind, type ContentRequest, type ItemProposal, type LocationProposal, type NpcProposal, type QuestProposal,
} from "../../game/index.js";
import { vale, valeInput, valeStart } from "../../game/fixtures/vale.js";
import { contentKind, HUGE, INJECTION, proposalFor } from "../../game/fixtures/proposals.js";
import { loadBuiltInWorld } from "../../worlds/index.js";
import { AppSettings, DEFAULT_ROUTES, fail, hang, Router, say, ScriptedProvider, type Slot } from "../../llm/index.js";
import { toGrammarSchema } from "../../llm/local/json-schema.js";
import { CONTENT_COMPLEXITY, CONTENT_JSON_SCHEMAS, fallbackCount, fallbackProposal, generateContent, type ContentOutcome } from "./index.js";
import { ABORTED, answered, OFFLINE, ScriptedRunner } from "./fixtures/runner.js";

const NPC: NpcProposal = {
  name: "Tamsin Reed",
  description: "A lean woman in a rain-dark coat, a pedlar's pack at her feet.",
  personality: "Wary, dry, quick to laugh once she trusts you.",
  greeting: "Don't stand in the draught, friend.",
  topics: [{ topic: "road", answer: "The causeway floods by night." }],
  disposition: 15, hp: 10, attack: 2, defense: 2,
};
const ITEM: ItemProposal = { name: "brass compass", description: "Its needle trembles toward the fen.", kind: "tool", text: "" };
const LOCATION: LocationProposal = { name: "The Root Cellar", description: "A low room of packed earth.", features: [] };
const QUEST: QuestProposal = { name: "The Pedlar's Debt", description: "Tamsin is owed money.", stages: ["Ask.", "Collect.", "Return."] };
const PROPOSALS = { npc: NPC, item: ITEM, location: LOCATION, quest: QUEST } as const;
const EXPECTED_SLOT: { readonly [K in ContentKind]: Slot } = { item: "utility", npc: "main", location: "main", quest: "cot" };

function request(content: ContentKind, at = "yard", requestId = "gen-1-0"): ContentRequest {
  return { requestId, content, at, hint: "someone passing through" };
}

function accepted(outcome: ContentOutcome): Extract<ContentOutcome, { ok: true }> {
  if (!outcome.ok) throw new Error(`expected content, got: ${outcome.problems.join("; ")}`);
  return outcome;
}

function expectSound(world: WorldPack, outcome: Extract<ContentOutcome, { ok: true }>, before: GameState): void {
  expect(stateProblems(effectiveWorld(world, outcome.state), outcome.state)).toEqual([]);
  GameState.parse(outcome.state);
  for (const event of outcome.events) GameEvent.parse(event);
  // Inventing never rolls the game's dice.
  expect(outcome.state.rng).toEqual(before.rng);
}

describe("generateContent: routing", () => {
  for (const kind of ["item", "npc", "location", "quest"] as const) {
    it(`asks for ${kind === "npc" ? "an NPC" : `a ${kind}`} as ${CONTENT_COMPLEXITY[kind]} content-generation, which goes to the ${EXPECTED_SLOT[kind]} slot`, async () => {
      const settings = AppSettings.parse({
        version: 1,
        slots: { main: [{ provider: "local", file: "main.gguf" }], cot: [{ provider: "local", file: "cot.gguf" }], utility: [{ provider: "local", file: "utility.gguf" }] },
      });
      const providers = {
        main: new ScriptedProvider({ id: "main", then: say(JSON.stringify(PROPOSALS[kind])) }),
        cot: new ScriptedProvider({ id: "cot", then: say(JSON.stringify(PROPOSALS[kind])) }),
        utility: new ScriptedProvider({ id: "utility", then: say(JSON.stringify(PROPOSALS[kind])) }),
      };
      const router = new Router({ settings: () => settings, createProvider: (_spec, slot) => providers[slot] });
      const outcome = accepted(await generateContent(request(kind), { world: vale, state: valeStart(), runner: router }));
      expect(outcome.source).toBe("model");
      expect(outcome.calls).toBe(1);
      const slot = EXPECTED_SLOT[kind];
      for (const [name, provider] of Object.entries(providers)) expect(provider.requests.length, name).toBe(name === slot ? 1 : 0);
      const sent = providers[slot].requests[0];
      expect(sent?.jsonSchema).toEqual(CONTENT_JSON_SCHEMAS[kind]);
      expect(sent?.temperature).toBe(DEFAULT_ROUTES["content-generation"][CONTENT_COMPLEXITY[kind]].temperature);
      // The schema is one a local model's grammar can hold.
      expect(() => toGrammarSchema(CONTENT_JSON_SCHEMAS[kind])).not.toThrow();
    });
  }
});

describe("generateContent", () => {
  it("accepts a valid answer", async () => {
    const runner = new ScriptedRunner([answered(NPC)]);
    const state = valeStart();
    const outcome = accepted(await generateContent(request("npc"), { world: vale, state, runner }));
    expect(outcome).toMatchObject({ source: "model", calls: 1, id: "gen-1-0", refused: [] });
    expect(outcome.events).toEqual([{ kind: "content-added", requestId: "gen-1-0", content: "npc", id: "gen-1-0", name: "Tamsin Reed", at: "yard" }]);
    expect(runner.tasks[0]).toMatchObject({ type: "content-generation", complexity: "moderate", jsonSchema: CONTENT_JSON_SCHEMAS.npc });
    expectSound(vale, outcome, state);
  });

  it("parses the text itself when the runner gives no parsed JSON", async () => {
    const runner = new ScriptedRunner([answered(JSON.stringify(ITEM))]);
    const outcome = accepted(await generateContent(request("item"), { world: vale, state: valeStart(), runner }));
    expect(outcome).toMatchObject({ source: "model", proposal: ITEM });
  });

  it("asks once more, saying what was wrong, and accepts the repair", async () => {
    const bad = { ...NPC, hp: "lots", name: "Guard" };
    const runner = new ScriptedRunner([answered(bad), answered(NPC)]);
    const outcome = accepted(await generateContent(request("npc"), { world: vale, state: valeStart(), runner }));
    expect(outcome).toMatchObject({ source: "repaired", calls: 2, refused: [expect.stringMatching(/^hp: /)] });
    const [first, second] = runner.tasks;
    expect(second?.messages.slice(0, 2)).toEqual(first?.messages);
    expect(second?.messages[2]).toEqual({ role: "assistant", content: JSON.stringify(bad) });
    expect(second?.messages[3]?.role).toBe("user");
    expect(second?.messages[3]?.content).toMatch(/^That answer cannot be used:\n- hp: /);
    expect(second).toMatchObject({ type: "content-generation", complexity: "moderate", jsonSchema: CONTENT_JSON_SCHEMAS.npc });
  });

  it("falls back to table content after two bad answers, the same every time", async () => {
    const run = async (): Promise<Extract<ContentOutcome, { ok: true }>> => {
      const runner = new ScriptedRunner([answered({ name: "" }), answered(INJECTION)]);
      return accepted(await generateContent(request("npc"), { world: vale, state: valeStart(3), runner }));
    };
    const outcome = await run();
    expect(outcome).toMatchObject({ source: "fallback", calls: 2, proposal: fallbackProposal("npc", 3, "gen-1-0", 0) });
    expect(outcome.refused.length).toBeGreaterThan(1);
    expect(canonicalJson(await run())).toBe(canonicalJson(outcome));
    expectSound(vale, outcome, valeStart(3));
  });

  it("falls back at once when no model answers", async () => {
    const runner = new ScriptedRunner([OFFLINE]);
    const outcome = accepted(await generateContent(request("location"), { world: vale, state: valeStart(), runner }));
    expect(outcome).toMatchObject({ source: "fallback", calls: 1 });
    expect(outcome.state.content.exits).toEqual([{ from: "yard", exit: { direction: "south", to: "gen-1-0", hidden: false } }]);
  });

  it("makes no call once cancelled, and still gives content", async () => {
    const controller = new AbortController();
    controller.abort();
    const none = new ScriptedRunner([]);
    expect(accepted(await generateContent(request("quest"), { world: vale, state: valeStart(), runner: none, signal: controller.signal }))).toMatchObject({ source: "fallback", calls: 0 });
    expect(none.tasks).toEqual([]);

    // Cancelled while the model was answering: its bad answer is not worth a repair any more.
    const later = new AbortController();
    const runner = new ScriptedRunner([() => {
      later.abort();
      return answered({ ...QUEST, stages: [] });
    }]);
    const outcome = accepted(await generateContent(request("quest"), { world: vale, state: valeStart(), runner, signal: later.signal }));
    expect(outcome).toMatchObject({ source: "fallback", calls: 1 });
    const aborted = new ScriptedRunner([ABORTED]);
    expect(accepted(await generateContent(request("item"), { world: vale, state: valeStart(), runner: aborted }))).toMatchObject({ source: "fallback", calls: 1 });
  });

  it("through the real router: a cancelled model call ends in fallback with no call after", async () => {
    const settings = AppSettings.parse({ version: 1, slots: { main: [{ provider: "local", file: "m.gguf" }] } });
    const provider = new ScriptedProvider({ script: [hang()] });
    const router = new Router({ settings: () => settings, createProvider: () => provider });
    const controller = new AbortController();
    const pending = generateContent(request("npc"), { world: vale, state: valeStart(), runner: router, signal: controller.signal });
    setTimeout(() => controller.abort(), 10);
    expect(accepted(await pending)).toMatchObject({ source: "fallback", calls: 1 });
    expect(provider.requests).toHaveLength(1);

    const broken = new ScriptedProvider({ script: [fail("auth")] });
    const offline = new Router({ settings: () => settings, createProvider: () => broken });
    expect(accepted(await generateContent(request("npc"), { world: vale, state: valeStart(), runner: offline }))).toMatchObject({ source: "fallback", calls: 1 });
  });

  it("asks nothing for a request that cannot be met", async () => {
    const runner = new ScriptedRunner([]);
    const outcome = await generateContent(request("npc", "nowhere"), { world: vale, state: valeStart(), runner });
    expect(outcome).toEqual({ ok: false, problems: ['the request\'s place "nowhere" is not a location'], calls: 0 });
    expect(runner.tasks).toEqual([]);
  });

  it("shows a runaway answer back to the model only in part", async () => {
    const runner = new ScriptedRunner([answered({ ...NPC, description: HUGE }), OFFLINE]);
    await generateContent(request("npc"), { world: vale, state: valeStart(), runner });
    const repair = runner.tasks[1]?.messages ?? [];
    expect(repair[2]?.content.length).toBeLessThanOrEqual(1501);
    expect(repair[3]?.content).toBe("That answer cannot be used:\n- description: Too big: expected string to have <=1000 characters\n\nAnswer again with one corrected JSON object and nothing else.");
  });

  it("skips fallback names already taken", async () => {
    const taken = fallbackProposal("npc", 1, "gen-1-0", 0).name;
    const world = WorldPack.parse({ ...valeInput, npcs: { ...valeInput.npcs, twin: { ...valeInput.npcs.guard, name: taken } } });
    const outcome = accepted(await generateContent(request("npc"), { world, state: initialState(world, 1), runner: new ScriptedRunner([OFFLINE]) }));
    expect(outcome.proposal).toEqual(fallbackProposal("npc", 1, "gen-1-0", 1));
  });

  it("does not hide a runner that throws (a replay that diverged)", async () => {
    const runner = { run: async (): Promise<never> => { throw new Error("divergence at turn 3"); } };
    await expect(generateContent(request("npc"), { world: vale, state: valeStart(), runner })).rejects.toThrow("divergence at turn 3");
  });
});

describe("fallback content", () => {
  const greyhollow = loadBuiltInWorld();

  it("every table entry is accepted on its own, in the test world and in Greyhollow", () => {
    for (const kind of ["npc", "item", "location", "quest"] as const) {
      expect(fallbackCount(kind)).toBeGreaterThanOrEqual(24);
      for (let i = 0; i < fallbackCount(kind); i++) {
        const proposal = fallbackProposal(kind, 0, "gen-1-0", i);
        for (const [world, at] of [[vale, "yard"], [greyhollow, "inn"]] as const) {
          const result = addContent(world, initialState(world, 0), { requestId: "gen-1-0", content: kind, at }, proposal);
          expect(result.ok ? [] : result.problems, `${kind} ${i}`).toEqual([]);
        }
      }
    }
  });

  it("depends on the seed and the request, and on nothing else", () => {
    const names = new Set<string>();
    for (let seed = 0; seed < 20; seed++) names.add(fallbackProposal("npc", seed, "gen-4-0", 0).name);
    expect(names.size).toBeGreaterThan(5);
    expect(fallbackProposal("item", 9, "gen-2-1", 0)).toEqual(fallbackProposal("item", 9, "gen-2-1", 0));
  });
});

describe("generateContent: hostile models", () => {
  /** What a model may answer: a proposal of any kind (often the wrong one), raw text, or nothing. */
  const reply = (kind: ContentKind) => fc.oneof(
    { weight: 4, arbitrary: proposalFor(kind).map((value) => answered(value)) },
    { weight: 1, arbitrary: contentKind().chain((other) => proposalFor(other)).map((value) => answered(value)) },
    { weight: 1, arbitrary: fc.constantFrom(OFFLINE, ABORTED, answered(INJECTION), answered(HUGE), answered("")) },
  );
  const PLACES = ["yard", "shed", "hall", "cellar", "loft"];

  it("never throw and never produce an invalid state, whatever the model says", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer(),
        fc.array(contentKind().chain((kind) => fc.record({ kind: fc.constant(kind), first: reply(kind), second: reply(kind), place: fc.nat() })), { minLength: 1, maxLength: 6 }),
        async (seed, asks) => {
          let state = valeStart(seed);
          for (const [n, ask] of asks.entries()) {
            const runner = new ScriptedRunner([ask.first, ask.second]);
            const req: ContentRequest = { requestId: `gen-1-${n}`, content: ask.kind, at: PLACES[ask.place % PLACES.length] ?? "yard" };
            const outcome = accepted(await generateContent(req, { world: vale, state, runner }));
            expect(outcome.calls).toBeLessThanOrEqual(2);
            expect(outcome.calls).toBe(runner.tasks.length);
            expectSound(vale, outcome, state);
            state = outcome.state;
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});
