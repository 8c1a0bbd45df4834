import { pricingOf, priceUsd } from "./budget.js";
import { modelName, type LedgerRow } from "./ledger.js";
import type { ModelSpec, Slot } from "./model-spec.js";
import type { ProviderKind } from "./provider.js";
import type { TaskType } from "./tasks.js";

/**
 * What the models did and cost, from ledger rows: per slot, per model and per task type, and what
 * the same answers would have cost from the main slot's primary model alone (the price of not
 * routing).
 */

export interface UsageStats {
  /** Attempts that reached a model: answered, retried, fell back, or failed. */
  readonly calls: number;
  readonly ok: number;
  readonly failed: number;
  readonly cached: number;
  readonly skipped: number;
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly costUsd: number;
  /** Over answered calls only: a failure's latency says when it failed, not how fast the model is. */
  readonly latencyP50Ms: number | undefined;
  readonly latencyP95Ms: number | undefined;
}

export interface SlotUsage extends UsageStats {
  readonly slot: Slot;
  /** Runs on this slot that no model answered. */
  readonly offline: number;
}

export interface ModelUsage extends UsageStats {
  readonly provider: ProviderKind;
  readonly model: string;
}

export interface TaskUsage {
  readonly taskType: TaskType;
  /** Router runs. */
  readonly requests: number;
  /** Runs a model (or the cache) answered. */
  readonly answered: number;
  readonly cached: number;
  /** Runs that ended offline: the engine's own text stood in. */
  readonly offline: number;
  readonly aborted: number;
}

export interface Counterfactual {
  /** The main slot's primary model as the ledger names it; undefined when main has no models. */
  readonly model: string | undefined;
  /**
   * What the answered calls' tokens would have cost at that model's prices (a local model is
   * free); undefined when its price is unknown or main has no models.
   */
  readonly costUsd: number | undefined;
  /** What all calls actually cost, failures included. */
  readonly actualCostUsd: number;
}

export interface UsageReport {
  readonly requests: number;
  readonly totals: UsageStats;
  readonly bySlot: readonly SlotUsage[];
  readonly byModel: readonly ModelUsage[];
  readonly byTaskType: readonly TaskUsage[];
  readonly allMain: Counterfactual;
  /**
   * Turns whose words the offline parser could not read and a model was asked to understand:
   * the story layer makes at most one intent-parsing request per turn.
   */
  readonly turnsNeedingModel: number;
}

export interface UsageReportOptions {
  /** The first model of the main slot's chain in the current settings. */
  readonly mainPrimary: ModelSpec | undefined;
}

export function usageReport(rows: readonly LedgerRow[], options: UsageReportOptions): UsageReport {
  const bySlot = groupBy(rows, row => row.slot);
  const byModel = groupBy(rows.filter(isModelRow), row => `${row.provider}\u0000${row.model}`);
  const byTask = groupBy(rows, row => row.taskType);
  const pricing = options.mainPrimary === undefined ? undefined : pricingOf(options.mainPrimary);

  return {
    requests: new Set(rows.map(row => row.request)).size,
    totals: stats(rows),
    bySlot: [...bySlot].map(([slot, group]) => ({
      slot,
      offline: group.filter(row => row.outcome === "offline").length,
      ...stats(group),
    })),
    byModel: [...byModel.values()].map(group => ({ provider: group[0]!.provider, model: group[0]!.model, ...stats(group) })),
    byTaskType: [...byTask].map(([taskType, group]) => taskUsage(taskType, group)),
    turnsNeedingModel: new Set((byTask.get("intent-parsing") ?? []).map(row => row.request)).size,
    allMain: {
      model: options.mainPrimary === undefined ? undefined : modelName(options.mainPrimary),
      costUsd: pricing === undefined
        ? undefined
        : sum(rows, row => (row.outcome === "ok" ? priceUsd(pricing, row.inputTokens, row.outputTokens) : 0)),
      actualCostUsd: sum(rows, row => row.costUsd),
    },
  };
}

function isModelRow(row: LedgerRow): row is LedgerRow & { provider: ProviderKind } {
  return row.provider !== "offline";
}

function stats(rows: readonly LedgerRow[]): UsageStats {
  let calls = 0;
  let ok = 0;
  let cached = 0;
  let skipped = 0;
  const latencies: number[] = [];
  for (const row of rows) {
    if (row.outcome === "cached") cached++;
    else if (row.outcome.startsWith("skipped:")) skipped++;
    else if (row.outcome !== "offline") {
      calls++;
      if (row.outcome === "ok") {
        ok++;
        latencies.push(row.latencyMs);
      }
    }
  }
  latencies.sort((a, b) => a - b);
  return {
    calls,
    ok,
    failed: calls - ok,
    cached,
    skipped,
    inputTokens: sum(rows, row => row.inputTokens),
    outputTokens: sum(rows, row => row.outputTokens),
    costUsd: sum(rows, row => row.costUsd),
    latencyP50Ms: percentile(latencies, 0.5),
    latencyP95Ms: percentile(latencies, 0.95),
  };
}

function taskUsage(taskType: TaskType, rows: readonly LedgerRow[]): TaskUsage {
  const requests = new Set<number>();
  const answered = new Set<number>();
  const cached = new Set<number>();
  const offline = new Set<number>();
  const aborted = new Set<number>();
  for (const row of rows) {
    requests.add(row.request);
    if (row.outcome === "ok" || row.outcome === "cached") answered.add(row.request);
    if (row.outcome === "cached") cached.add(row.request);
    if (row.outcome === "offline") offline.add(row.request);
    if (row.outcome === "error:aborted") aborted.add(row.request);
  }
  return { taskType, requests: requests.size, answered: answered.size, cached: cached.size, offline: offline.size, aborted: aborted.size };
}

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: readonly number[], p: number): number | undefined {
  if (sorted.length === 0) return undefined;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
}

function groupBy<K, T>(items: readonly T[], key: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group === undefined) groups.set(k, [item]);
    else group.push(item);
  }
  return groups;
}

function sum<T>(items: readonly T[], value: (item: T) => number): number {
  let total = 0;
  for (const item of items) total += value(item);
  return total;
}
