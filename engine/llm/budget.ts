import { z } from "zod";
import type { ModelSpec, Pricing } from "./model-spec.js";
import type { Usage } from "./provider.js";
import type { Clock } from "./retry.js";

/**
 * Spending limits in USD, per UTC day and per session (the life of one Router). A spent budget
 * only takes paid models out of the chains: local models are free, and when nothing is left the
 * router ends offline, so play goes on with the engine's own narration.
 */

export const BudgetLimits = z.strictObject({
  dailyUsd: z.number().min(0).optional(),
  sessionUsd: z.number().min(0).optional(),
});
export type BudgetLimits = z.infer<typeof BudgetLimits>;

const FREE: Pricing = { inputPerMillion: 0, outputPerMillion: 0 };

/** What a model charges, or undefined when it charges an unknown amount. */
export function pricingOf(spec: ModelSpec): Pricing | undefined {
  switch (spec.provider) {
    case "local":
      return FREE;
    // A user's own server (Ollama, LM Studio, vLLM) costs nothing per call unless they say so.
    case "openai-compatible":
      return spec.pricing ?? FREE;
    case "openrouter":
    case "gemini":
      return spec.pricing;
  }
}

/** Paid models are the ones a spent budget skips; a model of unknown price is assumed paid. */
export function isPaid(spec: ModelSpec): boolean {
  const pricing = pricingOf(spec);
  return pricing === undefined || pricing.inputPerMillion > 0 || pricing.outputPerMillion > 0;
}

export function priceUsd(pricing: Pricing, inputTokens: number, outputTokens: number): number {
  return (inputTokens * pricing.inputPerMillion + outputTokens * pricing.outputPerMillion) / 1_000_000;
}

/**
 * The most a call can cost: the prompt plus every token it may generate. Budgets are limits, so
 * the check is against the worst case. Zero for a model of unknown price: it can only be
 * stopped by what it has already been charged.
 */
export function estimateCostUsd(spec: ModelSpec, promptTokens: number, maxTokens: number): number {
  const pricing = pricingOf(spec);
  return pricing === undefined ? 0 : priceUsd(pricing, promptTokens, maxTokens);
}

/** What a call cost: what the provider says (OpenRouter's accounting), else the price table. */
export function actualCostUsd(spec: ModelSpec, usage: Usage, reportedUsd: number | undefined): number {
  if (reportedUsd !== undefined) return reportedUsd;
  const pricing = pricingOf(spec);
  return pricing === undefined ? 0 : priceUsd(pricing, usage.inputTokens, usage.outputTokens);
}

export const DAY_MS = 86_400_000;

export function utcDayStart(ms: number): number {
  return Math.floor(ms / DAY_MS) * DAY_MS;
}

export type BudgetVerdict = "ok" | "daily" | "session";

export interface BudgetOptions {
  readonly clock: Clock;
  /**
   * What was already spent since this UTC midnight (ms), by this or an earlier run of the game:
   * asked once per day, at the first check of that day. The usage ledger answers it.
   */
  readonly spentSince?: (dayStartMs: number) => number;
}

export class Budget {
  readonly #clock: Clock;
  readonly #spentSince: ((dayStartMs: number) => number) | undefined;
  #day = Number.NaN;
  #daySpent = 0;
  #sessionSpent = 0;

  constructor(options: BudgetOptions) {
    this.#clock = options.clock;
    this.#spentSince = options.spentSince;
  }

  /** May a call estimated at `estimateUsd` go ahead under these limits? */
  check(limits: BudgetLimits, estimateUsd: number): BudgetVerdict {
    this.#rollDay();
    if (limits.dailyUsd !== undefined && this.#daySpent + estimateUsd > limits.dailyUsd) return "daily";
    if (limits.sessionUsd !== undefined && this.#sessionSpent + estimateUsd > limits.sessionUsd) return "session";
    return "ok";
  }

  record(costUsd: number): void {
    if (costUsd <= 0) return;
    this.#rollDay();
    this.#daySpent += costUsd;
    this.#sessionSpent += costUsd;
  }

  get spentToday(): number {
    this.#rollDay();
    return this.#daySpent;
  }

  get spentThisSession(): number {
    return this.#sessionSpent;
  }

  #rollDay(): void {
    const day = utcDayStart(this.#clock.now());
    if (day === this.#day) return;
    this.#day = day;
    this.#daySpent = this.#spentSince?.(day) ?? 0;
  }
}
