import type { RoutesTable, Slot } from "../../../../engine/api/index.js";
import type { SettingsDoc } from "../../settings/doc.js";
import { addModel, cellsOfSlot, newModel, setSlotValue, slotValue } from "../../settings/edit.js";
import { useApp } from "../../store/context.js";
import { NumberField } from "../NumberField.js";
import { ModelEntryEditor } from "./ModelEntryEditor.js";
import { SlotTestPanel } from "./SlotTestPanel.js";

const SLOT_INFO: Readonly<Record<Slot, { readonly title: string; readonly about: string }>> = {
  main: { title: "Main", about: "Dialogue, fights and turning points: the strongest model you have." },
  cot: { title: "Reasoning (cot)", about: "Judging fuzzy rules and planning quests: a model that thinks step by step." },
  utility: { title: "Utility", about: "Many small jobs — routine narration, understanding the player, names: a fast, cheap model." },
};

export interface SlotEditorProps {
  readonly slot: Slot;
  readonly doc: SettingsDoc;
  /** The routes the draft stands for, and the host's defaults. */
  readonly table: RoutesTable;
  readonly defaults: RoutesTable;
}

/** One slot: its chain of models in fallback order, its slot-wide sampling, and a test. */
export function SlotEditor({ slot, doc, table, defaults }: SlotEditorProps) {
  const edit = useApp(state => state.editSettings);
  const firstFile = useApp(state => state.models?.files.find(file => file.problem === undefined)?.name);
  const chain = doc.slots[slot];
  const info = SLOT_INFO[slot];
  const routed = cellsOfSlot(table, slot).length;
  const headingId = `slot-${slot}-heading`;
  return (
    <section className="panel slot" aria-labelledby={headingId}>
      <h3 id={headingId}>{info.title}</h3>
      <p className="hint">{info.about}</p>
      {chain.length === 0 ? (
        <p className="offline-note">No models: this slot is offline and the engine stands in.</p>
      ) : (
        <ol className="chain">
          {chain.map((entry, index) => (
            <li key={index}>
              <ModelEntryEditor slot={slot} index={index} count={chain.length} entry={entry} />
            </li>
          ))}
        </ol>
      )}
      <button type="button" onClick={() => edit(d => addModel(d, slot, newModel(firstFile)))}>
        {chain.length === 0 ? "Add a model" : "Add a fallback model"}
      </button>
      <fieldset className="slot-sampling">
        <legend>For every task on this slot ({routed})</legend>
        {routed === 0 ? (
          <p className="hint">No task is routed here; change the routes below to use it.</p>
        ) : (
          <div className="field-row">
            <NumberField id={`slot-${slot}-temperature`} label="Temperature" value={slotValue(table, slot, "temperature")} placeholder="varies" min={0} max={2} step={0.05} optional onChange={v => v !== undefined && edit(d => setSlotValue(d, table, defaults, slot, "temperature", v))} />
            <NumberField id={`slot-${slot}-max-tokens`} label="Max tokens" value={slotValue(table, slot, "maxTokens")} placeholder="varies" min={1} integer optional onChange={v => v !== undefined && edit(d => setSlotValue(d, table, defaults, slot, "maxTokens", v))} />
          </div>
        )}
      </fieldset>
      <SlotTestPanel slot={slot} />
    </section>
  );
}
