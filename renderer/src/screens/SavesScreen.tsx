import { useEffect, useState } from "react";
import { ConfirmDialog } from "../components/ConfirmDialog.js";
import { RewindDialog } from "../components/saves/RewindDialog.js";
import { SaveAsForm } from "../components/saves/SaveAsForm.js";
import { SavesTable } from "../components/saves/SavesTable.js";
import { useFocusOnMount } from "../hooks/useFocusOnMount.js";
import { useApp } from "../store/context.js";

export function SavesScreen() {
  const heading = useFocusOnMount<HTMLHeadingElement>();
  const loadSaves = useApp(state => state.loadSaves);
  const deleteSave = useApp(state => state.deleteSave);
  const hasGame = useApp(state => state.view !== undefined);
  const [deleting, setDeleting] = useState<string | undefined>(undefined);
  const [rewinding, setRewinding] = useState<string | undefined>(undefined);

  useEffect(() => {
    void loadSaves();
  }, [loadSaves]);

  return (
    <div className="page">
      <h1 ref={heading} tabIndex={-1}>
        Saves
      </h1>
      {hasGame && (
        <section className="panel" aria-labelledby="save-as-heading">
          <h2 id="save-as-heading">Save as</h2>
          <SaveAsForm />
        </section>
      )}
      <section className="panel" aria-labelledby="saves-heading">
        <h2 id="saves-heading">Saved games</h2>
        <SavesTable labelledBy="saves-heading" onDelete={setDeleting} onRewind={setRewinding} />
      </section>
      {deleting !== undefined && (
        <ConfirmDialog
          title={`Delete “${deleting}”?`}
          message="The save file and every turn in it are deleted. This cannot be undone."
          confirmLabel="Delete"
          onCancel={() => setDeleting(undefined)}
          onConfirm={() => {
            setDeleting(undefined);
            void deleteSave(deleting);
          }}
        />
      )}
      {rewinding !== undefined && <RewindDialog save={rewinding} onClose={() => setRewinding(undefined)} />}
    </div>
  );
}
