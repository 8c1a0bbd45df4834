import { estimateTokens } from "./tokens.js";
import { LlmError, type LlmErrorKind, type LlmErrorOptions } from "./errors.js";
import { priceUsd } from "./budget.js";
import type { Pricing } from "./model-spec.js";
import type { CompletionRequest, CompletionResult, FinishReason, ModelProvider, ProviderKind, Usage } from "./provider.js";
import { systemSleep, type Sleep } from "./retry.js";

/**
 * A ModelProvider that plays back a script, in process, for testing the router and anything
 * built on it: each call takes the next scripted outcome (an answer, a stream of chunks, an
 * error, a hang until cancelled). It records the requests it was given. Delays go through the
 * injected sleep, so tests decide how time passes.
 */

export interface ScriptedChunk {
  readonly text: string;
  /** Waited before this chunk. */
  readonly delayMs?: number;
}

interface Answer {
  readonly usage?: Usage;
  /** What the provider claims the call cost (as OpenRouter does); otherwise `pricing` decides. */
  readonly costUsd?: number;
  readonly model?: string;
  readonly finishReason?: FinishReason;
}

export type ScriptedOutcome =
  | (Answer & { readonly kind: "text"; readonly text: string; readonly delayMs?: number })
  /** Streams the chunks, then fails with `failWith` if given: a model dying mid-answer. */
  | (Answer & { readonly kind: "stream"; readonly chunks: readonly ScriptedChunk[]; readonly failWith?: LlmError })
  | { readonly kind: "error"; readonly error: LlmError; readonly delayMs?: number }
  /** Never answers. With ignoreAbort it does not even notice cancellation, like a stuck connection. */
  | { readonly kind: "hang"; readonly ignoreAbort?: boolean };

export function say(text: string, answer: Answer & { delayMs?: number } = {}): ScriptedOutcome {
  return { kind: "text", text, ...answer };
}

export function streamed(chunks: readonly (string | ScriptedChunk)[], failWith?: LlmError): ScriptedOutcome {
  const normalized = chunks.map(chunk => (typeof chunk === "string" ? { text: chunk } : chunk));
  return failWith === undefined ? { kind: "stream", chunks: normalized } : { kind: "stream", chunks: normalized, failWith };
}

export function fail(kind: LlmErrorKind, options: LlmErrorOptions & { message?: string } = {}): ScriptedOutcome {
  return { kind: "error", error: new LlmError(kind, options.message ?? `scripted ${kind}`, options) };
}

export function hang(ignoreAbort = false): ScriptedOutcome {
  return { kind: "hang", ignoreAbort };
}

export interface ScriptedProviderOptions {
  /** Defaults to `${kind}:scripted`. */
  readonly id?: string;
  readonly kind?: ProviderKind;
  readonly contextSize?: number;
  /** When set, each answer reports its cost at these prices (unless it gives its own costUsd). */
  readonly pricing?: Pricing;
  readonly script?: readonly ScriptedOutcome[];
  /** Played for every call once the script is used up; without it such a call is an error. */
  readonly then?: ScriptedOutcome;
  readonly sleep?: Sleep;
  /** Keep received requests in `requests` (benchmarks turn it off). Default true. */
  readonly recordRequests?: boolean;
  /**
   * How a cancelled call ends: "throw" an aborted LlmError (the cloud providers), or "finish"
   * with the text so far and finishReason "aborted" (the local provider).
   */
  readonly onAbort?: "throw" | "finish";
}

export class ScriptedProvider implements ModelProvider {
  readonly kind: ProviderKind;
  readonly id: string;
  readonly requests: CompletionRequest[] = [];
  readonly #script: ScriptedOutcome[];
  readonly #then: ScriptedOutcome | undefined;
  readonly #contextSize: number | undefined;
  readonly #pricing: Pricing | undefined;
  readonly #sleep: Sleep;
  readonly #recordRequests: boolean;
  readonly #onAbort: "throw" | "finish";
  #disposed = false;

  constructor(options: ScriptedProviderOptions = {}) {
    this.kind = options.kind ?? "local";
    this.id = options.id ?? `${this.kind}:scripted`;
    this.#script = [...(options.script ?? [])];
    this.#then = options.then;
    this.#contextSize = options.contextSize;
    this.#pricing = options.pricing;
    this.#sleep = options.sleep ?? systemSleep;
    this.#recordRequests = options.recordRequests ?? true;
    this.#onAbort = options.onAbort ?? "throw";
  }

  /** Appends outcomes to the script. */
  push(...outcomes: readonly ScriptedOutcome[]): void {
    this.#script.push(...outcomes);
  }

  get remaining(): number {
    return this.#script.length;
  }

  get disposed(): boolean {
    return this.#disposed;
  }

  contextSize(): number | undefined {
    return this.#contextSize;
  }

  countTokens(text: string): number {
    return estimateTokens(text);
  }

  async complete(request: CompletionRequest): Promise<CompletionResult> {
    if (this.#recordRequests) this.requests.push(request);
    const outcome = this.#script.shift() ?? this.#then;
    if (outcome === undefined) throw new LlmError("invalid-request", `${this.id}: the script is used up`, { provider: this.id });
    let text = "";
    try {
      return await this.#play(outcome, request, delta => (text += delta));
    } catch (error) {
      if (error !== ABORTED || this.#onAbort === "throw") throw error === ABORTED ? abortedError(this.id) : error;
      return { ...this.#result(request, text, {}), finishReason: "aborted" };
    }
  }

  async #play(outcome: ScriptedOutcome, request: CompletionRequest, emitted: (delta: string) => void): Promise<CompletionResult> {
    const signal = request.signal;
    const emit = (delta: string): void => {
      emitted(delta);
      request.onToken?.(delta);
    };
    if (signal?.aborted) throw ABORTED;
    switch (outcome.kind) {
      case "text":
        if (outcome.delayMs !== undefined) await this.#wait(outcome.delayMs, signal);
        emit(outcome.text);
        return this.#result(request, outcome.text, outcome);
      case "stream": {
        let text = "";
        for (const chunk of outcome.chunks) {
          if (chunk.delayMs !== undefined) await this.#wait(chunk.delayMs, signal);
          if (signal?.aborted) throw ABORTED;
          text += chunk.text;
          emit(chunk.text);
        }
        if (outcome.failWith !== undefined) throw outcome.failWith;
        return this.#result(request, text, outcome);
      }
      case "error":
        if (outcome.delayMs !== undefined) await this.#wait(outcome.delayMs, signal);
        throw outcome.error;
      case "hang":
        return new Promise<never>((_, reject) => {
          if (outcome.ignoreAbort || signal === undefined) return;
          signal.addEventListener("abort", () => reject(ABORTED), { once: true });
        });
    }
  }

  async dispose(): Promise<void> {
    this.#disposed = true;
  }

  async #wait(ms: number, signal: AbortSignal | undefined): Promise<void> {
    try {
      await this.#sleep(ms, signal);
    } catch {
      throw ABORTED;
    }
  }

  #result(request: CompletionRequest, text: string, answer: Answer): CompletionResult {
    const usage = answer.usage ?? {
      inputTokens: request.messages.reduce((n, m) => n + this.countTokens(m.content), 0),
      outputTokens: this.countTokens(text),
    };
    const costUsd = answer.costUsd ?? (this.#pricing === undefined ? undefined : priceUsd(this.#pricing, usage.inputTokens, usage.outputTokens));
    return {
      text,
      finishReason: answer.finishReason ?? "stop",
      usage,
      model: answer.model ?? this.id,
      ...(costUsd === undefined ? {} : { costUsd }),
    };
  }
}

// Thrown inside the script player to say "the signal fired"; complete() turns it into the
// configured way of ending.
const ABORTED = Symbol("aborted");

function abortedError(provider: string): LlmError {
  return new LlmError("aborted", "cancelled", { provider });
}

interface Timer {
  readonly at: number;
  readonly seq: number;
  readonly resolve: () => void;
}

/**
 * A clock and a sleep for tests, on virtual time: nothing waits for real. `run(promise)` drives a
 * promise to its end, letting pending work settle and then jumping the clock to the next timer,
 * as if the wait had passed, until the promise settles.
 */
export class VirtualTime {
  #now: number;
  #seq = 0;
  #timers: Timer[] = [];

  constructor(startMs = Date.UTC(2025, 0, 1)) {
    this.#now = startMs;
  }

  readonly now = (): number => this.#now;

  readonly sleep: Sleep = (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const onAbort = (): void => {
        this.#timers = this.#timers.filter(t => t !== timer);
        reject(signal!.reason);
      };
      const timer: Timer = {
        at: this.#now + Math.max(0, ms),
        seq: this.#seq++,
        resolve: () => {
          signal?.removeEventListener("abort", onAbort);
          resolve();
        },
      };
      this.#timers.push(timer);
      signal?.addEventListener("abort", onAbort, { once: true });
    });

  /** Timers waiting. */
  get pending(): number {
    return this.#timers.length;
  }

  /** Moves the clock forward, firing the timers that come due on the way, in order. */
  advance(ms: number): void {
    const until = this.#now + ms;
    for (let next = this.#next(); next !== undefined && next.at <= until; next = this.#next()) this.#fire(next);
    this.#now = until;
  }

  async run<T>(promise: Promise<T>): Promise<T> {
    let settled = false;
    const watched = promise.finally(() => {
      settled = true;
    });
    watched.catch(() => undefined);
    for (;;) {
      await new Promise<void>(resolve => setImmediate(resolve));
      if (settled) return watched;
      const next = this.#next();
      if (next === undefined) throw new Error("VirtualTime.run: the promise waits on something other than virtual time");
      this.#fire(next);
    }
  }

  #next(): Timer | undefined {
    let first: Timer | undefined;
    for (const timer of this.#timers) if (first === undefined || timer.at < first.at || (timer.at === first.at && timer.seq < first.seq)) first = timer;
    return first;
  }

  #fire(timer: Timer): void {
    this.#timers = this.#timers.filter(t => t !== timer);
    this.#now = Math.max(this.#now, timer.at);
    timer.resolve();
  }
}
