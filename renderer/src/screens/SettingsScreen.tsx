import { useEffect } from "react";
import { Slot } from "../../../engine/api/index.js";
import { BudgetsForm } from "../components/settings/BudgetsForm.js";
import { CatalogSection } from "../components/settings/CatalogSection.js";
import { RoutesTable } from "../components/settings/RoutesTable.js";
import { SettingsFooter } from "../components/settings/SettingsFooter.js";
import { SlotEditor } from "../components/settings/SlotEditor.js";
import { useFocusOnMount } from "../hooks/useFocusOnMount.js";
import { resolveRoutes } from "../settings/edit.js";
import { useApp } from "../store/context.js";

export function SettingsScreen() {
  const heading = useFocusOnMount<HTMLHeadingElement>();
  const settings = useApp(state => state.settings);
  const models = useApp(state => state.models);
  const loadSettings = useApp(state => state.loadSettings);
  const loadModels = useApp(state => state.loadModels);

  useEffect(() => {
    void loadSettings();
  }, [loadSettings]);

  // Also after a models-changed event, which empties the list.
  useEffect(() => {
    if (models === undefined) void loadModels();
  }, [models, loadModels]);

  const draft = settings.draft;
  const defaults = settings.routeDefaults;
  const table = draft === undefined || defaults === undefined ? undefined : resolveRoutes(defaults, draft.routes);
  return (
    <div className="page settings-page">
      <h1 ref={heading} tabIndex={-1}>
        Settings
      </h1>
      {settings.problem !== undefined && (
        <div className="warning" role="alert">
          <h2>The settings file was not used</h2>
          <p className="preformatted">{settings.problem}</p>
          <p>The game runs on default settings. Saving here writes a new file; the old one is kept beside it.</p>
        </div>
      )}
      {settings.status === "unreadable" && (
        <div className="warning" role="alert">
          <p className="preformatted">{settings.error}</p>
        </div>
      )}
      {draft === undefined || defaults === undefined || table === undefined ? (
        settings.status === "loading" && <p className="hint">Reading the settings…</p>
      ) : (
        <>
          <section aria-labelledby="slots-heading">
            <h2 id="slots-heading">Model slots</h2>
            <p className="hint">
              Each slot tries its models in order and falls back to the next when one fails. A slot with no models is offline: the engine narrates on its own.
              {models !== undefined && <> Model files are read from {models.dir}.</>}
            </p>
            <div className="slots">
              {Slot.options.map(slot => (
                <SlotEditor key={slot} slot={slot} doc={draft} table={table} defaults={defaults} />
              ))}
            </div>
          </section>
          <CatalogSection />
          <section aria-labelledby="routes-heading">
            <h2 id="routes-heading">Routes</h2>
            <p className="hint">Which slot does each task, how freely it writes (temperature) and how long it may write (max tokens).</p>
            <RoutesTable doc={draft} table={table} defaults={defaults} labelledBy="routes-heading" />
          </section>
          <section aria-labelledby="budgets-heading">
            <h2 id="budgets-heading">Budgets</h2>
            <BudgetsForm doc={draft} />
          </section>
          <SettingsFooter />
        </>
      )}
    </div>
  );
}
