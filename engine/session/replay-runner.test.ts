import { describe, expect, it } from "vitest";
import type { RouterResult, TaskRequest } from "../llm/index.js";
import type { ModelCall } from "../store/index.js";
import { RecordingRunner } from "./recording-runner.js";
import { ReplayDivergence, ReplayRunner } from "./replay-runner.js";

/** The replayer answers exactly what the recorder stored, and nothing else. */

const NARRATION: TaskRequest = {
  type: "narration",
  complexity: "routine",
  messages: [{ role: "system", content: "You narrate." }, { role: "user", content: "Turn 1.\nThe player typed: look\nThe scene: a green." }],
};
const JUDGE: TaskRequest = {
  type: "rule-judging",
  complexity: "routine",
  messages: [{ role: "user", content: "Question: was the player rude?" }],
  jsonSchema: { type: "object", properties: { verdict: { type: "boolean" } } },
};

const ANSWERED: RouterResult = {
  ok: true, text: "The green is quiet.", slot: "utility", complexity: "routine", provider: "openrouter", model: "some/model",
  usage: { inputTokens: 12, outputTokens: 5 }, costUsd: 0.001, latencyMs: 40, firstTokenMs: 9, totalMs: 45, cached: false, attempts: 1, errors: [],
};
const VERDICT: RouterResult = { ...ANSWERED, text: '{"verdict":true}', json: { verdict: true }, slot: "cot" };
const OFFLINE: RouterResult = {
  ok: false, offline: true, aborted: false, slot: "main", complexity: "routine",
  errors: [{ model: "local:a.gguf", kind: "server", message: "HTTP 500", skipped: false }],
};

/** What a live turn would have stored: the tasks run through the recorder. */
async function record(calls: readonly [TaskRequest, RouterResult][]): Promise<ModelCall[]> {
  const answers = calls.map(([, result]) => result);
  const recorder = new RecordingRunner({ run: async () => answers.shift()! });
  for (const [task] of calls) await recorder.run(task);
  return recorder.take();
}

function streamed(task: TaskRequest): { task: TaskRequest; text: () => string } {
  let text = "";
  return { task: { ...task, onToken: (delta: string) => { text += delta; }, onReset: () => { text = ""; } }, text: () => text };
}

describe("ReplayRunner", () => {
  it("answers each recorded call in order: text streamed, JSON parsed, offline as offline", async () => {
    const calls = await record([[NARRATION, ANSWERED], [JUDGE, VERDICT], [NARRATION, OFFLINE]]);
    const runner = new ReplayRunner();
    runner.load(3, calls);

    const narration = streamed(NARRATION);
    const first = await runner.run(narration.task);
    expect(first).toMatchObject({ ok: true, text: "The green is quiet.", slot: "utility", provider: "openrouter", model: "some/model", usage: { inputTokens: 12, outputTokens: 5 }, firstTokenMs: 9 });
    expect(narration.text()).toBe("The green is quiet.");
    expect(await runner.run(JUDGE)).toMatchObject({ ok: true, json: { verdict: true }, slot: "cot" });
    expect(await runner.run(NARRATION)).toEqual(OFFLINE);
    expect(() => runner.finish()).not.toThrow();
    expect(runner.answered).toBe(3);
  });

  it("a request the record does not have is a divergence carrying the turn and the request", async () => {
    const runner = new ReplayRunner();
    runner.load(7, []);
    const error = await runner.run(NARRATION).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ReplayDivergence);
    expect((error as ReplayDivergence).divergence).toMatchObject({ turn: 7, problem: "unrecorded", seq: 0, task: "narration" });
    expect((error as ReplayDivergence).divergence.detail.join("\n")).toContain("message 1 (user): Turn 1.");
  });

  it("a different request is a divergence with a line diff of the messages and the fields", async () => {
    const runner = new ReplayRunner();
    runner.load(2, await record([[NARRATION, ANSWERED]]));
    const changed: TaskRequest = {
      ...NARRATION,
      complexity: "critical",
      messages: [NARRATION.messages[0]!, { role: "user", content: "Turn 1.\nThe player typed: north\nThe scene: a green." }],
    };
    const error = (await runner.run(changed).catch((e: unknown) => e)) as ReplayDivergence;
    expect(error.divergence).toMatchObject({ turn: 2, problem: "different", seq: 0 });
    expect(error.divergence.detail).toEqual([
      'complexity: "routine" → "critical"',
      "message 1 (user):",
      "  @@ line 1",
      "    Turn 1.",
      "  - The player typed: look",
      "  + The player typed: north",
      "    The scene: a green.",
    ]);
    // Thrown once, it is thrown again at the end of the turn, in case story code swallowed it.
    expect(() => runner.finish()).toThrow(ReplayDivergence);
  });

  it("recorded calls left unasked at the end of the turn are a divergence", async () => {
    const runner = new ReplayRunner();
    runner.load(4, await record([[NARRATION, ANSWERED], [JUDGE, VERDICT]]));
    await runner.run(NARRATION);
    expect(() => runner.finish()).toThrow(ReplayDivergence);
    try {
      runner.finish();
    } catch (error) {
      expect((error as ReplayDivergence).divergence).toMatchObject({ turn: 4, problem: "unasked", seq: 1, task: "rule-judging" });
    }
  });

  it("a damaged record is reported as unreadable, not answered", async () => {
    const [call] = await record([[NARRATION, ANSWERED]]);
    const runner = new ReplayRunner();
    runner.load(1, [{ ...call!, response: { ok: true, text: 42 } }]);
    await expect(runner.run(NARRATION)).rejects.toMatchObject({ divergence: { problem: "unreadable", seq: 0 } });
    runner.load(1, [{ ...call!, slot: "turbo" }]);
    await expect(runner.run(NARRATION)).rejects.toMatchObject({ divergence: { problem: "unreadable", detail: ['its slot "turbo" is not a slot'] } });
  });
});
