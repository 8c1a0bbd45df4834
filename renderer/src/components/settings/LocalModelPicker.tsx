import { useApp } from "../../store/context.js";
import { ModelFileDetails } from "./ModelFileDetails.js";

/** The GGUF files in the models folder; a file that cannot be used is listed, disabled, with why. */
export function LocalModelPicker({ id, file, onChange }: { readonly id: string; readonly file: string; readonly onChange: (file: string) => void }) {
  const models = useApp(state => state.models);
  const files = models?.files ?? [];
  const selected = files.find(candidate => candidate.name === file);
  return (
    <div className="field">
      <label htmlFor={id}>Model file</label>
      <select id={id} value={file} onChange={e => onChange(e.target.value)} aria-describedby={`${id}-details`}>
        {selected === undefined && <option value={file}>{file === "" ? "Choose a file…" : `${file} (not in the models folder)`}</option>}
        {files.map(candidate => (
          <option key={candidate.name} value={candidate.name} disabled={candidate.problem !== undefined}>
            {candidate.name}
            {candidate.problem !== undefined ? " — cannot be used" : ""}
          </option>
        ))}
      </select>
      <div id={`${id}-details`}>
        {models === undefined ? (
          <p className="hint">Reading the models folder…</p>
        ) : selected === undefined ? (
          <p className="field-error">{files.length === 0 ? `No GGUF files in ${models.dir}. Put one there, or choose a cloud provider.` : "This file is not in the models folder. Choose another."}</p>
        ) : (
          <ModelFileDetails file={selected} />
        )}
      </div>
    </div>
  );
}
