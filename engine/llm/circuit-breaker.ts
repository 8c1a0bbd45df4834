import { z } from "zod";
import type { LlmErrorKind } from "./errors.js";
import type { Clock } from "./retry.js";

/**
 * One per model. A model that keeps failing is left alone for a while instead of being asked
 * (and waited for) on every turn:
 *
 *   closed ── N consecutive failures ──▶ open ── cool-down over ──▶ half-open (one probe call)
 *   half-open ── probe succeeds ──▶ closed;   half-open ── probe fails ──▶ open (cool-down anew)
 */

export const CircuitPolicy = z.strictObject({
  failureThreshold: z.number().int().min(1).default(3),
  cooldownMs: z.number().int().min(0).default(30_000),
});
export type CircuitPolicy = z.infer<typeof CircuitPolicy>;

export type CircuitState = "closed" | "open" | "half-open";

/**
 * Failures that say nothing about the model's health: the caller cancelled, or the request itself
 * was wrong for it (too long, or refused as invalid). Those must not shut a healthy model out.
 */
const NOT_THE_MODELS_FAULT: ReadonlySet<LlmErrorKind> = new Set(["aborted", "context-overflow", "invalid-request"]);

export function countsAgainstModel(kind: LlmErrorKind): boolean {
  return !NOT_THE_MODELS_FAULT.has(kind);
}

export class CircuitBreaker {
  #state: CircuitState = "closed";
  #failures = 0;
  #openedAt = 0;
  readonly #clock: Clock;

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  /** The state as of now: an open circuit whose cool-down is over reports half-open. */
  state(policy: CircuitPolicy): CircuitState {
    if (this.#state === "open" && this.#clock.now() - this.#openedAt >= policy.cooldownMs) return "half-open";
    return this.#state;
  }

  /**
   * May a call go to the model now? In half-open, exactly one call (the probe) gets a yes until it
   * reports back; concurrent tasks meanwhile skip the model.
   */
  tryAcquire(policy: CircuitPolicy): boolean {
    switch (this.#state) {
      case "closed":
        return true;
      case "half-open":
        return false;
      case "open":
        if (this.#clock.now() - this.#openedAt < policy.cooldownMs) return false;
        this.#state = "half-open";
        return true;
    }
  }

  onSuccess(): void {
    this.#state = "closed";
    this.#failures = 0;
  }

  onFailure(policy: CircuitPolicy): void {
    this.#failures++;
    if (this.#state === "half-open" || this.#failures >= policy.failureThreshold) {
      this.#state = "open";
      this.#openedAt = this.#clock.now();
    }
  }

  /**
   * The call ended without saying anything about the model (cancelled, or a request it could
   * never take). A probe gives its turn back, so the next task probes instead.
   */
  onNeutral(): void {
    if (this.#state === "half-open") this.#state = "open";
  }
}
