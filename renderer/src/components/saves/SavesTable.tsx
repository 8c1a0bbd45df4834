import { formatWhen } from "../../format.js";
import { useApp } from "../../store/context.js";

export interface SavesTableProps {
  readonly labelledBy: string;
  readonly onDelete: (name: string) => void;
  readonly onRewind: (name: string) => void;
}

export function SavesTable({ labelledBy, onDelete, onRewind }: SavesTableProps) {
  const saves = useApp(state => state.saves);
  const current = useApp(state => state.view?.save);
  const openSave = useApp(state => state.openSave);
  const working = useApp(state => state.working !== undefined);
  if (saves === undefined) return <p className="hint">Reading the saves…</p>;
  if (saves.length === 0) return <p className="hint">No saved games yet. Start a new game from the title screen.</p>;
  return (
    <div className="table-scroll">
      <table className="data-table" aria-labelledby={labelledBy}>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">World</th>
            <th scope="col" className="num">
              Turn
            </th>
            <th scope="col">Last played</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {saves.map(save => (
            <tr key={save.name} aria-current={save.name === current ? "true" : undefined}>
              <th scope="row">
                {save.name}
                {save.name === current && <span className="tag">playing</span>}
              </th>
              {save.problem === undefined ? (
                <>
                  <td>{save.worldId ?? "—"}</td>
                  <td className="num">{save.turn ?? "—"}</td>
                  <td>{formatWhen(save.updatedAt)}</td>
                </>
              ) : (
                <td colSpan={3} className="field-error">
                  {save.problem}
                </td>
              )}
              <td>
                <div className="row-actions">
                  <button type="button" onClick={() => void openSave(save.name)} disabled={working || save.problem !== undefined} aria-label={`Load ${save.name}`}>
                    Load
                  </button>
                  <button type="button" onClick={() => onRewind(save.name)} disabled={working || save.problem !== undefined} aria-label={`Rewind ${save.name}`}>
                    Rewind…
                  </button>
                  <button
                    type="button"
                    className="danger"
                    onClick={() => onDelete(save.name)}
                    disabled={working || save.name === current}
                    title={save.name === current ? "This is the game being played: open another first" : undefined}
                    aria-label={`Delete ${save.name}`}
                  >
                    Delete…
                  </button>
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
