import type { UsageView } from "../../../../engine/api/index.js";
import { formatCount, formatUsd } from "../../format.js";

/** What routing cost, against sending every call to the main slot's primary model. */
export function UsageSummary({ usage }: { readonly usage: UsageView }) {
  const baseline = usage.allMainCostUsd;
  const calls = usage.rows.reduce((sum, row) => sum + row.calls, 0);
  return (
    <dl className="summary">
      <div>
        <dt>Model calls</dt>
        <dd>{formatCount(calls)}</dd>
      </div>
      <div>
        <dt>Cost</dt>
        <dd>{formatUsd(usage.totalCostUsd)}</dd>
      </div>
      <div>
        <dt>All on main</dt>
        <dd>
          {baseline === null ? "unknown" : formatUsd(baseline)}
          <span className="dd-note">{baseline === null ? "main's model has no known price" : savingNote(usage.totalCostUsd, baseline)}</span>
        </dd>
      </div>
      <div>
        <dt>Turns needing a model</dt>
        <dd>
          {formatCount(usage.turnsNeedingModel)}
          <span className="dd-note">to understand the player</span>
        </dd>
      </div>
    </dl>
  );
}

function savingNote(actual: number, baseline: number): string {
  if (baseline === actual) return "the same as routing";
  if (baseline > actual) return `routing saved ${formatUsd(baseline - actual)}`;
  return `routing cost ${formatUsd(actual - baseline)} more`;
}
