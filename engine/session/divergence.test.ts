import { describe, expect, it } from "vitest";
import { diffRequests, diffStates, formatDivergence, lineDiff } from "./divergence.js";

describe("diffStates", () => {
  it("names each changed field by its path, recorded → replayed", () => {
    const recorded = { turn: 4, player: { hp: 20, location: "inn" }, npcs: { hob: { disposition: 10 } }, firedRules: ["a"], "odd-key": 1 };
    const replayed = { turn: 4, player: { hp: 17, location: "inn" }, npcs: { hob: { disposition: 0 } }, firedRules: ["a", "b"], "odd-key": 1 };
    expect(diffStates(recorded, replayed)).toEqual({
      changes: [
        { path: "firedRules[1]", recorded: "(absent)", replayed: '"b"' },
        { path: "npcs.hob.disposition", recorded: "10", replayed: "0" },
        { path: "player.hp", recorded: "20", replayed: "17" },
      ],
      more: 0,
    });
  });

  it("ignores key order, shortens long values and counts what it leaves out", () => {
    expect(diffStates({ a: 1, b: { c: 2, d: 3 } }, { b: { d: 3, c: 2 }, a: 1 }).changes).toEqual([]);
    const long = diffStates({ text: "x".repeat(500) }, { text: "y" });
    expect(long.changes[0]!.recorded.length).toBeLessThanOrEqual(120);
    expect(long.changes[0]!.recorded.endsWith("…")).toBe(true);
    const many = diffStates({ list: Array.from({ length: 50 }, (_, i) => i) }, { list: Array.from({ length: 50 }, (_, i) => -i - 1) }, 10);
    expect(many).toMatchObject({ more: 40 });
    expect(many.changes).toHaveLength(10);
    expect(diffStates({ a: [1] }, { a: { 0: 1 } }).changes).toEqual([{ path: "a", recorded: "[1]", replayed: '{"0":1}' }]);
  });
});

describe("lineDiff and diffRequests", () => {
  it("shows changed lines with one line of context, and where each run starts", () => {
    const a = ["one", "two", "three", "four", "five", "six", "seven"].join("\n");
    const b = ["one", "two", "THREE", "four", "five", "six", "seven", "eight"].join("\n");
    expect(lineDiff(a, b)).toEqual(["@@ line 2", "  two", "- three", "+ THREE", "  four", "@@ line 7", "  seven", "+ eight"]);
    expect(lineDiff("same", "same")).toEqual([]);
  });

  it("compares the fields that shape an answer, then each message", () => {
    const recorded = { type: "narration", messages: [{ role: "system", content: "s" }, { role: "user", content: "a\nb" }], maxTokens: 100 };
    const built = { type: "narration", messages: [{ role: "system", content: "s" }, { role: "user", content: "a\nc" }, { role: "user", content: "more" }] };
    expect(diffRequests(recorded, built)).toEqual([
      "maxTokens: 100 → (absent)",
      "messages: 2 recorded, 3 now",
      "message 1 (user):",
      "  @@ line 1",
      "    a",
      "  - b",
      "  + c",
      "message 2 ((none) → user):",
      "  + more",
    ]);
    expect(diffRequests(recorded, recorded)).toEqual(["the requests are equal, but their fingerprints differ: the fingerprint function changed"]);
  });
});

describe("formatDivergence", () => {
  it("tells the turn, the input and what differs", () => {
    expect(formatDivergence({ kind: "state", turn: 12, input: "take lamp", recordedHash: "a".repeat(64), replayedHash: "b".repeat(64), changes: [{ path: "player.hp", recorded: "20", replayed: "17" }], more: 2 }))
      .toBe([
        'Divergence at turn 12 ("take lamp"): the state differs from the recorded one (recorded aaaaaaaaaaaa…, replayed bbbbbbbbbbbb…).',
        "  (path: recorded → replayed)",
        "  player.hp: 20 → 17",
        "  … and 2 more",
      ].join("\n"));
    expect(formatDivergence({ kind: "request", turn: 3, input: "n", problem: "unrecorded", seq: 1, task: "dialogue", detail: ["message 0 (system): You speak."] }))
      .toBe('Divergence at turn 3 ("n"): the code asks for a dialogue task (call 1), and the record has no answer for it.\n  message 0 (system): You speak.');
    expect(formatDivergence({ kind: "error", turn: 9, input: "wait", message: "boom" })).toBe('Divergence at turn 9 ("wait"): the turn failed: boom');
  });
});
