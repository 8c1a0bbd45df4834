import type { Draft } from "../../store/log-items.js";
import { PlayerInput } from "./PlayerInput.js";

/** The turn being played, its narration arriving as the model writes it. */
export function DraftEntry({ draft }: { readonly draft: Draft }) {
  return (
    <article className="entry entry-draft" aria-label="The turn being played">
      <PlayerInput text={draft.input} />
      {draft.text === "" ? <p className="thinking">The story continues…</p> : <p className="narration streaming">{draft.text}</p>}
    </article>
  );
}
