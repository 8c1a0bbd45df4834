import type { Slot } from "../../../../engine/api/index.js";
import { PROVIDERS, PROVIDER_LABELS, type ModelEntry, type Provider } from "../../settings/doc.js";
import { changeProvider, moveModel, removeModel, updateModel, withNumber, withText } from "../../settings/edit.js";
import { useApp } from "../../store/context.js";
import { NumberField } from "../NumberField.js";
import { KeyStatusLine } from "./KeyStatusLine.js";
import { LocalModelPicker } from "./LocalModelPicker.js";

export interface ModelEntryEditorProps {
  readonly slot: Slot;
  readonly index: number;
  readonly count: number;
  readonly entry: ModelEntry;
}

function isProvider(value: string): value is Provider {
  return (PROVIDERS as readonly string[]).includes(value);
}

/** One model of a slot's chain: provider, which model, its options, and its place in the order. */
export function ModelEntryEditor({ slot, index, count, entry }: ModelEntryEditorProps) {
  const edit = useApp(state => state.editSettings);
  const firstFile = useApp(state => state.models?.files.find(file => file.problem === undefined)?.name);
  const id = `slot-${slot}-${index}`;
  const place = index === 0 ? "Primary" : `Fallback ${index}`;
  const update = (next: ModelEntry) => edit(d => updateModel(d, slot, index, next));
  // An empty optional URL means the provider's own; only openai-compatible needs one.
  const urlOptional = entry.provider !== "openai-compatible";

  return (
    <fieldset className="model-entry">
      <legend>{place}</legend>
      <div className="field">
        <label htmlFor={`${id}-provider`}>Provider</label>
        <select
          id={`${id}-provider`}
          value={entry.provider}
          onChange={e => {
            const provider = e.target.value;
            if (isProvider(provider)) update(changeProvider(entry, provider, firstFile));
          }}
        >
          {PROVIDERS.map(provider => (
            <option key={provider} value={provider}>
              {PROVIDER_LABELS[provider]}
            </option>
          ))}
        </select>
      </div>
      {entry.provider === "local" ? (
        <LocalModelPicker id={`${id}-file`} file={entry.file ?? ""} onChange={file => update({ ...entry, file })} />
      ) : (
        <>
          <div className="field">
            <label htmlFor={`${id}-model`}>Model id</label>
            <input id={`${id}-model`} value={entry.model ?? ""} onChange={e => update(withText(entry, "model", e.target.value))} placeholder={entry.provider === "gemini" ? "gemini-2.5-flash" : "vendor/model-name"} autoComplete="off" spellCheck={false} required />
          </div>
          <div className="field">
            <label htmlFor={`${id}-url`}>{urlOptional ? "Server URL (optional)" : "Server URL"}</label>
            <input
              id={`${id}-url`}
              type="url"
              value={entry.baseUrl ?? ""}
              onChange={e => update(withText(entry, "baseUrl", e.target.value === "" && urlOptional ? undefined : e.target.value))}
              placeholder="http://127.0.0.1:8080/v1"
              autoComplete="off"
              spellCheck={false}
              required={!urlOptional}
            />
          </div>
        </>
      )}
      <KeyStatusLine entry={entry} />
      <div className="field-row">
        <NumberField id={`${id}-context`} label="Context size" value={entry.contextSize} min={128} integer optional placeholder="model's own" onChange={v => update(withNumber(entry, "contextSize", v))} />
        {entry.provider === "local" && <NumberField id={`${id}-threads`} label="Threads" value={entry.threads} min={1} max={256} integer optional placeholder="from the CPU" onChange={v => update(withNumber(entry, "threads", v))} />}
      </div>
      <div className="entry-actions" role="group" aria-label={`Order of ${place.toLowerCase()}`}>
        <button type="button" onClick={() => edit(d => moveModel(d, slot, index, -1))} disabled={index === 0} aria-label={`Move ${place.toLowerCase()} up`}>
          ↑ Up
        </button>
        <button type="button" onClick={() => edit(d => moveModel(d, slot, index, 1))} disabled={index === count - 1} aria-label={`Move ${place.toLowerCase()} down`}>
          ↓ Down
        </button>
        <button type="button" className="danger" onClick={() => edit(d => removeModel(d, slot, index))} aria-label={`Remove ${place.toLowerCase()}`}>
          Remove
        </button>
      </div>
    </fieldset>
  );
}
