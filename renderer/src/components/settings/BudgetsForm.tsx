import type { SettingsDoc } from "../../settings/doc.js";
import { setBudget } from "../../settings/edit.js";
import { useApp } from "../../store/context.js";
import { NumberField } from "../NumberField.js";

/** Spending limits for paid models; empty means no limit. Local models are free and never stopped. */
export function BudgetsForm({ doc }: { readonly doc: SettingsDoc }) {
  const edit = useApp(state => state.editSettings);
  return (
    <div className="inline-form">
      <NumberField id="budget-daily" label="Per day (USD)" value={doc.budgets.dailyUsd} min={0} step={0.01} optional placeholder="no limit" onChange={v => edit(d => setBudget(d, "dailyUsd", v))} />
      <NumberField id="budget-session" label="Per session (USD)" value={doc.budgets.sessionUsd} min={0} step={0.01} optional placeholder="no limit" onChange={v => edit(d => setBudget(d, "sessionUsd", v))} />
      <p className="hint">When a budget is spent, paid models are skipped and play goes on with local models or the engine's own narration.</p>
    </div>
  );
}
