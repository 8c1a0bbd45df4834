import type { GameView } from "../../../../engine/api/index.js";
import { useApp } from "../../store/context.js";

/** The ways out; each one is a button that walks that way. */
export function ExitsList({ exits, labelledBy }: { readonly exits: GameView["exits"]; readonly labelledBy: string }) {
  const submit = useApp(state => state.submit);
  const pending = useApp(state => state.turnPending);
  if (exits.length === 0) return <p className="hint">No way out.</p>;
  return (
    <ul className="exits" aria-labelledby={labelledBy}>
      {exits.map(exit => (
        <li key={exit.direction}>
          <button type="button" className="link-button" onClick={() => void submit(`go ${exit.direction}`)} disabled={pending}>
            {exit.direction}
          </button>
          <span className="exit-to">{exit.to}</span>
          {exit.door !== undefined && <span className={`door door-${exit.door}`}>{exit.door === "open" ? "door open" : exit.door === "closed" ? "door closed" : "locked"}</span>}
        </li>
      ))}
    </ul>
  );
}
