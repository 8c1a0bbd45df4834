import { z } from "zod";
import type { LlmError } from "./errors.js";

/**
 * When to try the same model again, and how long to wait first. Time and chance come in from
 * outside (Clock, Sleep, Random) so that tests run instantly and the same way every time.
 */

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

/** Resolves after `ms`; rejects with the signal's reason as soon as the signal aborts. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/** A float in [0, 1). */
export type Random = () => number;

export const systemClock: Clock = { now: () => Date.now() };

export const systemSleep: Sleep = (ms, signal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });

export const RetryPolicy = z.strictObject({
  /** Calls to one model for one task, the first included. */
  maxAttempts: z.number().int().min(1).max(10).default(3),
  /** The backoff ceiling doubles from this with every failed attempt... */
  baseDelayMs: z.number().int().min(0).default(500),
  /** ...up to this. */
  maxDelayMs: z.number().int().min(0).default(8_000),
  /**
   * A server asking for a longer wait than this is not waited for: a turn should not stall that
   * long, so the next model in the chain is tried instead.
   */
  maxRetryAfterMs: z.number().int().min(0).default(20_000),
});
export type RetryPolicy = z.infer<typeof RetryPolicy>;

/**
 * The wait before attempt `failedAttempt + 1` of the same model, or undefined when the model
 * should not be tried again. Errors that will not get better by themselves (auth, invalid
 * request, context overflow, cancellation, bad output) are never retried. Otherwise the server's
 * Retry-After wins; failing that, "full jitter" backoff: a uniform wait between 0 and the
 * exponential ceiling, which spreads out clients that failed together.
 */
export function retryDelay(error: LlmError, failedAttempt: number, policy: RetryPolicy, random: Random): number | undefined {
  if (!error.retryable || failedAttempt >= policy.maxAttempts) return undefined;
  if (error.retryAfterMs !== undefined) {
    return error.retryAfterMs <= policy.maxRetryAfterMs ? Math.max(0, error.retryAfterMs) : undefined;
  }
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (failedAttempt - 1));
  return Math.floor(random() * ceiling);
}
