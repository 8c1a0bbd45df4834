import { useEffect, useState, type FormEvent } from "react";
import { useApp } from "../../store/context.js";
import { Modal } from "../Modal.js";

type Turns = readonly { readonly turn: number; readonly input: string }[];

/** Picks a turn of `save` and a name; the game as it was after that turn opens as the new save. */
export function RewindDialog({ save, onClose }: { readonly save: string; readonly onClose: () => void }) {
  const turnsOf = useApp(state => state.turnsOf);
  const rewind = useApp(state => state.rewind);
  const [turns, setTurns] = useState<Turns | undefined>(undefined);
  const [turn, setTurn] = useState(0);
  const [name, setName] = useState(`${save} (rewound)`.slice(0, 64));

  useEffect(() => {
    let live = true;
    void turnsOf(save).then(found => {
      if (!live) return;
      setTurns(found ?? []);
      setTurn(found?.at(-1)?.turn ?? 0);
    });
    return () => {
      live = false;
    };
  }, [save, turnsOf]);

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    if (name.trim() === "") return;
    if (await rewind(save, turn, name.trim())) onClose();
  };

  return (
    <Modal title={`Rewind “${save}”`} onClose={onClose}>
      <form className="stack" onSubmit={e => void onSubmit(e)}>
        <p className="hint">The game as it was after the chosen turn opens as a new save. “{save}” itself stays as it is.</p>
        <div className="field">
          <label htmlFor="rewind-turn">After turn</label>
          <select id="rewind-turn" value={turn} onChange={e => setTurn(Number(e.target.value))} disabled={turns === undefined}>
            <option value={0}>0 — the beginning</option>
            {(turns ?? [])
              .filter(t => t.turn > 0)
              .map(t => (
                <option key={t.turn} value={t.turn}>
                  {t.turn} — {t.input}
                </option>
              ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="rewind-name">New save name</label>
          <input id="rewind-name" value={name} onChange={e => setName(e.target.value)} maxLength={64} required autoComplete="off" />
        </div>
        <div className="dialog-actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={turns === undefined || name.trim() === ""}>
            Rewind
          </button>
        </div>
      </form>
    </Modal>
  );
}
