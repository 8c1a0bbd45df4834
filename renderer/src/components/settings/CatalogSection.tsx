import { useEffect } from "react";
import { useApp } from "../../store/context.js";
import { CatalogModelRow } from "./CatalogModelRow.js";

/** Settings → Download models: the catalog's recommended models, each downloadable into the models folder. */
export function CatalogSection() {
  const catalog = useApp(state => state.catalog);
  const models = useApp(state => state.models);
  const loadCatalog = useApp(state => state.loadCatalog);

  // Read again whenever the models folder was (after models-changed): a file added by hand is "present" too.
  useEffect(() => {
    void loadCatalog();
  }, [models, loadCatalog]);

  return (
    <section aria-labelledby="catalog-heading">
      <h2 id="catalog-heading">Download models</h2>
      <p className="hint">
        Recommended GGUF models, downloaded into the models folder{catalog !== undefined && <> ({catalog.dir})</>}. A download is checked before it is put there, so a
        broken or partial file never is. Once it is there, choose it for a slot above.
      </p>
      {catalog === undefined ? (
        <p className="hint">Reading the model catalog…</p>
      ) : (
        <ul className="catalog" aria-labelledby="catalog-heading">
          {catalog.models.map(model => (
            <CatalogModelRow key={model.id} model={model} />
          ))}
        </ul>
      )}
    </section>
  );
}
