import type { CatalogModel, Progress } from "../../../../engine/api/index.js";
import { formatBytes } from "../../format.js";
import { useApp } from "../../store/context.js";
import { ProgressBar } from "../ProgressBar.js";

const SLOT_NAMES: Readonly<Record<CatalogModel["slot"], string>> = { main: "main", cot: "reasoning (cot)", utility: "utility" };

/** One recommended model: what it is, its size and licence, and Download, a progress bar and Cancel. */
export function CatalogModelRow({ model }: { readonly model: CatalogModel }) {
  const bar = useApp(state => state.progress.find(p => p.kind === "download" && p.file === model.file));
  const download = useApp(state => state.downloadModel);
  const cancel = useApp(state => state.cancelDownload);
  const headingId = `catalog-${model.id}`;
  const downloading = model.status === "downloading";
  // A page opened while a download was already under way has no event yet: the listing's figure stands in.
  const progress: Progress | undefined = bar ?? (downloading ? { kind: "download", file: model.file, progress: model.progress ?? 0 } : undefined);
  return (
    <li className="catalog-model" aria-labelledby={headingId}>
      <h3 id={headingId}>{model.name}</h3>
      <p className="hint model-facts">
        {[`for the ${SLOT_NAMES[model.slot]} slot`, formatBytes(model.sizeBytes), model.file, model.verified ? "sha256 checked" : "no sha256 to check against"].join(" · ")}
      </p>
      <p className="catalog-notes">{model.notes}</p>
      <p className="hint">
        Licence: {model.licence}
        {model.licenceUrl !== undefined && <> ({model.licenceUrl})</>}
      </p>
      {model.status === "different" && (
        <p className="field-error">A different file called {model.file} is in the models folder. Move or delete it to download this model.</p>
      )}
      {progress !== undefined && <ProgressBar progress={progress} />}
      <div className="catalog-actions">
        {model.status === "present" ? (
          <p className="catalog-present">In the models folder.</p>
        ) : (
          // One button that turns into Cancel, so the keyboard focus stays on it while the download runs.
          <button
            type="button"
            className={downloading ? undefined : "primary"}
            disabled={model.status === "different"}
            aria-label={downloading ? `Cancel the download of ${model.name}` : `Download ${model.name}`}
            onClick={() => void (downloading ? cancel(model.id) : download(model.id))}
          >
            {downloading ? "Cancel" : `Download (${formatBytes(model.sizeBytes)})`}
          </button>
        )}
      </div>
    </li>
  );
}
