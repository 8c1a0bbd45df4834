import { latestSave } from "../store/app-store.js";
import { useApp } from "../store/context.js";
import { formatWhen } from "../format.js";

export function ContinueButton() {
  const saves = useApp(state => state.saves);
  const continueLatest = useApp(state => state.continueLatest);
  const working = useApp(state => state.working !== undefined);
  const latest = latestSave(saves ?? []);
  if (saves === undefined) return <p className="hint">Reading the saves…</p>;
  if (latest === undefined) return <p className="hint">No saved games yet.</p>;
  return (
    <button type="button" className="primary" onClick={() => void continueLatest()} disabled={working}>
      Continue “{latest.name}”
      <span className="button-detail">
        turn {latest.turn ?? "?"} · {formatWhen(latest.updatedAt)}
      </span>
    </button>
  );
}
