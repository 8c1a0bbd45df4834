import { useState, type FormEvent } from "react";
import { useApp } from "../../store/context.js";

/** Copies the game being played to a new save, which becomes the one being played. */
export function SaveAsForm() {
  const saveAs = useApp(state => state.saveAs);
  const working = useApp(state => state.working !== undefined);
  const pending = useApp(state => state.turnPending);
  const [name, setName] = useState("");

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    if (name.trim() === "") return;
    if (await saveAs(name.trim())) setName("");
  };

  return (
    <form className="inline-form" onSubmit={e => void onSubmit(e)}>
      <div className="field">
        <label htmlFor="save-as-name">New save name</label>
        <input id="save-as-name" value={name} onChange={e => setName(e.target.value)} maxLength={64} required autoComplete="off" />
      </div>
      <button type="submit" className="primary" disabled={working || pending || name.trim() === ""}>
        Save as
      </button>
      {pending && <p className="hint">Wait for the turn in progress to finish.</p>}
    </form>
  );
}
