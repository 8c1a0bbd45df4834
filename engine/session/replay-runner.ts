import { z } from "zod";
import {
  Complexity, LLM_ERROR_KINDS, PROVIDER_KINDS, Slot,
  type RouterResult, type TaskRequest,
} from "../llm/index.js";
import { JsonValue, type ModelCall } from "../store/index.js";
import type { TaskRunner } from "../story/index.js";
import { diffRequests, RecordedRequest, type RequestProblem } from "./divergence.js";
import { fingerprinted } from "./recorded-request.js";

/**
 * A TaskRunner that answers from a save's record instead of a model: each request must be the
 * next recorded call of the turn (same fingerprint, in order), and gets that call's response back,
 * streamed through onToken like a live answer. Anything else is a ReplayDivergence — never a
 * live call, which would make a replay depend on whatever model happens to be installed.
 */

/** A request that did not match the record, as the runner sees it (the replay adds the input). */
export interface RequestDivergence {
  readonly turn: number;
  readonly problem: RequestProblem;
  readonly seq: number;
  readonly task: string;
  readonly detail: readonly string[];
}

export class ReplayDivergence extends Error {
  override readonly name = "ReplayDivergence";
  constructor(readonly divergence: RequestDivergence) {
    super(`turn ${divergence.turn}, model call ${divergence.seq} (${divergence.task}): ${divergence.problem}\n${divergence.detail.join("\n")}`);
  }
}

const AttemptErrorRecord = z.object({
  model: z.string(),
  kind: z.enum(LLM_ERROR_KINDS),
  message: z.string(),
  skipped: z.boolean(),
});

/** The response as RecordingRunner stores it. */
const RecordedResponse = z.discriminatedUnion("ok", [
  z.object({ ok: z.literal(true), text: z.string(), json: JsonValue.optional(), complexity: Complexity }),
  z.object({ ok: z.literal(false), aborted: z.boolean(), complexity: Complexity, errors: z.array(AttemptErrorRecord) }),
]);

const Provider = z.enum(PROVIDER_KINDS);

export class ReplayRunner implements TaskRunner {
  #turn = 0;
  #calls: readonly ModelCall[] = [];
  #next = 0;
  #failure: ReplayDivergence | undefined;
  #answered = 0;

  /** Recorded calls answered since the runner was made. */
  get answered(): number {
    return this.#answered;
  }

  /** Arms the runner with one turn's recorded calls, forgetting the previous turn's. */
  load(turn: number, calls: readonly ModelCall[]): void {
    this.#turn = turn;
    this.#calls = [...calls].sort((a, b) => a.seq - b.seq);
    this.#next = 0;
    this.#failure = undefined;
  }

  async run(task: TaskRequest): Promise<RouterResult> {
    const seq = this.#next;
    const call = this.#calls[seq];
    const { request: built, fingerprint } = fingerprinted(task);
    if (call === undefined) {
      const messages = built.messages.map((m, i) => `message ${i} (${m.role}): ${firstLine(m.content)}`);
      this.#fail({ problem: "unrecorded", seq, task: task.type, detail: messages });
    }
    if (call.fingerprint !== fingerprint) {
      // Only now is the recorded request read: a replay that matches needs the fingerprint alone.
      const request = RecordedRequest.safeParse(call.request);
      if (!request.success) this.#fail({ problem: "unreadable", seq, task: task.type, detail: [`its request: ${z.prettifyError(request.error)}`] });
      this.#fail({ problem: "different", seq, task: task.type, detail: diffRequests(request.data, built) });
    }
    this.#next++;
    return this.#answer(task, call, seq);
  }

  /**
   * Ends the turn: recorded calls that were not asked for are a divergence too, as is one thrown
   * earlier that story code might have swallowed.
   */
  finish(): void {
    if (this.#failure) throw this.#failure;
    const left = this.#calls.slice(this.#next);
    const first = left[0];
    if (first === undefined) return;
    this.#fail({
      problem: "unasked",
      seq: first.seq,
      task: typeOf(first),
      detail: left.map((c) => `call ${c.seq}: ${typeOf(c)}${lastMessage(c)}`),
    });
  }

  #answer(task: TaskRequest, call: ModelCall, seq: number): RouterResult {
    const response = RecordedResponse.safeParse(call.response);
    const slot = Slot.safeParse(call.slot);
    if (!response.success || !slot.success) {
      const why = !response.success ? `its response: ${z.prettifyError(response.error)}` : `its slot "${call.slot}" is not a slot`;
      this.#fail({ problem: "unreadable", seq, task: task.type, detail: [why] });
    }
    this.#answered++;
    const r = response.data;
    if (!r.ok) {
      return r.aborted
        ? { ok: false, offline: false, aborted: true, slot: slot.data, complexity: r.complexity, errors: r.errors }
        : { ok: false, offline: true, aborted: false, slot: slot.data, complexity: r.complexity, errors: r.errors };
    }
    const provider = Provider.safeParse(call.provider);
    if (!provider.success) this.#fail({ problem: "unreadable", seq, task: task.type, detail: [`its provider "${call.provider}" is not a provider`] });
    // Streaming callers (narration) build their text from the deltas: they must see it as in play.
    task.onToken?.(r.text);
    return {
      ok: true,
      text: r.text,
      ...(r.json === undefined ? {} : { json: r.json }),
      slot: slot.data,
      complexity: r.complexity,
      provider: provider.data,
      model: call.model,
      usage: { inputTokens: call.inputTokens, outputTokens: call.outputTokens },
      costUsd: 0,
      latencyMs: call.latencyMs,
      ...(call.firstTokenMs === null ? {} : { firstTokenMs: call.firstTokenMs }),
      totalMs: call.latencyMs,
      cached: false,
      attempts: 1,
      errors: [],
    };
  }

  #fail(d: Omit<RequestDivergence, "turn">): never {
    this.#failure = new ReplayDivergence({ turn: this.#turn, ...d });
    throw this.#failure;
  }
}

function typeOf(call: ModelCall): string {
  const parsed = RecordedRequest.safeParse(call.request);
  return parsed.success ? parsed.data.type : "unreadable request";
}

function lastMessage(call: ModelCall): string {
  const parsed = RecordedRequest.safeParse(call.request);
  const last = parsed.success ? parsed.data.messages.at(-1) : undefined;
  return last === undefined ? "" : ` — ${last.role}: ${firstLine(last.content)}`;
}

function firstLine(text: string): string {
  const line = text.split("\n").find((l) => l.trim() !== "") ?? "";
  return line.length > 100 ? `${line.slice(0, 99)}…` : line;
}
