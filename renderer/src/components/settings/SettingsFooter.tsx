import { useApp } from "../../store/context.js";

/** Save and Revert, with what happened to the last save. Stays in view at the bottom of the page. */
export function SettingsFooter() {
  const settings = useApp(state => state.settings);
  const saveSettings = useApp(state => state.saveSettings);
  const revertSettings = useApp(state => state.revertSettings);
  const dirty = JSON.stringify(settings.draft) !== JSON.stringify(settings.saved);
  const saving = settings.status === "saving";
  return (
    <div className="settings-footer">
      {settings.error !== undefined && settings.status !== "unreadable" && (
        <div className="save-error" role="alert">
          <p>
            <strong>Not saved.</strong> Change what this names, then save again.
          </p>
          <p className="preformatted">{settings.error}</p>
        </div>
      )}
      <div className="footer-row">
        <p role="status" className="footer-status">
          {saving ? "Saving…" : dirty ? "Unsaved changes." : (settings.savedMessage ?? "No changes.")}
        </p>
        <button type="button" onClick={revertSettings} disabled={!dirty || saving}>
          Revert
        </button>
        <button type="button" className="primary" onClick={() => void saveSettings()} disabled={!dirty || saving}>
          Save settings
        </button>
      </div>
    </div>
  );
}
