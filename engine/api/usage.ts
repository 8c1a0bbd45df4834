import { usageReport, type LedgerRow, type ModelSpec } from "../llm/index.js";
import type { UsageView } from "./protocol.js";

/**
 * The Usage screen from the ledger's rows: one row per slot and model (the report's own grouping
 * is by one or the other), the totals against an all-main baseline, and calls and cost per hour.
 * Every figure is the usage report's, applied to a group of rows, so the screen and
 * `npm run slots -- usage` always agree.
 */
export function usageView(rows: readonly LedgerRow[], mainPrimary: ModelSpec | undefined): UsageView {
  const report = usageReport(rows, { mainPrimary });
  const bySlotModel = group(rows.filter((row) => row.provider !== "offline"), (row) => `${row.slot}\u0000${row.model}`);
  const byHour = group(rows, (row) => `${row.time.slice(0, 13)}:00:00.000Z`);
  return {
    rows: [...bySlotModel.values()].map((members) => {
      const totals = usageReport(members, { mainPrimary: undefined }).totals;
      const first = members[0]!;
      return {
        slot: first.slot,
        model: first.model,
        calls: totals.calls,
        tokensIn: totals.inputTokens,
        tokensOut: totals.outputTokens,
        costUsd: totals.costUsd,
        p50Ms: totals.latencyP50Ms ?? null,
        p95Ms: totals.latencyP95Ms ?? null,
      };
    }),
    totalCostUsd: report.allMain.actualCostUsd,
    allMainCostUsd: report.allMain.costUsd ?? null,
    turnsNeedingModel: report.turnsNeedingModel,
    series: [...byHour].sort(([a], [b]) => a.localeCompare(b)).map(([hour, members]) => {
      const totals = usageReport(members, { mainPrimary: undefined }).totals;
      return { hour, calls: totals.calls, costUsd: totals.costUsd };
    }),
  };
}

function group<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const members = groups.get(k);
    if (members === undefined) groups.set(k, [item]);
    else members.push(item);
  }
  return groups;
}
