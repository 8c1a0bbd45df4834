import { useState, type FormEvent } from "react";
import { useApp } from "../store/context.js";

/** A save name is 1–64 characters (engine/api's Name); a seed, when given, a whole number. */
export function NewGameForm() {
  const newGame = useApp(state => state.newGame);
  const working = useApp(state => state.working !== undefined);
  const [name, setName] = useState("");
  const [seed, setSeed] = useState("");
  const seedValue = seed.trim() === "" ? undefined : Number(seed);
  const seedInvalid = seedValue !== undefined && !Number.isSafeInteger(seedValue);

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (name.trim() === "" || seedInvalid) return;
    void newGame(name.trim(), seedValue);
  };

  return (
    <form className="stack" onSubmit={onSubmit}>
      <div className="field">
        <label htmlFor="new-save-name">Save name</label>
        <input id="new-save-name" value={name} onChange={e => setName(e.target.value)} maxLength={64} required autoComplete="off" />
      </div>
      <div className="field">
        <label htmlFor="new-seed">Seed (optional)</label>
        <input
          id="new-seed"
          inputMode="numeric"
          value={seed}
          onChange={e => setSeed(e.target.value)}
          aria-invalid={seedInvalid}
          aria-describedby="new-seed-hint"
          autoComplete="off"
        />
        <p id="new-seed-hint" className={seedInvalid ? "field-error" : "hint"}>
          {seedInvalid ? "The seed must be a whole number." : "The same seed gives the same world and the same dice."}
        </p>
      </div>
      <button type="submit" className="primary" disabled={working || name.trim() === "" || seedInvalid}>
        Start
      </button>
    </form>
  );
}
