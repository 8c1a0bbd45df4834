import { taskFingerprint, type JsonSchema, type TaskRequest } from "../llm/index.js";
import type { JsonValue } from "../store/index.js";

/**
 * The part of a task that shapes the answer, as it is stored and fingerprinted: callbacks, the
 * signal and the deadline are left out. The recorder and the replayer both take it from here, so
 * a recorded fingerprint and a replayed one can only differ when the request did. It is built
 * fresh, as plain JSON, so the record can keep it as it is: the messages are new objects, and
 * the schema (a constant the story layer shares between tasks) is copied.
 */
export function recordedRequest(task: TaskRequest) {
  return {
    type: task.type,
    ...(task.complexity === undefined ? {} : { complexity: task.complexity }),
    ...(task.slot === undefined ? {} : { slot: task.slot }),
    messages: task.messages.map((m) => ({ role: m.role, content: m.content })),
    ...(task.temperature === undefined ? {} : { temperature: task.temperature }),
    ...(task.maxTokens === undefined ? {} : { maxTokens: task.maxTokens }),
    ...(task.jsonSchema === undefined ? {} : { jsonSchema: JSON.parse(JSON.stringify(task.jsonSchema)) as JsonSchema & JsonValue }),
  };
}

type RecordedRequestOf = ReturnType<typeof recordedRequest>;

export interface FingerprintedRequest {
  readonly request: RecordedRequestOf;
  readonly fingerprint: string;
}

// A replay wraps the replaying runner in a recording one: both look at the same task object, and
// hashing its prompt twice was a tenth of a replayed turn.
const seen = new WeakMap<TaskRequest, FingerprintedRequest>();

/** The task's recorded request and its fingerprint, worked out once per task object. */
export function fingerprinted(task: TaskRequest): FingerprintedRequest {
  let known = seen.get(task);
  if (known === undefined) {
    const request = recordedRequest(task);
    known = { request, fingerprint: taskFingerprint(request) };
    seen.set(task, known);
  }
  return known;
}
