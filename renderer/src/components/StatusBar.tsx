import { useApp } from "../store/context.js";
import { ProgressBar } from "./ProgressBar.js";

/** What the app is waiting for, and model loads and downloads as progress bars. */
export function StatusBar() {
  const working = useApp(state => state.working);
  const progress = useApp(state => state.progress);
  // The live region stays in the page while empty: screen readers announce changes only to a
  // region they have already seen.
  if (working === undefined && progress.length === 0) return <div className="status-bar status-bar-empty" role="status" />;
  return (
    <div className="status-bar" role="status">
      {working !== undefined && <p className="working">{working}</p>}
      {progress.map(bar => (
        <ProgressBar key={`${bar.kind}:${bar.file}`} progress={bar} />
      ))}
    </div>
  );
}
