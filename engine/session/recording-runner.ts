import type { RouterResult, TaskRequest } from "../llm/index.js";
import type { ModelCall } from "../store/index.js";
import type { TaskRunner } from "../story/index.js";
import { fingerprinted } from "./recorded-request.js";

/**
 * Wraps the runner for one turn and keeps every request and answer, so the turn's transaction
 * can store them and a replay can answer the same requests from the save. Nothing secret is in
 * a TaskRequest (keys live in providers), so the record is safe to keep. The answer's JSON is
 * copied: story code goes on to use the object it was given.
 */
export class RecordingRunner implements TaskRunner {
  #calls: ModelCall[] = [];

  constructor(private readonly inner: TaskRunner) {}

  async run(task: TaskRequest): Promise<RouterResult> {
    const { request, fingerprint } = fingerprinted(task);
    const result = await this.inner.run(task);
    this.#calls.push({
      seq: this.#calls.length,
      fingerprint,
      slot: result.slot,
      provider: result.ok ? result.provider : "offline",
      model: result.ok ? result.model : "offline",
      request,
      response: result.ok
        ? { ok: true, text: result.text, ...(result.json === undefined ? {} : { json: JSON.parse(JSON.stringify(result.json)) }), complexity: result.complexity }
        : { ok: false, aborted: result.aborted, complexity: result.complexity, errors: result.errors.map((e) => ({ model: e.model, kind: e.kind, message: e.message, skipped: e.skipped })) },
      inputTokens: result.ok ? result.usage.inputTokens : 0,
      outputTokens: result.ok ? result.usage.outputTokens : 0,
      latencyMs: result.ok ? result.latencyMs : 0,
      firstTokenMs: result.ok ? result.firstTokenMs ?? null : null,
    });
    return result;
  }

  /** The calls recorded since the last take, and a fresh start for the next turn. */
  take(): ModelCall[] {
    const calls = this.#calls;
    this.#calls = [];
    return calls;
  }
}
