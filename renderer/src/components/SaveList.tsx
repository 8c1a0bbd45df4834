import { useId } from "react";
import { useApp } from "../store/context.js";
import { formatWhen } from "../format.js";

/** The saves to load from the title screen; a save that cannot be opened says why. */
export function SaveList({ labelledBy }: { readonly labelledBy: string }) {
  const saves = useApp(state => state.saves);
  const openSave = useApp(state => state.openSave);
  const working = useApp(state => state.working !== undefined);
  const idBase = useId();
  if (saves === undefined) return null;
  if (saves.length === 0) return <p className="hint">Saved games appear here.</p>;
  return (
    <ul className="save-list" aria-labelledby={labelledBy}>
      {saves.map((save, i) => (
        <li key={save.name}>
          <button
            type="button"
            onClick={() => void openSave(save.name)}
            disabled={working || save.problem !== undefined}
            aria-describedby={`${idBase}-${i}`}
          >
            {save.name}
          </button>
          <span id={`${idBase}-${i}`} className={save.problem === undefined ? "hint" : "field-error"}>
            {save.problem ?? `${save.worldId ?? "unknown world"} · turn ${save.turn ?? "?"} · ${formatWhen(save.updatedAt)}`}
          </span>
        </li>
      ))}
    </ul>
  );
}
