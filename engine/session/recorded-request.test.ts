import { describe, expect, it } from "vitest";
import { taskFingerprint, type JsonSchema, type TaskRequest } from "../llm/index.js";
import { fingerprinted, recordedRequest } from "./recorded-request.js";

const schema: JsonSchema = { type: "object", properties: { verdict: { type: "string" } }, required: ["verdict"] };

const shaping = {
  type: "rule-judging",
  complexity: "moderate",
  messages: [{ role: "system", content: "Judge." }, { role: "user", content: "Can I climb the wall?" }],
  temperature: 0.2,
  maxTokens: 64,
  jsonSchema: schema,
} as const satisfies TaskRequest;

function task(): TaskRequest {
  return {
    ...shaping,
    messages: shaping.messages.map((m) => ({ ...m })),
    signal: new AbortController().signal,
    onToken: () => undefined,
    onReset: () => undefined,
  };
}

describe("recorded requests", () => {
  it("keep what shapes the answer and leave out callbacks and the signal", () => {
    expect(recordedRequest(task())).toEqual(shaping);
  });

  it("are plain JSON the record can keep: the shared schema is copied, not referenced", () => {
    const request = recordedRequest(task());
    expect(request.jsonSchema).not.toBe(schema);
    expect(JSON.parse(JSON.stringify(request))).toEqual(request);
  });

  it("are fingerprinted once per task object, with the fingerprint the recorder always stored", () => {
    const t = task();
    const first = fingerprinted(t);
    expect(fingerprinted(t)).toBe(first);
    expect(first.fingerprint).toBe(taskFingerprint(recordedRequest(t)));
    expect(fingerprinted(task())).not.toBe(first);
    expect(fingerprinted(task()).fingerprint).toBe(first.fingerprint);
  });
});
