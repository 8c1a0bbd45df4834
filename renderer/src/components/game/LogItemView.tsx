import type { LogItem } from "../../store/log-items.js";
import { NarrationPartView } from "./NarrationPartView.js";
import { PlayerInput } from "./PlayerInput.js";

export function LogItemView({ item }: { readonly item: LogItem }) {
  if (item.kind === "meta") {
    return (
      <aside className={item.ok ? "meta" : "meta meta-refused"} aria-label="Game message">
        <PlayerInput text={item.input} />
        <p>{item.message}</p>
      </aside>
    );
  }
  const { entry } = item;
  return (
    <article className="entry" aria-label={entry.turn === 0 ? "Opening" : `Turn ${entry.turn}`}>
      {entry.input !== "" && <PlayerInput text={entry.input} />}
      {entry.parts.map((part, i) => (
        <NarrationPartView key={i} part={part} />
      ))}
    </article>
  );
}
