import type { LlmError } from "../errors.js";
import type { Pricing } from "../model-spec.js";
import type { Usage } from "../provider.js";
import type { Halt } from "./http-errors.js";

/** What every cloud provider shares: where keys come from, the per-request deadline, the in-flight limit. */
export interface CloudOptions {
  /** Where keys come from; tests pass their own object. Keys never appear in errors, logs or results. */
  env: Readonly<Record<string, string | undefined>>;
  /** Per request, from the moment it leaves the queue to its last byte; default 60 000. */
  timeoutMs?: number;
  /** Calls in flight per provider instance, default 4; the rest wait their turn. */
  maxConcurrent?: number;
}

export const DEFAULT_TIMEOUT_MS = 60_000;
export const DEFAULT_MAX_CONCURRENT = 4;

/** A key from the environment; blank counts as missing, since a blank key can only fail later. */
export function readKey(env: CloudOptions["env"], name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === "" ? undefined : value;
}

/** Cloud tokenizers are not at hand, so cloud providers estimate. */
export { estimateTokens } from "../tokens.js";

export function priceCost(pricing: Pricing, usage: Usage): number {
  return (usage.inputTokens * pricing.inputPerMillion + usage.outputTokens * pricing.outputPerMillion) / 1_000_000;
}

/** A counting semaphore with a FIFO queue whose waiters can give up through a signal. */
export class Semaphore {
  #free: number;
  readonly #waiters: Array<() => void> = [];

  constructor(limit: number) {
    this.#free = Math.max(1, Math.floor(limit));
  }

  /** Resolves with the function that gives the slot back; rejects if the signal fires first. */
  acquire(signal: AbortSignal): Promise<() => void> {
    if (signal.aborted) return Promise.reject(signal.reason);
    if (this.#free > 0) {
      this.#free--;
      return Promise.resolve(this.#releaser());
    }
    return new Promise((resolve, reject) => {
      const grant = (): void => {
        signal.removeEventListener("abort", giveUp);
        resolve(this.#releaser());
      };
      const giveUp = (): void => {
        const at = this.#waiters.indexOf(grant);
        if (at >= 0) this.#waiters.splice(at, 1);
        reject(signal.reason);
      };
      this.#waiters.push(grant);
      signal.addEventListener("abort", giveUp, { once: true });
    });
  }

  #releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.#waiters.shift();
      if (next === undefined) this.#free++;
      else next();
    };
  }
}

export interface CallControl {
  /** Fires on the caller's abort, the deadline, or dispose; pass it to the SDK. */
  readonly signal: AbortSignal;
  /** performance.now() when complete() was called, for time to first token. */
  readonly startedAt: number;
}

/**
 * Runs each call of one provider instance: waits for a slot, arms the deadline, links the caller's
 * signal, and hands any failure to the provider's classifier together with why the call was halted.
 */
export class CallRunner {
  readonly timeoutMs: number;
  readonly #slots: Semaphore;
  readonly #disposed = new AbortController();

  constructor(options: CloudOptions) {
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.#slots = new Semaphore(options.maxConcurrent ?? DEFAULT_MAX_CONCURRENT);
  }

  async run<T>(
    callerSignal: AbortSignal | undefined,
    body: (control: CallControl) => Promise<T>,
    classify: (error: unknown, halt: Halt | undefined) => LlmError,
  ): Promise<T> {
    const startedAt = performance.now();
    const stop = new AbortController();
    let halt: Halt | undefined;
    const haltWith = (why: Halt): void => {
      halt ??= why;
      stop.abort();
    };
    const onAbort = (): void => haltWith("aborted");
    if (callerSignal?.aborted === true || this.#disposed.signal.aborted) throw classify(undefined, "aborted");
    callerSignal?.addEventListener("abort", onAbort, { once: true });
    this.#disposed.signal.addEventListener("abort", onAbort, { once: true });
    let timer: NodeJS.Timeout | undefined;
    let release: (() => void) | undefined;
    try {
      release = await this.#slots.acquire(stop.signal);
      timer = setTimeout(() => haltWith("timeout"), this.timeoutMs);
      return await body({ signal: stop.signal, startedAt });
    } catch (error) {
      throw classify(error, halt);
    } finally {
      clearTimeout(timer);
      // Whatever the outcome, nothing of this call may keep a connection open (a stream left half read does).
      stop.abort();
      release?.();
      callerSignal?.removeEventListener("abort", onAbort);
      this.#disposed.signal.removeEventListener("abort", onAbort);
    }
  }

  /** Cancels calls in flight and in the queue, and refuses new ones. */
  dispose(): void {
    this.#disposed.abort();
  }
}
