import { useId } from "react";
import type { Progress } from "../../../engine/api/index.js";

const VERBS: Readonly<Record<Progress["kind"], string>> = { load: "Loading", download: "Downloading" };

export function ProgressBar({ progress }: { readonly progress: Progress }) {
  const id = useId();
  const percent = Math.round(progress.progress * 100);
  return (
    <div className="progress">
      <label htmlFor={id}>
        {VERBS[progress.kind]} {progress.file}: {percent}%
      </label>
      <progress id={id} max={100} value={percent} />
    </div>
  );
}
